"""Forms of the ofördelad budget and lönerörelse pages, and the amount and decision fields the
skattesats and bokslut forms share; services validate the rules, these only parse. Amounts in
kronor, as Decimal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Criterion
from styrmodell.fields import KronorField
from styrmodell.forms import DateInput, VersionedForm
from styrmodell.models import OrganisationUnit


def amount_field(label: str, required: bool = True, **kwargs) -> KronorField:
    """An amount in kronor with öre, as the DecimalField(max_digits=16, decimal_places=2)
    columns hold it."""
    return KronorField(label=label, required=required, **kwargs)


class RecordedDecisionForm(VersionedForm):
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf (§)"), max_length=20)
    case_number = forms.CharField(label=_("Diarienummer"), max_length=40, required=False)


class PotAmountForm(RecordedDecisionForm):
    amount = amount_field(_("Ofördelad budget enligt KF:s budgetbeslut (kr)"))
    field_order = ["amount", "decided_on", "paragraph", "case_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("decided_on", "paragraph"):
            self.fields[name].required = False
        self.fields["decided_on"].help_text = _(
            "Lämna datum och paragraf tomma så länge beloppet bara är budgetförslagets."
        )


class ApplicationForm(VersionedForm):
    namnd = forms.ModelChoiceField(label=_("Nämnd"), queryset=OrganisationUnit.objects.none())
    title = forms.CharField(label=_("Vad ansökan gäller"), max_length=150)
    amount = amount_field(_("Sökt belopp (kr)"))
    criterion = forms.ChoiceField(
        label=_("Kriterium"), choices=Criterion.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Hur uppfyller behovet kriteriet? För (a): kostnaden nu och besparingen "
            "över tid. För (b): händelsen och dess kostnader."
        ),
    )
    namnd_decision = forms.CharField(
        label=_("Nämndens beslut att ansöka"),
        max_length=100,
        required=False,
        help_text=_("T.ex. BUN 15 mars 2026 § 34."),
    )

    def __init__(self, *args, namnder=None, **kwargs):
        super().__init__(*args, **kwargs)
        if namnder is None:
            del self.fields["namnd"]
        else:
            self.fields["namnd"].queryset = namnder


class StatementForm(VersionedForm):
    criteria_met = forms.TypedChoiceField(
        label=_("Uppfyller ansökan kriterierna för ofördelad budget?"),
        choices=[
            ("ja", _("Ja, kriterierna är uppfyllda")),
            ("nej", _("Nej, kriterierna är inte uppfyllda")),
        ],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(label=_("Yttrande"), widget=forms.Textarea(attrs={"rows": 6}))


DECISION_CHOICES = [("bifall", _("Bifall")), ("avslag", _("Avslag"))]


class PotDecisionForm(RecordedDecisionForm):
    outcome = forms.ChoiceField(
        label=_("KS beslut"), choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    granted_amount = amount_field(
        _("Beviljat belopp (kr)"),
        required=False,
        help_text=_("Högst det sökta beloppet. Lämnas tomt vid avslag."),
    )
    field_order = ["outcome", "granted_amount", "decided_on", "paragraph", "case_number"]


class ReserveForm(RecordedDecisionForm):
    amount = amount_field(_("Lönerörelsereserv enligt KF:s budgetbeslut (kr)"))
    field_order = ["amount", "decided_on", "paragraph", "case_number"]


class UseInYearForm(VersionedForm):
    amount = amount_field(_("Används innevarande år (kr)"))
    decided_on = forms.DateField(label=_("KSAU:s beslutsdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf (§)"), max_length=20)


class DistributionForm(RecordedDecisionForm):
    """One amount field per nämnd, named by the nämnd's id."""

    def __init__(self, *args, namnder=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.namnder = list(namnder)
        for namnd in self.namnder:
            self.fields[f"namnd_{namnd.pk}"] = amount_field(f"{namnd} (kr)", required=False)
        self.order_fields(
            [f"namnd_{namnd.pk}" for namnd in self.namnder]
            + ["decided_on", "paragraph", "case_number"]
        )

    def amounts(self) -> dict:
        return {namnd: self.cleaned_data.get(f"namnd_{namnd.pk}") for namnd in self.namnder}
