"""The year-end figures of the municipality's companies and foundations (F1): the årsredovisning
is consolidated with them, each weighted by the municipality's ownership share."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.models import BudgetYear, OrganisationUnit, User

__all__ = ["Bolagsbokslut"]


class Bolagsbokslut(models.Model):
    """One company's or foundation's figures for a budget year, in kronor, entered by the
    finance office from the company's own annual report."""

    unit = models.ForeignKey(OrganisationUnit, verbose_name=_("bolag eller stiftelse"),
                             on_delete=models.PROTECT, related_name="year_end_figures")
    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("år"), on_delete=models.PROTECT,
                                    related_name="+")
    turnover = models.DecimalField(_("omsättning"), max_digits=16, decimal_places=2)
    result_after_financial_items = models.DecimalField(
        _("resultat efter finansiella poster"), max_digits=16, decimal_places=2)
    equity = models.DecimalField(_("eget kapital"), max_digits=16, decimal_places=2)
    balance_sheet_total = models.DecimalField(_("balansomslutning"), max_digits=16,
                                              decimal_places=2)
    # The share of that year: the unit's share may change later, the approved report may not.
    ownership_share = models.DecimalField(_("kommunens ägarandel (%)"), max_digits=5,
                                          decimal_places=2)
    comment = models.TextField(_("kommentar om året"), blank=True)
    entered_by = models.ForeignKey(User, verbose_name=_("registrerat av"),
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bokslutsuppgifter för bolag eller stiftelse")
        verbose_name_plural = _("bokslutsuppgifter för bolag och stiftelser")
        ordering = ["budget_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "budget_year"],
                                    name="one_year_end_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.budget_year}"

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.unit
