"""The bokslut (F4): KF's disposition of each nämnd's result of a closed year, and the account of
how each earmarked allocation was used (B3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.frames.models import FrameAdjustment, Ramrad
from budget.reserves.models import PotMovement
from styrmodell.decisions import RecordedDecision
from styrmodell.models import BudgetYear, OrganisationUnit, User

__all__ = ["DispositionKind", "DispositionStatus", "EarmarkAccounting", "Resultatdisposition"]


class DispositionKind(models.TextChoices):
    CARRY_OVER = "overforing", _("Överföring av del av överskott")
    RESTORE = "aterstallande", _("Återställande av underskott")


class DispositionStatus(models.TextChoices):
    PROPOSED = "forslag", _("Förslag – väntar på KF")
    DECIDED = "beslutad", _("Beslutad av KF")
    REJECTED = "avslagen", _("Avslagen av KF")


class Resultatdisposition(RecordedDecision):
    """The finance office's proposal for a nämnd's result of a closed year and KF's decision
    on it (F4): carry part of a surplus over through next year's ofördelad budget, or restore
    a deficit in a coming year's frame."""

    decision_body = "KF"

    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("bokslutsår"), on_delete=models.PROTECT, related_name="+"
    )
    namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("förslag"), max_length=14, choices=DispositionKind.choices)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    target_year = models.ForeignKey(
        BudgetYear, verbose_name=_("påverkar budgetår"), on_delete=models.PROTECT, related_name="+"
    )
    goals_fulfilled = models.BooleanField(
        _("mål, uppdrag och prestationer uppfyllda"), default=False
    )
    motivation = models.TextField(_("motivering"))
    frame_total = models.DecimalField(_("ram vid förslaget (kr)"), max_digits=16, decimal_places=2)
    outcome = models.DecimalField(_("utfall vid förslaget (kr)"), max_digits=16, decimal_places=2)
    proposed_by = models.ForeignKey(
        User, verbose_name=_("föreslagen av"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DispositionStatus.choices,
        default=DispositionStatus.PROPOSED,
    )
    decided_amount = models.DecimalField(
        _("beslutat belopp (kr)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("beslut registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    movement = models.OneToOneField(
        PotMovement, null=True, blank=True, on_delete=models.PROTECT, related_name="disposition"
    )
    adjustment = models.OneToOneField(
        FrameAdjustment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposition av resultat")
        verbose_name_plural = _("dispositioner av resultat")
        ordering = ["budget_year__year", "namnd__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "namnd"], name="one_disposition_per_namnd_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.budget_year}: {self.get_kind_display()}"

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def is_proposal(self) -> bool:
        return self.status == DispositionStatus.PROPOSED

    @property
    def is_decided(self) -> bool:
        return self.status == DispositionStatus.DECIDED

    @property
    def is_rejected(self) -> bool:
        return self.status == DispositionStatus.REJECTED

    @property
    def is_transfer(self) -> bool:
        """Part of a surplus carried over, rather than a deficit restored."""
        return self.kind == DispositionKind.CARRY_OVER


class EarmarkAccounting(models.Model):
    """The förvaltning's account in the bokslut of how an earmarked allocation (specificerat
    budgettillskott) of a decided frame was used (B3): how much, and for what. What was not
    used is not free money: it is never carried over with the surplus (F4)."""

    # A decided frame's lines are never rebuilt (budget/frames.py), so the account stays with
    # its line; its history outlives even a deleted frame.
    line = models.OneToOneField(
        Ramrad,
        verbose_name=_("specificerat budgettillskott"),
        on_delete=models.CASCADE,
        related_name="accounting",
    )
    used_amount = models.DecimalField(_("använt (kr)"), max_digits=16, decimal_places=2)
    used_for = models.TextField(_("hur medlen använts"))
    written_by = models.ForeignKey(
        User, verbose_name=_("redovisat av"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("redovisat"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("redovisning av specificerat budgettillskott")
        verbose_name_plural = _("redovisningar av specificerade budgettillskott")
        ordering = ["line__frame__budget_year__year", "line__frame__namnd__path", "line__position"]

    def __str__(self) -> str:
        return str(self.line)
