"""Forms of the goal pages; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from styrmodell.fields import LONGEST, NumberField
from styrmodell.forms import DateInput, VersionedForm
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind

from . import keyfigures
from .models import (
    Enhetsmal,
    FinansielltMal,
    GoodDirection,
    Level,
    Namndmal,
    Nyckeltal,
    OvergripandeMal,
    ReportPeriod,
    Uppdrag,
    Vision,
)


class NamndmalForm(VersionedForm):
    overgripande_mal = forms.ModelChoiceField(
        label=_("Övergripande mål"), queryset=OvergripandeMal.objects.none(), required=False,
        help_text=_("Vilket av KF:s övergripande mål nämndmålet utgår från."),
    )
    title = forms.CharField(label=_("Nämndmål"), max_length=200)
    what = forms.CharField(label=_("Vad ska uppnås?"), widget=forms.Textarea(attrs={"rows": 3}))
    how_measured = forms.CharField(label=_("Hur mäts det?"),
                                   widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label=_("Målvärde"), max_length=200)
    by_when = forms.DateField(label=_("Uppnått senast"), widget=DateInput())
    key_figures = forms.ModelMultipleChoiceField(
        label=_("Nyckeltal"), queryset=Nyckeltal.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_goal = forms.BooleanField(
        label=_("Nämndens eget mål (följs upp i nämndens årsrapport)"), required=False
    )
    set_by_kf = forms.BooleanField(label=_("Fastställt av KF på nämndnivå"), required=False)

    def __init__(self, *args, budget_year=None, may_set_by_kf=False, **kwargs):
        super().__init__(*args, **kwargs)
        if budget_year is not None:
            self.fields["overgripande_mal"].queryset = OvergripandeMal.objects.filter(
                mandate_period=budget_year.mandate_period, status="antaget"
            )
        if not may_set_by_kf:
            del self.fields["set_by_kf"]

    def goal_fields(self) -> dict:
        return self.changes()


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf (§)"), max_length=20)
    case_number = forms.CharField(label=_("Diarienummer"), max_length=40, required=False)


class OverarchingDecisionForm(DecisionForm):
    """KF's decision on an övergripande mål, with the budget year it is fastställt for (G2)."""

    budget_year = forms.ModelChoiceField(
        label=_("Fastställt med budgeten för"), queryset=BudgetYear.objects.none(),
        required=False, empty_label=_("Inte med en budget"),
        help_text=_("Målet gäller mandatperioden och fastställs för de år KF beslutar det med "
                    "budgeten."),
    )

    def __init__(self, *args, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if goal is not None:
            self.fields["budget_year"].queryset = BudgetYear.objects.filter(
                mandate_period=goal.mandate_period).order_by("year")


class OverarchingLinkForm(forms.Form):
    """G2: which of the new mandate period's övergripande mål each copied goal falls under."""

    choose = forms.CharField(widget=forms.HiddenInput, initial="1")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for choice in choices:
            self.fields[f"link_{choice.old.pk}"] = forms.ModelChoiceField(
                label=_("Mål under ”%(old)s” (mandatperioden %(period)s) utgår nu från")
                % {"old": choice.old, "period": choice.old.mandate_period},
                queryset=OvergripandeMal.objects.filter(pk__in=[c.pk for c in choice.candidates])
                .order_by("number"),
                initial=choice.suggested.pk if choice.suggested else None,
            )

    def links(self) -> dict:
        return {int(name.removeprefix("link_")): value
                for name, value in self.cleaned_data.items() if name.startswith("link_")}


class UppdragReportForm(VersionedForm):
    """G11: the förvaltning's report-back on an uppdrag from KF."""

    report = forms.CharField(label=_("Vad har gjorts i uppdraget?"),
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("Återrapporten redovisas i årsredovisningen."))
    completed = forms.BooleanField(label=_("Uppdraget är genomfört"), required=False)


def _requirement(levels) -> str:
    if set(levels) >= set(Level.values):
        return str(_("Krävs alltid."))
    names = [str(Level(level).label).split(" –")[0] for level in Level.values if level in levels]
    return str(_("Krävs vid %(levels)s.") % {"levels": " och ".join(
        [", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)})


class AssessmentForm(VersionedForm):
    level = forms.ChoiceField(label=_("Bedömning"), choices=Level.choices,
                              widget=forms.RadioSelect)
    forecast = forms.ChoiceField(
        label=_("Prognos för måluppfyllelse vid årets slut"),
        choices=[("", "–"), *Level.choices], required=False,
    )
    activities_helped = forms.CharField(
        label=_("Vilka aktiviteter har bidragit (eller inte) till måluppfyllelsen, och varför?"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )
    activities_missing = forms.CharField(
        label=_("Vilka aktiviteter bedömer ni saknades?"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )
    external_factors = forms.CharField(
        label=_("Har omvärldsfaktorer påverkat, och i så fall hur?"),
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
    )
    resources = forms.CharField(
        label=_("Vilka ekonomiska resurser fanns avsatta, vad blev utfallet och vad förklarar "
                "en eventuell budgetavvikelse?"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )
    conclusion = forms.CharField(label=_("Slutsats"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)
    priorities = forms.CharField(label=_("Aktiviteter som prioriteras resten av året"),
                                 widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recommendation = forms.CharField(label=_("Rekommenderade förändringar inför nästa år"),
                                     widget=forms.Textarea(attrs={"rows": 2}), required=False)
    future_challenges = forms.CharField(
        label=_("Framtida utmaningar"),
        help_text=_("Förändrad lagstiftning, beslut, samverkan regionalt och nationellt."),
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
    )

    def __init__(self, *args, with_forecast: bool, required_by_level: dict, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_forecast:
            del self.fields["forecast"]
        else:
            self._note(self.fields["forecast"], _("Krävs i delårsrapporten."))
        # Said before the user writes: which answers the chosen level will require.
        for name, levels in required_by_level.items():
            if name in self.fields:
                self._note(self.fields[name], _requirement(levels))

    @staticmethod
    def _note(field, note: str) -> None:
        field.help_text = f"{note} {field.help_text}".strip() if field.help_text else note

    def answers(self) -> dict:
        return self.changes()


class EnhetsmalForm(forms.Form):
    enhet = forms.ModelChoiceField(label=_("Enhet"), queryset=OrganisationUnit.objects.none())
    title = forms.CharField(label=_("Enhetsmål"), max_length=200)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False)

    def __init__(self, *args, enheter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = enheter if enheter is not None else (
            OrganisationUnit.objects.filter(kind=UnitKind.ENHET))


class MedarbetarmalForm(forms.Form):
    enhetsmal = forms.ModelChoiceField(label=_("Enhetsmål"), queryset=Enhetsmal.objects.none())
    text = forms.CharField(label=_("Medarbetarmål"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["enhetsmal"].queryset = Enhetsmal.objects.filter(
                enhet=plan.enhet, namndmal__budget_year=plan.budget_year)


class VisionForm(forms.ModelForm):
    class Meta:
        model = Vision
        fields = ["mandate_period", "text"]


class OvergripandeMalForm(forms.ModelForm):
    class Meta:
        model = OvergripandeMal
        fields = ["mandate_period", "number", "title", "description", "replaces"]
        help_texts = {"replaces": _("Välj ett antaget mål som det nya beslutet ska ersätta.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = OvergripandeMal.objects.filter(
            status="antaget", replaced_by__isnull=True)


class EnhetsmalFollowUpForm(forms.Form):
    period = forms.ChoiceField(label=_("Uppföljning"), choices=ReportPeriod.choices)
    level = forms.ChoiceField(label=_("Bedömning"), choices=Level.choices,
                              widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)


class MedarbetarplanFollowUpForm(VersionedForm):
    """A7: the chef's follow-up of the plan at the medarbetarsamtal."""

    followed_up_on = forms.DateField(label=_("Datum för medarbetarsamtalet"), widget=DateInput(),
                                     required=False)
    follow_up_note = forms.CharField(label=_("Uppföljning vid medarbetarsamtalet"),
                                     help_text=_("Hur det har gått med medarbetarmålen och vad "
                                                 "ni kom överens om."),
                                     widget=forms.Textarea(attrs={"rows": 5}), required=False)


class MedarbetarplanForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Medarbetare"), queryset=None)
    enhet = forms.ModelChoiceField(label=_("Enhet"), queryset=None)
    budget_year = forms.ModelChoiceField(label=_("År"), queryset=BudgetYear.objects.all())
    agreed_on = forms.DateField(label=_("Överenskommen i medarbetarsamtal"), widget=DateInput(),
                                required=False)

    def __init__(self, *args, employees, enheter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["enhet"].queryset = enheter


class FinansielltMalForm(forms.ModelForm):
    class Meta:
        model = FinansielltMal
        fields = ["budget_year", "unit", "title", "measure", "target_value", "target_unit",
                  "computed_as"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrganisationUnit.objects.filter(
            kind__in=[UnitKind.KOMMUN, UnitKind.NAMND, UnitKind.KS]).order_by("path")


class UppdragForm(forms.ModelForm):
    class Meta:
        model = Uppdrag
        fields = ["namnd", "budget_year", "title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["namnd"].queryset = OrganisationUnit.objects.filter(
            kind__in=[UnitKind.NAMND, UnitKind.KS]).order_by("path")


# Key figures (A2, G8), their Kolada import and verksamhetsplaner (G7).


class DecimalTextField(NumberField):
    """A key figure's value: any decimals; keyfigures.check_value judges what fits."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = str(LONGEST)


class KeyFigureForm(VersionedForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    unit_label = forms.CharField(label=_("Enhet"), max_length=30, required=False,
                                 help_text=_("T.ex. %, antal, kr/invånare."))
    good_direction = forms.ChoiceField(label=_("Vad är en god utveckling?"),
                                       choices=GoodDirection.choices, widget=forms.RadioSelect)
    source = forms.CharField(label=_("Källa"), max_length=100, required=False,
                             help_text=_("T.ex. Kolada, SCB eller egen mätning."))
    kolada_kpi = forms.CharField(label=_("Kolada-id"), max_length=12, required=False,
                                 help_text=_("Nyckeltalets id i Kolada, t.ex. N15436. Behövs "
                                             "för import från Kolada."))
    description = forms.CharField(label=_("Beskrivning"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    namnd = forms.ModelChoiceField(
        label=_("Nämndnyckeltal för"), queryset=OrganisationUnit.objects.none(), required=False,
        empty_label=_("Kommungemensamt nyckeltal"),
        help_text=_("Ett nämndnyckeltal följs upp av nämnden själv."),
    )

    def __init__(self, *args, namnder=None, allow_common=True, **kwargs):
        super().__init__(*args, **kwargs)
        if namnder is not None:
            self.fields["namnd"].queryset = namnder
        if not allow_common:
            self.fields["namnd"].required = True
            self.fields["namnd"].empty_label = None

    def definition(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ValueForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organisation"),
                                  queryset=keyfigures.units_with_values())
    period = forms.IntegerField(label=_("År"), min_value=keyfigures.FIRST_YEAR, max_value=2100)
    value = DecimalTextField(label=_("Värde"), required=False,
                             help_text=_("Decimalkomma går bra, t.ex. 71,3. Lämna tomt om värde "
                                         "saknas för året. Ett befintligt värde för samma år "
                                         "och organisation ersätts."))


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=keyfigures.FIRST_YEAR, max_value=2100)
    value = DecimalTextField(label=_("Målvärde"), required=False,
                             help_text=_("Lämna tomt för att ta bort årets målvärde."))


class KoladaImportForm(forms.Form):
    file = forms.FileField(label=_("Fil från Kolada (JSON)"),
                           help_text=_("Svaret från Kolada API v3, t.ex. "
                                       "api.kolada.se/v3/data/kpi/N15436/municipality/1443, "
                                       "sparat som fil. Högst 5 MB."))
    municipality_code = forms.RegexField(
        label=_("Kommunkod"), regex=r"^\d{4}$", max_length=4,
        error_messages={"invalid": _("Kommunkoden är fyra siffror, t.ex. 1443.")},
        help_text=_("Kommunens kod i Kolada. Bara rader med den koden läses in."),
    )
    unit = forms.ModelChoiceField(
        label=_("Värdena gäller"), queryset=keyfigures.units_with_values(),
        help_text=_("Vilken organisation kommunkoden står för, normalt kommunen som helhet."),
    )


class ComparisonForm(forms.Form):
    code = forms.CharField(label=_("Kommunkod i Kolada"), max_length=4,
                           help_text=_("Fyra siffror, t.ex. 1443."))
    name = forms.CharField(label=_("Namn"), max_length=100, required=False,
                           help_text=_("Lämna tomt för att hämta namnet från Kolada."))


class PlanForm(VersionedForm):
    introduction = forms.CharField(label=_("Inledning"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    dialogue_goals = forms.ModelMultipleChoiceField(
        label=_("Mål nämnden vill ha dialog om"), queryset=Namndmal.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    dialogue_with = forms.CharField(label=_("Dialog med"), max_length=200, required=False,
                                    help_text=_("KS och/eller andra nämnder."))

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if goals is not None:
            self.fields["dialogue_goals"].queryset = goals

    def plan_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PlanRowForm(VersionedForm):
    method = forms.CharField(label=_("Metod och arbetssätt"),
                             widget=forms.Textarea(attrs={"rows": 4}))
    styrtal = forms.CharField(label=_("Styrtal"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Måtten förvaltningen styr och följer målet med."))
    follow_up = forms.CharField(label=_("Hur det följs upp"),
                                widget=forms.Textarea(attrs={"rows": 3}))
    reached_when = forms.CharField(
        label=_("Vad som ska ha uppnåtts för att målet ska anses uppfyllt"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def row_fields(self) -> dict:
        return self.changes()


class AdoptPlanForm(forms.Form):
    adopted_on = forms.DateField(label=_("Nämndens beslutsdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf (§)"), max_length=20)
