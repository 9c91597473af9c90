"""The budget cycle (B1): recomputations of preliminary frames kept as versions, each nämnd's
budgetunderlag with the deviating indices it expects (B5), and its distribution of the decided
frame over its verksamheter (B2).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.frames.models import CostType, Driftbudgetram
from budget.ledger.models import Verksamhet
from styrmodell.formatting import moment_short
from styrmodell.models import BudgetYear, OrganisationUnit


class Recomputation(models.Model):
    """One run of the finance office's recomputation of a year's preliminary frames (B1, B4-B6)."""

    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(_("beräknad"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("beräknad av"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reason = models.CharField(_("anledning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("omräkning")
        verbose_name_plural = _("omräkningar")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.budget_year} {moment_short(timezone.localtime(self.computed_at))}"


class FrameComputation(models.Model):
    """A preliminary frame as one recomputation left it: a version that can be compared (B1).

    `lines` holds the build-up as it was: [{"kind", "label", "amount", "earmarked"}], amounts as
    decimal strings in kronor.
    """

    run = models.ForeignKey(Recomputation, on_delete=models.CASCADE, related_name="frames")
    frame = models.ForeignKey(Driftbudgetram, on_delete=models.CASCADE,
                              related_name="computations")
    total = models.DecimalField(_("ram (kr)"), max_digits=16, decimal_places=2)
    lines = models.JSONField(_("rader"), default=list)

    class Meta:
        verbose_name = _("ramversion")
        verbose_name_plural = _("ramversioner")
        ordering = ["-run__computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "frame"], name="one_version_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.frame} {self.run}"


class Budgetunderlag(models.Model):
    """A nämnd's budgetunderlag for the coming year (B1, March/April).

    Written by the förvaltning; the nämnd adopts it (recorded by ordförande or nämndsekreterare)
    and from then on it is locked.
    """

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.PROTECT, related_name="+")
    goals_text = models.TextField(_("hur nämnden ska nå målen"), blank=True)
    consequences = models.TextField(_("konsekvenser av den preliminära ramen"), blank=True)
    adopted_on = models.DateField(_("antaget av nämnden"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetunderlag")
        verbose_name_plural = _("budgetunderlag")
        constraints = [
            models.UniqueConstraint(fields=["namnd", "budget_year"],
                                    name="one_budgetunderlag_per_year")
        ]

    def __str__(self) -> str:
        return f"Budgetunderlag {self.budget_year.year} {self.namnd}"

    def get_absolute_url(self) -> str:
        return reverse("budget:underlag", args=[self.budget_year.year, self.namnd_id])

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None


class ExpectedIndex(models.Model):
    """An index the förvaltning expects to deviate from the general one, reported in its
    budgetunderlag before budget work starts (B5)."""

    underlag = models.ForeignKey(Budgetunderlag, on_delete=models.CASCADE,
                                 related_name="expected_indices")
    # A cost type the finance office removes takes the expectations about it along (history
    # keeps them).
    cost_type = models.ForeignKey(CostType, verbose_name=_("kostnadsslag"),
                                  on_delete=models.CASCADE, related_name="+")
    percent = models.DecimalField(_("förväntat index (%)"), max_digits=6, decimal_places=3)
    reason = models.CharField(_("motivering"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förväntat avvikande index")
        verbose_name_plural = _("förväntade avvikande index")
        ordering = ["cost_type__name"]
        constraints = [
            models.UniqueConstraint(fields=["underlag", "cost_type"],
                                    name="one_expected_index_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.cost_type} {self.percent} %"


class Fordelning(models.Model):
    """The nämnd's decision distributing its decided frame over its verksamheter (B2, December)."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.PROTECT, related_name="+")
    frame_total = models.DecimalField(_("beslutad ram (kr)"), max_digits=16, decimal_places=2)
    adopted_on = models.DateField(_("nämndens beslut"))
    paragraph = models.CharField(_("paragraf"), max_length=20)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fördelning på verksamheter")
        verbose_name_plural = _("fördelningar på verksamheter")
        constraints = [
            models.UniqueConstraint(fields=["namnd", "budget_year"],
                                    name="one_fordelning_per_year")
        ]

    def __str__(self) -> str:
        return f"Fördelning {self.budget_year.year} {self.namnd}"

    def get_absolute_url(self) -> str:
        url = reverse("budget:frame", args=[self.budget_year.year, self.namnd_id])
        return f"{url}#fordelning"


class Fordelningsrad(models.Model):
    fordelning = models.ForeignKey(Fordelning, on_delete=models.CASCADE, related_name="rows")
    verksamhet = models.ForeignKey(Verksamhet, verbose_name=_("verksamhet"),
                                   on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fördelningsrad")
        verbose_name_plural = _("fördelningsrader")
        ordering = ["verksamhet__code"]
        constraints = [
            models.UniqueConstraint(fields=["fordelning", "verksamhet"],
                                    name="one_row_per_verksamhet")
        ]

    def __str__(self) -> str:
        return f"{self.verksamhet}: {self.amount}"
