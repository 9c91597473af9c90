"""Investments (B8, B9): projects, KF's appropriations per year, ombudgetering, outcomes,
forecasts of the final cost and the internal interest rate behind the capital costs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.decisions import RecordedDecision
from styrmodell.models import BudgetYear, FollowUpPeriod, OrganisationUnit

__all__ = [
    "Anslag",
    "Arsredovisningsbeslut",
    "Internranta",
    "Investeringsprojekt",
    "Investeringsutfall",
    "Ombudgetering",
    "ProjectKind",
    "ProjectStatus",
    "Slutkostnadsprognos",
    "larger_project_threshold",
]


def larger_project_threshold() -> Decimal:
    """Projects over this total budget are larger ones (B8); the setting
    INVESTMENT_LARGER_PROJECT_THRESHOLD may change the default 5 000 000 kr."""
    return Decimal(str(getattr(settings, "INVESTMENT_LARGER_PROJECT_THRESHOLD", "5000000")))


class ProjectKind(models.TextChoices):
    NEW = "nyinvestering", _("Nyinvestering")
    REINVESTMENT = "reinvestering", _("Reinvestering")
    EXPLOITATION = "exploatering", _("Exploatering")


class ProjectStatus(models.TextChoices):
    PROPOSAL = "forslag", _("Förslag")
    DECIDED = "beslutad", _("Beslutad")
    RUNNING = "pagaende", _("Pågående")
    CLOSED = "avslutad", _("Avslutad")


class Investeringsprojekt(models.Model):
    """An investment project of a nämnd (B8); KF decides its total budget and yearly anslag."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="investment_projects")
    objekt = models.CharField(_("objekt/verksamhet"), max_length=120, blank=True)
    name = models.CharField(_("projekt"), max_length=160)
    kind = models.CharField(_("typ"), max_length=20, choices=ProjectKind.choices)
    total_budget = models.DecimalField(_("totalbudget (kr)"), max_digits=16, decimal_places=2)
    start_year = models.PositiveSmallIntegerField(_("startår"))
    end_year = models.PositiveSmallIntegerField(_("slutår"))
    in_use_year = models.PositiveSmallIntegerField(
        _("tas i bruk (år)"), null=True, blank=True,
        help_text=_("Tomt: slutåret. Avskrivningen börjar året efter."))
    depreciation_years = models.PositiveSmallIntegerField(
        _("avskrivningstid (år)"), null=True, blank=True,
        help_text=_("Tomt för exploatering, som inte skrivs av."))
    description = models.TextField(_("beskrivning"), blank=True)
    consequences = models.TextField(
        _("konsekvenser för driften"), blank=True,
        help_text=_("Följdkostnader och intäkter som ska visas innan KF beslutar (B8)."))
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices,
                              default=ProjectStatus.PROPOSAL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investeringsprojekt")
        verbose_name_plural = _("investeringsprojekt")
        ordering = ["namnd__path", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                   name="investment_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("budget:investment", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def is_larger(self) -> bool:
        """A larger project must show its effect on the driftbudget (B8)."""
        return self.total_budget > larger_project_threshold()

    @property
    def is_exploitation(self) -> bool:
        return self.kind == ProjectKind.EXPLOITATION

    @property
    def is_reinvestment(self) -> bool:
        return self.kind == ProjectKind.REINVESTMENT

    @property
    def is_proposal(self) -> bool:
        return self.status == ProjectStatus.PROPOSAL

    @property
    def activation_year(self) -> int:
        return self.in_use_year or self.end_year


class Anslag(models.Model):
    """The appropriation of one year: proposed by the finance office, decided by KF (B8).

    For exploatering, `income` holds the year's budgeted income from land sales.
    """

    project = models.ForeignKey(Investeringsprojekt, on_delete=models.CASCADE,
                                related_name="appropriations")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("anslag (kr)"), max_digits=16, decimal_places=2)
    income = models.DecimalField(_("inkomster (kr)"), max_digits=16, decimal_places=2, default=0)
    decided_on = models.DateField(_("beslutat av KF"), null=True, blank=True)
    paragraph = models.CharField(_("KF-paragraf"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_anslag_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None


class Arsredovisningsbeslut(RecordedDecision):
    """KF's decision on the årsredovisning of a year, as the budget knows it (B9): written when
    the kommunsekreterare records KF's approval of the report, and the decision every
    ombudgetering of an investment appropriation between years is part of."""

    decision_body = "KF"

    budget_year = models.OneToOneField(BudgetYear, verbose_name=_("årsredovisningen för"),
                                       on_delete=models.PROTECT,
                                       related_name="annual_report_decision")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KF:s beslut om årsredovisningen")
        verbose_name_plural = _("KF:s beslut om årsredovisningen")
        ordering = ["-budget_year__year"]

    def __str__(self) -> str:
        return f"Årsredovisningen {self.budget_year.year}, {self.decision_reference}"


class Ombudgetering(models.Model):
    """KF moves (part of) an appropriation to another year, with a stated reason (B9)."""

    project = models.ForeignKey(Investeringsprojekt, on_delete=models.CASCADE,
                                related_name="ombudgeteringar")
    from_year = models.PositiveSmallIntegerField(_("från år"))
    to_year = models.PositiveSmallIntegerField(_("till år"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    reason = models.TextField(_("särskilt skäl"))
    decided_on = models.DateField(_("KF:s beslutsdatum"))
    paragraph = models.CharField(_("KF-paragraf"), max_length=20)
    with_annual_report = models.BooleanField(_("i samband med årsredovisningen"), default=True)
    # Empty only for moves recorded before the link was kept.
    annual_report = models.ForeignKey(Arsredovisningsbeslut,
                                      verbose_name=_("KF:s beslut om årsredovisningen"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="ombudgeteringar")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ombudgetering")
        verbose_name_plural = _("ombudgeteringar")
        ordering = ["project", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.from_year} → {self.to_year}"


class Investeringsutfall(models.Model):
    """What a project spent (and, for exploatering, took in) in a year, entered by the finance
    office; for the running year it is the outcome to date."""

    project = models.ForeignKey(Investeringsprojekt, on_delete=models.CASCADE,
                                related_name="outcomes")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("utgifter (kr)"), max_digits=16, decimal_places=2)
    income = models.DecimalField(_("inkomster (kr)"), max_digits=16, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investeringsutfall")
        verbose_name_plural = _("investeringsutfall")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_outcome_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}: {self.amount}"


class Slutkostnadsprognos(models.Model):
    """The forecast of a project's final cost made at a follow-up (F1: April, August, October)."""

    project = models.ForeignKey(Investeringsprojekt, on_delete=models.CASCADE,
                                related_name="forecasts")
    year = models.PositiveSmallIntegerField(_("år"))
    period = models.CharField(_("uppföljning"), max_length=3, choices=FollowUpPeriod.choices)
    amount = models.DecimalField(_("prognos slutkostnad (kr)"), max_digits=16, decimal_places=2)
    comment = models.TextField(_("kommentar"), blank=True)
    made_on = models.DateField(_("datum"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("av"), null=True,
                                on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prognos slutkostnad")
        verbose_name_plural = _("prognoser slutkostnad")
        ordering = ["project", "year", "made_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "period"],
                                    name="one_final_cost_forecast_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year} {self.get_period_display()}"

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.year, FollowUpPeriod(self.period).last_month)


class Internranta(models.Model):
    """The internal interest rate of a year on the book value of investments (B8); a year
    without its own rate uses the latest earlier one (plan years)."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    percent = models.DecimalField(_("internränta (%)"), max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internränta")
        verbose_name_plural = _("internräntor")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.percent} %"
