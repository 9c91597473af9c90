"""Forms of the report pages; they parse input, reporting/reports.py validates the rules."""

from django import forms

from styrmodell.forms import DateInput, VersionedForm


def _text(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class SectionTextsForm(VersionedForm):
    summary = _text("Sammanfattning", "Det viktigaste för nämnden och fullmäktige.")
    conclusion = _text("Slutsats (A5)", "Den slutsats förvaltningen drar av uppföljningen.")
    priorities = _text("Prioriterade aktiviteter resten av året (A5)")
    recommendation = _text("Rekommenderade förändringar inför nästa år (A5)")
    future_challenges = _text("Framtida utmaningar (A6)",
                              "Förväntade förändringar i lagstiftning, beslut och regional eller "
                              "nationell samverkan.")


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(label="Avsnittet är klart att lämnas till nämnden", required=True)


class SectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Nämndens beslut", widget=forms.RadioSelect, choices=[
        ("godkann", "Godkänner avsnittet"), ("aterremittera", "Återremitterar till förvaltningen")])
    decided_on = forms.DateField(label="Sammanträdesdatum", widget=DateInput())
    paragraph = forms.CharField(label="Paragraf", max_length=20, required=False)
    comment = forms.CharField(label="Kommentar", required=False,
                              help_text="Krävs vid återremiss: vad förvaltningen ska ändra.",
                              widget=forms.Textarea(attrs={"rows": 3}))


class CompileForm(VersionedForm):
    summary = forms.CharField(label="Kommunens sammanfattning",
                              widget=forms.Textarea(attrs={"rows": 8}))
    case_number = forms.CharField(label="Diarienummer", max_length=40, required=False)


class ReportDecisionForm(forms.Form):
    body = forms.ChoiceField(label="Organ", widget=forms.RadioSelect,
                             choices=[("ks", "Kommunstyrelsen"), ("kf", "Kommunfullmäktige")])
    decided_on = forms.DateField(label="Sammanträdesdatum", widget=DateInput())
    paragraph = forms.CharField(label="Paragraf", max_length=20, required=False)


class ExtraFollowUpForm(forms.Form):
    requested_on = forms.DateField(label="KSAU:s beslut", widget=DateInput())
    deadline = forms.DateField(label="Nämndernas avsnitt senast", widget=DateInput())
    reason = forms.CharField(label="Skäl till den extra uppföljningen",
                             widget=forms.Textarea(attrs={"rows": 4}))
