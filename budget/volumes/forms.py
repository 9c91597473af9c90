"""Forms of the volume pages: a measure, and the outcome and forecast of every measure of a
nämnd in one follow-up. They parse what people type; budget/volumes.py judges it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Volymmatt, Volymuppfoljning
from budget.volumes.services import Entry
from styrmodell.fields import NumberField
from styrmodell.forms import VersionedForm
from styrmodell.models import FollowUpPeriod


class VolumeField(NumberField):
    """A volume as people type it: "1 190", "12,5", "−3". Any decimals and the sign are kept,
    so the service can say in words why a negative volume or a third decimal is refused."""

    def __init__(self, *, size: int = 10, **kwargs):
        super().__init__(size=size, **kwargs)


class MeasureForm(VersionedForm):
    name = forms.CharField(label=_("Mått"), max_length=200,
                           help_text=_("Vad som räknas, till exempel Antal elever i "
                                       "grundskolan eller Placeringsdygn HVB."))
    unit = forms.CharField(label=_("Enhet"), max_length=40,
                           help_text=_("Till exempel elever, barn, dygn, timmar, platser eller "
                                       "hushåll."))
    budget = VolumeField(label=_("Budgeterad volym"), required=False,
                         help_text=_("Den volym årets budget bygger på, i måttets enhet."))
    cost_per_unit = VolumeField(label=_("Budgeterad kostnad per enhet (kr)"), required=False,
                                help_text=_("Frivilligt. Med den visas vad avvikelsen i volym "
                                            "motsvarar i kronor."))

    @staticmethod
    def initial_for(measure: Volymmatt, version: str) -> dict:
        return {"version": version, "name": measure.name, "unit": measure.unit,
                "budget": measure.budget,
                "cost_per_unit": measure.cost_per_unit}

    def measure_fields(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in ("name", "unit", "budget",
                                                            "cost_per_unit")}


class FollowUpForm(VersionedForm):
    """One row per measure: outcome, full-year forecast (not in the årsredovisning), comment."""

    def __init__(self, *args, measures: list[Volymmatt], period: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures, self.period = measures, period
        self.annual = period == FollowUpPeriod.YEAR
        for measure in measures:
            self.fields[f"outcome_{measure.pk}"] = VolumeField(
                label=(_("Utfall helår, %(name)s") if self.annual else
                       _("Utfall, %(name)s")) % {"name": measure}, required=False, size=8)
            if not self.annual:
                self.fields[f"forecast_{measure.pk}"] = VolumeField(
                    label=_("Helårsprognos, %(name)s") % {"name": measure}, required=False,
                    size=8)
            self.fields[f"comment_{measure.pk}"] = forms.CharField(
                label=_("Kommentar, %(name)s") % {"name": measure}, required=False,
                max_length=1000, widget=forms.TextInput(attrs={"size": 30}))

    @staticmethod
    def initial_for(entries: dict[int, Volymuppfoljning], version: str) -> dict:
        initial: dict = {"version": version}
        for pk, entry in entries.items():
            initial[f"outcome_{pk}"] = entry.outcome
            initial[f"forecast_{pk}"] = entry.forecast
            initial[f"comment_{pk}"] = entry.comment
        return initial

    def table(self):
        """(measure, outcome field, forecast field or None, comment field) per row."""
        return [(m, self[f"outcome_{m.pk}"],
                 None if self.annual else self[f"forecast_{m.pk}"], self[f"comment_{m.pk}"])
                for m in self.measures]

    def entries(self) -> dict[int, Entry]:
        data = self.cleaned_data
        return {m.pk: Entry(outcome=data.get(f"outcome_{m.pk}"),
                            forecast=data.get(f"forecast_{m.pk}"),
                            comment=data.get(f"comment_{m.pk}") or "")
                for m in self.measures}
