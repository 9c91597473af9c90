"""Budget frames and how they are built (B2-B6): assumptions, frames and their lines."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.models import BudgetYear, OrganisationUnit


class CostType(models.Model):
    """A kind of cost or revenue that may carry its own index (B5)."""

    code = models.SlugField(_("kod"), max_length=30, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    is_revenue = models.BooleanField(_("intäkt"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kostnadsslag")
        verbose_name_plural = _("kostnadsslag")
        ordering = ["is_revenue", "name"]

    def __str__(self) -> str:
        return self.name


class IndexRate(models.Model):
    """The general index (no cost type) or a differentiated one for a budget year (B5)."""

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="+")
    cost_type = models.ForeignKey(
        CostType, verbose_name=_("kostnadsslag"), null=True, blank=True, on_delete=models.PROTECT
    )
    percent = models.DecimalField(_("procent"), max_digits=6, decimal_places=3)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("index")
        verbose_name_plural = _("index")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "cost_type"], name="one_index_per_type"),
            models.UniqueConstraint(fields=["budget_year"], condition=models.Q(cost_type=None),
                                    name="one_general_index_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.cost_type or 'Allmänt index'} {self.percent} %"


class CostShare(models.Model):
    """How large a part of a nämnd's frame a cost type is, for differentiated indices (B5)."""

    namnd = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    cost_type = models.ForeignKey(CostType, on_delete=models.PROTECT)
    percent = models.DecimalField(_("andel (%)"), max_digits=6, decimal_places=3)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kostnadsandel")
        verbose_name_plural = _("kostnadsandelar")
        constraints = [
            models.UniqueConstraint(fields=["namnd", "cost_type"], name="one_share_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.cost_type} {self.percent} %"


class AgeGroup(models.Model):
    name = models.CharField(_("åldersgrupp"), max_length=40, unique=True)
    min_age = models.PositiveSmallIntegerField(_("från ålder"))
    max_age = models.PositiveSmallIntegerField(_("till ålder"), null=True, blank=True)

    class Meta:
        verbose_name = _("åldersgrupp")
        verbose_name_plural = _("åldersgrupper")
        ordering = ["min_age"]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Forecast and, once known, actual inhabitants of an age group in a year (B4)."""

    year = models.PositiveIntegerField(_("år"))
    age_group = models.ForeignKey(AgeGroup, on_delete=models.PROTECT, related_name="population")
    forecast = models.PositiveIntegerField(_("prognos"))
    actual = models.PositiveIntegerField(_("utfall"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("befolkning")
        verbose_name_plural = _("befolkning")
        ordering = ["year", "age_group__min_age"]
        constraints = [
            models.UniqueConstraint(fields=["year", "age_group"], name="one_population_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.age_group} {self.year}"


class VolumeRate(models.Model):
    """Kronor per inhabitant of an age group that a nämnd's frame follows (B4)."""

    namnd = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    age_group = models.ForeignKey(AgeGroup, on_delete=models.PROTECT)
    amount = models.DecimalField(_("kronor per invånare"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volympeng")
        verbose_name_plural = _("volympeng")
        constraints = [
            models.UniqueConstraint(fields=["namnd", "age_group"], name="one_rate_per_age_group")
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.age_group} {self.amount} kr"


class AdjustmentKind(models.TextChoices):
    PRIORITY = "prioritering", _("Politisk prioritering")
    EARMARKED = "riktat", _("Specificerat budgettillskott")
    EFFICIENCY = "forandringsuppdrag", _("Förändringsuppdrag")


class FrameAdjustment(models.Model):
    """A political priority, an earmarked allocation (B3) or a change requirement (B6).

    A change requirement is a percentage of the base: general (no nämnd) or for one nämnd.
    """

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="+")
    namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("nämnd"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", help_text=_("Tomt: gäller alla nämnder."),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=AdjustmentKind.choices)
    reason = models.CharField(_("motivering"), max_length=200)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2, null=True,
                                 blank=True)
    percent = models.DecimalField(_("procent av basen"), max_digits=6, decimal_places=3,
                                  null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ramjustering")
        verbose_name_plural = _("ramjusteringar")
        ordering = ["budget_year", "kind", "pk"]

    def __str__(self) -> str:
        return self.reason

    @property
    def is_change_requirement(self) -> bool:
        return self.kind == AdjustmentKind.EFFICIENCY


class FrameStage(models.TextChoices):
    PRELIMINARY = "preliminar", _("Preliminär ram")
    PROPOSAL = "forslag", _("Budgetförslag")
    DECIDED = "beslutad", _("Beslutad av KF")


class Driftbudgetram(models.Model):
    """A nämnd's frame for a budget year at one stage of the cycle (B1, B2)."""

    namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="frames"
    )
    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("budgetår"), on_delete=models.PROTECT, related_name="frames"
    )
    stage = models.CharField(_("skede"), max_length=12, choices=FrameStage.choices,
                             default=FrameStage.PRELIMINARY)
    total = models.DecimalField(_("ram (kr)"), max_digits=16, decimal_places=2,
                                default=Decimal("0"))
    # B4: the population forecast the volume lines were computed with (the newest change of
    # the forecasts it read, and when that change was made).
    forecast_version = models.CharField(_("befolkningsprognosens version"), max_length=20,
                                        blank=True)
    forecast_as_of = models.DateTimeField(_("befolkningsprognos per"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("driftbudgetram")
        verbose_name_plural = _("driftbudgetramar")
        ordering = ["budget_year", "namnd__path", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["namnd", "budget_year", "stage"],
                                    name="one_frame_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.budget_year} ({self.get_stage_display()})"

    def get_absolute_url(self) -> str:
        return reverse("budget:frame", args=[self.budget_year.year, self.namnd_id])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def is_preliminary(self) -> bool:
        return self.stage == FrameStage.PRELIMINARY

    @property
    def is_proposal(self) -> bool:
        return self.stage == FrameStage.PROPOSAL

    @property
    def is_decided(self) -> bool:
        return self.stage == FrameStage.DECIDED


class LineKind(models.TextChoices):
    PLAN = "planram", _("Planram beslutad av KF")
    BASE = "bas", _("Ram föregående år")
    INDEX = "index", _("Indexering")
    VOLUME = "volym", _("Volymförändring")
    PRIORITY = "prioritering", _("Politisk prioritering")
    EFFICIENCY = "forandringsuppdrag", _("Förändringsuppdrag")
    EARMARKED = "riktat", _("Specificerat budgettillskott")
    # Added to a decided frame during the year by KS (B7) and KSAU (B10).
    POT_GRANT = "ofordelad", _("Tilldelning ur ofördelad budget")
    SALARY = "lonerorelse", _("Lönekompensation")


# A grant from the ofördelad budget meets a one-off need (B7 (a) or (b)): it is not part of
# the base that next year's frame is built from. Salary compensation stays in the base.
ONE_OFF_LINE_KINDS = frozenset({LineKind.POT_GRANT})


class Ramrad(models.Model):
    """One visible component of a frame, with its reason; the frame is the sum of its lines."""

    frame = models.ForeignKey(Driftbudgetram, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("typ"), max_length=20, choices=LineKind.choices)
    label = models.CharField(_("rad"), max_length=200)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    earmarked = models.BooleanField(_("riktat"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ramrad")
        verbose_name_plural = _("ramrader")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Planram(models.Model):
    """A nämnd's frame for one of the two plan years that KF decided with a budget year (B2).

    Belongs to the decided frame of the budget year; `base` is what it was built on (the decided
    frame, or the first plan year's frame) and `lines` its build-up as it was decided:
    [{"kind", "label", "amount", "earmarked"}, volume lines also "group" and "change"], amounts
    as decimal strings in kronor. Never recomputed: a new decision gives new plan frames.
    """

    decided_frame = models.ForeignKey(Driftbudgetram, verbose_name=_("beslutad ram"),
                                      on_delete=models.CASCADE, related_name="plan_frames")
    year = models.PositiveIntegerField(_("planår"))
    base = models.DecimalField(_("utgångsram (kr)"), max_digits=16, decimal_places=2)
    total = models.DecimalField(_("planram (kr)"), max_digits=16, decimal_places=2)
    lines = models.JSONField(_("uppbyggnad"), default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planram")
        verbose_name_plural = _("planramar")
        ordering = ["decided_frame", "year"]
        constraints = [
            models.UniqueConstraint(fields=["decided_frame", "year"],
                                    name="one_plan_frame_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.decided_frame.namnd} plan {self.year}"

    @property
    def decided_year(self) -> int:
        return self.decided_frame.budget_year.year

    @property
    def position(self) -> int:
        """1 for the first plan year after the budget year, 2 for the second."""
        return self.year - self.decided_frame.budget_year.year

    @property
    def index_total(self) -> Decimal:
        return self.amount_of(LineKind.INDEX)

    @property
    def volume_total(self) -> Decimal:
        return self.amount_of(LineKind.VOLUME)

    def amount_of(self, kind: str) -> Decimal:
        return sum((Decimal(line["amount"]) for line in self.lines if line["kind"] == kind),
                   Decimal("0"))
