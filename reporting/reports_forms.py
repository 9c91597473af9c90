"""Forms of the report pages; they parse input, reporting/reports.py validates the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from styrmodell.forms import DateInput, VersionedForm


def _text(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class SectionTextsForm(VersionedForm):
    summary = _text(_("Sammanfattning"), _("Det viktigaste för nämnden och fullmäktige."))
    conclusion = _text(_("Slutsats"),
                       _("Den slutsats nämnden drar av måluppfyllelsen. Krävs i delårsrapporten "
                         "och årsredovisningen."))
    priorities = _text(_("Prioriterade aktiviteter resten av året"),
                       _("Krävs i delårsrapporten och årsredovisningen."))
    recommendation = _text(_("Rekommenderade förändringar inför nästa år"),
                           _("Krävs i delårsrapporten och årsredovisningen."))
    future_challenges = _text(_("Framtida utmaningar"),
                              _("Förväntade förändringar i lagstiftning, beslut och regional "
                                "eller nationell samverkan. Krävs i delårsrapporten och "
                                "årsredovisningen."))


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(label=_("Avsnittet är klart att lämnas till nämnden"),
                                 required=True)


class SectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Nämndens beslut"), widget=forms.RadioSelect, choices=[
        ("godkann", _("Godkänner avsnittet")),
        ("aterremittera", _("Återremitterar till förvaltningen"))])
    decided_on = forms.DateField(label=_("Sammanträdesdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False)
    comment = forms.CharField(label=_("Kommentar"), required=False,
                              help_text=_("Krävs vid återremiss: vad förvaltningen ska ändra."),
                              widget=forms.Textarea(attrs={"rows": 3}))


class CompileForm(VersionedForm):
    summary = forms.CharField(label=_("Kommunens sammanfattning"),
                              widget=forms.Textarea(attrs={"rows": 8}))
    case_number = forms.CharField(label=_("Diarienummer"), max_length=40, required=False)


class ReportDecisionForm(forms.Form):
    body = forms.ChoiceField(label=_("Organ"), widget=forms.RadioSelect,
                             choices=[("ks", _("Kommunstyrelsen")), ("kf", _("Kommunfullmäktige"))])
    decided_on = forms.DateField(label=_("Sammanträdesdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False)


class ExtraFollowUpForm(forms.Form):
    requested_on = forms.DateField(label=_("KSAU:s beslut"), widget=DateInput())
    deadline = forms.DateField(label=_("Nämndernas avsnitt senast"), widget=DateInput())
    reason = forms.CharField(label=_("Skäl till den extra uppföljningen"),
                             widget=forms.Textarea(attrs={"rows": 4}))
