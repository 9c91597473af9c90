"""The municipal tax rate of a budget year, proposed in the budget and decided by KF (B11)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.decisions import RecordedDecision
from styrmodell.models import BudgetYear

__all__ = ["Skattesats", "TaxRateStatus"]


class TaxRateStatus(models.TextChoices):
    PROPOSAL = "forslag", _("Förslag")
    DECIDED = "beslutad", _("Beslutad av KF")


class Skattesats(RecordedDecision):
    """The municipal tax rate of a budget year, decided by KF (B11); one per year."""

    decision_body = "KF"

    budget_year = models.OneToOneField(
        BudgetYear, verbose_name=_("budgetår"), on_delete=models.PROTECT, related_name="tax_rate"
    )
    percent = models.DecimalField(_("skattesats (kr per 100 kr)"), max_digits=5, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=TaxRateStatus.choices, default=TaxRateStatus.PROPOSAL
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skattesats")
        verbose_name_plural = _("skattesatser")
        ordering = ["budget_year__year"]

    def __str__(self) -> str:
        return f"Skattesats {self.budget_year}: {self.percent}"

    def get_absolute_url(self) -> str:
        return reverse("budget:tax_rate", args=[self.budget_year.year])

    @property
    def is_decided(self) -> bool:
        return self.status == TaxRateStatus.DECIDED
