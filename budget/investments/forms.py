"""Forms of the investment pages (B8, B9); they parse input, budget/investments.py validates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.investments.services import annual_report_decisions
from budget.models import Arsredovisningsbeslut, ProjectKind, ProjectStatus
from styrmodell.fields import KronorField
from styrmodell.forms import DateInput, VersionedForm
from styrmodell.models import NAMND_LIKE_KINDS, FollowUpPeriod, OrganisationUnit


def _namnder():
    return OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path")


def year_field(label, required=True, help_text=""):
    return forms.IntegerField(label=label, min_value=2000, max_value=2100, required=required,
                              help_text=help_text)


class ProjectForm(VersionedForm):
    namnd = forms.ModelChoiceField(label=_("Nämnd"), queryset=_namnder())
    objekt = forms.CharField(label=_("Objekt eller verksamhet"), max_length=120, required=False)
    name = forms.CharField(label=_("Projektnamn"), max_length=160)
    kind = forms.ChoiceField(label=_("Typ"), choices=ProjectKind.choices)
    total_budget = KronorField(label=_("Totalbudget (kr)"))
    start_year = year_field(_("Startår"))
    end_year = year_field(_("Slutår"))
    in_use_year = year_field(_("Tas i bruk (år)"), required=False,
                             help_text=_("Tomt: slutåret. Avskrivning och internränta börjar "
                                         "året efter."))
    depreciation_years = forms.IntegerField(
        label=_("Avskrivningstid (år)"), min_value=1, max_value=100, required=False,
        help_text=_("Krävs utom för exploatering, som inte skrivs av."))
    description = forms.CharField(label=_("Beskrivning"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    consequences = forms.CharField(
        label=_("Konsekvenser för driften"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Följdkostnader och intäkter (lokalkostnader, personal, drift). Visas "
                    "innan KF beslutar och krävs för beslut (B8)."))

    def __init__(self, *args, namnder=None, **kwargs):
        super().__init__(*args, **kwargs)
        if namnder is not None:
            self.fields["namnd"].queryset = namnder


class ProjectEditForm(ProjectForm):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)


class AppropriationForm(VersionedForm):
    year = year_field(_("År"))
    amount = KronorField(label=_("Anslag, utgifter (kr)"))
    income = KronorField(label=_("Inkomster av markförsäljning (kr)"), required=False,
                         help_text=_("Bara för exploatering."))


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Datum för KF:s beslut"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf (§)"), max_length=20)


class OmbudgeteringForm(forms.Form):
    from_year = year_field(_("Från år"))
    to_year = year_field(_("Till år"),
                         help_text=_("Normalt året efter; ett tidigare år om projektet "
                                     "tidigareläggs."))
    amount = KronorField(label=_("Belopp (kr)"))
    # Not required here: the service refuses a missing reason with the B9 message.
    reason = forms.CharField(label=_("Särskilt skäl"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Till exempel att projektet är försenat."))
    # Not required here: the service refuses a move without it with the B9 message.
    annual_report = forms.ModelChoiceField(
        label=_("KF:s beslut om årsredovisningen"), required=False,
        queryset=Arsredovisningsbeslut.objects.none(),
        empty_label=_("– Välj beslut –"),
        help_text=_("Ombudgetering beslutas av KF i samband med årsredovisningen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annual_report"].queryset = annual_report_decisions()


FOLLOW_UP_PERIODS = [(value, label) for value, label in FollowUpPeriod.choices
                     if value != FollowUpPeriod.FEBRUARY]


class FollowUpForm(VersionedForm):
    """The version field carries the outcome row's version, forecast_version the forecast's."""

    forecast_version = forms.CharField(widget=forms.HiddenInput, required=False)
    year = year_field(_("År"))
    period = forms.ChoiceField(label=_("Uppföljning"), choices=FOLLOW_UP_PERIODS)
    spent = KronorField(label=_("Utfall hittills i år, utgifter (kr)"))
    received = KronorField(label=_("Utfall hittills i år, inkomster (kr)"), required=False,
                           help_text=_("Bara för exploatering."))
    forecast = KronorField(label=_("Prognos slutkostnad (kr)"),
                           help_text=_("Hela projektets beräknade kostnad när det är klart."))
    comment = forms.CharField(label=_("Kommentar"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
