"""The ledger side of the budget: verksamheter, accounts and monthly outcomes (utfall)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.models import OrganisationUnit


class Verksamhet(models.Model):
    """A part of a nämnd's work that its frame is distributed over (B2) and outcomes follow."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="verksamheter")
    code = models.CharField(_("kod"), max_length=20)
    name = models.CharField(_("namn"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")
        ordering = ["namnd__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["namnd", "code"], name="one_verksamhet_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


RESULT_ACCOUNT_CLASSES = frozenset("345678")


class Konto(models.Model):
    """An account of the municipality's chart (Kommun-Bas): class 3 revenue, 4-7 costs,
    8 financial items; 1-2 are balance accounts that carry no outcome of a frame."""

    number = models.CharField(_("kontonummer"), max_length=10, unique=True)
    name = models.CharField(_("benämning"), max_length=100)

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_result_account(self) -> bool:
        return self.number[:1] in RESULT_ACCOUNT_CLASSES


class Utfall(models.Model):
    """A month's outcome of one account for a nämnd (and verksamhet), in kronor.

    Signs as in the ledger: costs (debit) positive, revenues (credit) negative, so the sum of a
    nämnd's rows is its net cost, comparable with its frame.
    """

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    verksamhet = models.ForeignKey(Verksamhet, verbose_name=_("verksamhet"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    konto = models.ForeignKey(Konto, verbose_name=_("konto"), on_delete=models.PROTECT,
                              related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        indexes = [models.Index(fields=["namnd", "year", "month"], name="utfall_namnd_period")]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12),
                                   name="utfall_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.year}-{self.month:02d} {self.konto_id}: {self.amount}"
