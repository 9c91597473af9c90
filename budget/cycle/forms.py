"""Forms of the budget cycle: the assumptions (B3-B6), budgetunderlag (B1, B5) and the
distribution over verksamheter (B2). They parse; the services in assumptions.py and cycle.py
validate the rules.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import AdjustmentKind
from styrmodell.fields import KronorField, NumberField
from styrmodell.forms import DateInput, VersionedForm


def percent_field(label: str, required: bool = False, **kwargs) -> NumberField:
    """A per cent with three decimals, as the DecimalField(max_digits=6, decimal_places=3)
    columns hold it."""
    return NumberField(label=label, required=required, decimal_places=3, max_digits=6, size=6,
                       **kwargs)


def normalize(data, prefixes: tuple[str, ...]):
    """Accept 1 234 as well as 1234 in the population's integer fields: spaces (also
    non-breaking) are dropped before parsing; NumberField reads the other numbers itself."""
    if data is None:
        return None
    data = data.copy()
    for key in list(data):
        if key.startswith(prefixes):
            data[key] = data[key].replace("\u00a0", "").replace(" ", "")
    return data


class IndexForm(VersionedForm):
    def __init__(self, data=None, *, cost_types, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["general"] = percent_field(_("Allmänt index (%)"), required=True)
        self.cost_types = list(cost_types)
        for cost_type in self.cost_types:
            self.fields[f"type_{cost_type.pk}"] = percent_field(
                f"{cost_type.name} (%)",
                help_text=_("Tomt: följer det allmänna indexet."))

    def by_type(self) -> dict[int, Decimal | None]:
        return {ct.pk: self.cleaned_data.get(f"type_{ct.pk}") for ct in self.cost_types}


class GridForm(VersionedForm):
    """One field per (row, column) of a table, named prefix_row_column."""

    prefix_name = "cell"

    def __init__(self, data=None, *, rows, columns, field_factory, **kwargs):
        super().__init__(data, **kwargs)
        self.rows, self.columns = list(rows), list(columns)
        for row in self.rows:
            for column in self.columns:
                self.fields[self.name(row, column)] = field_factory(
                    f"{row} – {column}")

    def name(self, row, column) -> str:
        return f"{self.prefix_name}_{row.pk}_{getattr(column, 'pk', column)}"

    def table(self):
        return [(row, [self[self.name(row, column)] for column in self.columns])
                for row in self.rows]

    def values(self) -> dict:
        return {(row.pk, getattr(column, "pk", column)): self.cleaned_data.get(
            self.name(row, column)) for row in self.rows for column in self.columns}


class PopulationForm(VersionedForm):
    def __init__(self, data=None, *, groups, years, **kwargs):
        super().__init__(normalize(data, ("forecast_", "actual_")), **kwargs)
        self.groups, self.years = list(groups), list(years)
        for group in self.groups:
            for year in self.years:
                self.fields[f"forecast_{group.pk}_{year}"] = forms.IntegerField(
                    label=f"Prognos {group} {year}", required=False, min_value=0,
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
                self.fields[f"actual_{group.pk}_{year}"] = forms.IntegerField(
                    label=f"Utfall {group} {year}", required=False, min_value=0,
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))

    def table(self):
        return [(group, [(year, self[f"forecast_{group.pk}_{year}"],
                          self[f"actual_{group.pk}_{year}"]) for year in self.years])
                for group in self.groups]

    def values(self) -> dict:
        return {(group.pk, year): (self.cleaned_data.get(f"forecast_{group.pk}_{year}"),
                                   self.cleaned_data.get(f"actual_{group.pk}_{year}"))
                for group in self.groups for year in self.years}


class AdjustmentForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Typ"), choices=AdjustmentKind.choices)
    namnd = forms.ModelChoiceField(label=_("Nämnd"), queryset=None, required=False,
                                   empty_label=_("Alla nämnder"),
                                   help_text=_("Tomt: förändringsuppdraget gäller alla "
                                               "nämnder."))
    reason = forms.CharField(label=_("Motivering"), max_length=200)
    percent = percent_field(_("Procent av basen"),
                            help_text=_("Förändringsuppdrag: procent av förra årets ram."))
    amount = KronorField(label=_("Belopp (kr)"), required=False, size=12)

    def __init__(self, data=None, *, namnder, kinds, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["namnd"].queryset = namnder
        self.fields["kind"].choices = [(value, label) for value, label in AdjustmentKind.choices
                                       if value in kinds]


class UnderlagForm(VersionedForm):
    goals_text = forms.CharField(
        label=_("Hur nämnden ska nå målen"), widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000)
    consequences = forms.CharField(
        label=_("Konsekvenser av den preliminära ramen"),
        widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)

    def __init__(self, data=None, *, cost_types, **kwargs):
        super().__init__(data, **kwargs)
        self.cost_types = list(cost_types)
        for cost_type in self.cost_types:
            self.fields[f"index_{cost_type.pk}"] = percent_field(
                f"Förväntat index {cost_type.name.lower()} (%)",
                help_text=_("Lämna tomt om ni förväntar er det allmänna indexet."))
            self.fields[f"reason_{cost_type.pk}"] = forms.CharField(
                label=f"Motivering {cost_type.name.lower()}", max_length=300, required=False)

    def text_fields(self):
        return [self["goals_text"], self["consequences"]]

    def index_rows(self):
        return [(ct, self[f"index_{ct.pk}"], self[f"reason_{ct.pk}"]) for ct in self.cost_types]

    def expected(self) -> dict:
        return {ct.pk: (self.cleaned_data.get(f"index_{ct.pk}"),
                        self.cleaned_data.get(f"reason_{ct.pk}", ""))
                for ct in self.cost_types}


class AdoptForm(VersionedForm):
    adopted_on = forms.DateField(label=_("Datum för nämndens beslut"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf i protokollet"), max_length=20)


class FordelningForm(VersionedForm):
    adopted_on = forms.DateField(label=_("Datum för nämndens beslut"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf i protokollet"), max_length=20)

    def __init__(self, data=None, *, verksamheter, **kwargs):
        super().__init__(data, **kwargs)
        self.verksamheter = list(verksamheter)
        for verksamhet in self.verksamheter:
            self.fields[f"amount_{verksamhet.pk}"] = KronorField(
                label=f"{verksamhet} (kr)", required=False, size=12)

    def amount_fields(self):
        return [(v, self[f"amount_{v.pk}"]) for v in self.verksamheter]

    def decision_fields(self):
        return [self["adopted_on"], self["paragraph"]]

    def amounts(self) -> dict:
        return {v.pk: self.cleaned_data.get(f"amount_{v.pk}") for v in self.verksamheter}
