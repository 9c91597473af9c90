"""The forecast form: the full-year forecast in kronor, in total or per verksamhet."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Prognos, Verksamhet
from styrmodell.fields import KronorField
from styrmodell.forms import VersionedForm


class ForecastForm(VersionedForm):
    total = KronorField(
        max_value=None, label=_("Helårsprognos, nettokostnad (kr)"), required=False,
        help_text=_("Nämndens kostnader minus intäkter för hela året. Lämna tomt om du "
                    "fyller i prognosen per verksamhet: då blir totalen deras summa."),
    )
    comment = forms.CharField(
        label=_("Förvaltningens kommentar"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad förklarar avvikelsen från ramen, och vad görs åt den?"),
    )

    def __init__(self, *args, verksamheter: list[Verksamhet], **kwargs):
        super().__init__(*args, **kwargs)
        self.verksamheter = verksamheter
        for verksamhet in verksamheter:
            self.fields[f"verksamhet_{verksamhet.pk}"] = KronorField(
                max_value=None, required=False,
                label=_("Prognos %(name)s (kr)") % {"name": verksamhet})
        # The comment last, after the amounts it explains.
        self.order_fields(["total", *[f"verksamhet_{v.pk}" for v in verksamheter], "comment"])

    @staticmethod
    def initial_for(forecast: Prognos | None, version: str) -> dict:
        if forecast is None:
            return {"version": ""}
        initial = {"version": version, "comment": forecast.comment}
        # Amounts stay Decimal: KronorField offers them back as people type them.
        lines = list(forecast.lines.all())
        if lines:
            initial.update({f"verksamhet_{line.verksamhet_id}": line.amount for line in lines})
        else:
            initial["total"] = forecast.total
        return initial

    def lines(self) -> dict[Verksamhet, Decimal]:
        return {v: self.cleaned_data[f"verksamhet_{v.pk}"] for v in self.verksamheter
                if self.cleaned_data.get(f"verksamhet_{v.pk}") is not None}
