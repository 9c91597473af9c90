"""Forms of the volume pages: a measure, and the outcome and forecast of every measure of a
nämnd in one follow-up. They parse what people type; budget/volumes.py judges it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Volymmatt, Volymuppfoljning
from budget.volumes.services import Entry
from styrmodell.forms import VersionedForm
from styrmodell.models import FollowUpPeriod

SPACES = re.compile(r"[\s\u00a0\u202f]")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


class VolumeField(forms.Field):
    """A number as people type it: "1 190", "12,5", "−3". The sign is kept, so the service can
    say in words why a negative volume is refused."""

    widget = forms.TextInput

    def __init__(self, *, size: int = 10, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off",
                                  "size": str(size)})

    def to_python(self, value) -> Decimal | None:
        text = SPACES.sub("", str(value or "")[:40]).replace(",", ".").replace("\u2212", "-")
        if not text:
            return None
        if not NUMBER.fullmatch(text):
            raise forms.ValidationError(_("Skriv ett tal med siffror, till exempel 1 190 "
                                          "eller 12,5."))
        try:
            return Decimal(text)
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise forms.ValidationError(_("Ogiltigt tal.")) from error


def number_text(value: Decimal | None) -> str:
    """A stored volume as the form shows it again: 1 190 or 12,5."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped + ("," + fraction if fraction else "")


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
                "budget": number_text(measure.budget),
                "cost_per_unit": number_text(measure.cost_per_unit)}

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
            initial[f"outcome_{pk}"] = number_text(entry.outcome)
            initial[f"forecast_{pk}"] = number_text(entry.forecast)
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
