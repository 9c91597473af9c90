"""Verksamhetens volymer (F1): what a nämnd counts, the volume budgeted for the year, and the
outcome and full-year forecast it reports in each follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.models import BudgetYear, FollowUpPeriod, OrganisationUnit

__all__ = ["Volymmatt", "Volymuppfoljning"]


class Volymmatt(models.Model):
    """One measure of a nämnd's volume in a budget year, e.g. "Antal elever i grundskolan"
    counted in "elever", with the volume the budget was built on (and, optionally, what one
    unit costs in that budget, so a variance in volume can be read in kronor)."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("mått"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40)
    budget = models.DecimalField(_("budgeterad volym"), max_digits=14, decimal_places=2)
    cost_per_unit = models.DecimalField(_("budgeterad kostnad per enhet (kr)"), max_digits=14,
                                        decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volymmått")
        verbose_name_plural = _("volymmått")
        ordering = ["budget_year__year", "namnd__path", "position", "pk"]
        permissions = [("answer_for_volymmatt", _("Ansvarar för måttets utfall och prognos"))]
        constraints = [
            models.UniqueConstraint(fields=["namnd", "budget_year", "name"],
                                    name="one_volymmatt_per_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def get_absolute_url(self) -> str:
        return reverse("budget:volume_measure", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd


class Volymuppfoljning(models.Model):
    """A measure's outcome and full-year forecast as reported in one follow-up period.

    The outcome is the volume at the period (a stock, such as pupils) or through it (a flow,
    such as care days); in the årsredovisning the outcome is the year's and the forecast equals
    it (kept so by the service)."""

    measure = models.ForeignKey(Volymmatt, verbose_name=_("mått"), on_delete=models.CASCADE,
                                related_name="followups")
    period = models.CharField(_("uppföljning"), max_length=3, choices=FollowUpPeriod.choices)
    outcome = models.DecimalField(_("utfall"), max_digits=14, decimal_places=2)
    forecast = models.DecimalField(_("helårsprognos"), max_digits=14, decimal_places=2)
    comment = models.TextField(_("kommentar"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("skriven av"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(_("skriven"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volymuppföljning")
        verbose_name_plural = _("volymuppföljningar")
        ordering = ["measure__position", "measure__pk", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"],
                                    name="one_volymuppfoljning_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.get_period_display()}"

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.measure.namnd
