"""Listens to budget: a saved forecast may open a deficit case (D1).

The signal comes after the forecast's transaction has committed; the case opens in its own.
"""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from budget.followup.selectors import variance_of
from budget.models import Prognos
from budget.signals import forecast_saved

from .detection import open_deficit_case


@receiver(forecast_saved, sender=Prognos, dispatch_uid="deviations-open-deficit-case")
def open_case_for_forecast(sender, forecast: Prognos, **kwargs) -> None:
    variance = variance_of(forecast=forecast)
    if variance is None:
        return
    open_deficit_case(variance=variance, today=timezone.localdate())
