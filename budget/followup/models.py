"""Forecasts (prognoser): a nämnd's full-year forecast of net cost in each follow-up (F1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.ledger.models import Verksamhet
from styrmodell.models import BudgetYear, FollowUpPeriod, OrganisationUnit


class Prognos(models.Model):
    """The förvaltning's forecast of a nämnd's net cost for the whole year, written in one
    follow-up period; comparable with the nämnd's decided frame (costs positive).

    When lines per verksamhet are given, `total` is their sum (kept so by the service)."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("uppföljning"), max_length=3, choices=FollowUpPeriod.choices)
    total = models.DecimalField(_("helårsprognos, nettokostnad (kr)"), max_digits=16,
                                decimal_places=2)
    comment = models.TextField(_("förvaltningens kommentar"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("skriven av"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(_("skriven"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")
        ordering = ["budget_year__year", "namnd__path", "period"]
        constraints = [
            models.UniqueConstraint(fields=["namnd", "budget_year", "period"],
                                    name="one_prognos_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.budget_year} {self.get_period_display()}"

    def get_absolute_url(self) -> str:
        return (reverse("budget:followup_namnd", args=[self.budget_year.year, self.namnd_id])
                + f"?period={self.period}")

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def period_label(self) -> str:
        return FollowUpPeriod(self.period).label


class Prognosrad(models.Model):
    """The forecast of one verksamhet, where the nämnd forecasts by verksamhet."""

    prognos = models.ForeignKey(Prognos, on_delete=models.CASCADE, related_name="lines")
    verksamhet = models.ForeignKey(Verksamhet, verbose_name=_("verksamhet"),
                                   on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("helårsprognos (kr)"), max_digits=16, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prognosrad")
        verbose_name_plural = _("prognosrader")
        ordering = ["verksamhet__code"]
        constraints = [
            models.UniqueConstraint(fields=["prognos", "verksamhet"],
                                    name="one_prognosrad_per_verksamhet"),
        ]

    def __str__(self) -> str:
        return f"{self.prognos}: {self.verksamhet}"


__all__ = ["Prognos", "Prognosrad"]
