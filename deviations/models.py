"""Deviation cases (§7): a forecast deficit or an investment overrun, and what must follow."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.followup.forecasts import ForecastVariance
from styrmodell.models import BudgetYear, CalendarEvent, FollowUpPeriod, OrganisationUnit, User


class CaseKind(models.TextChoices):
    DEFICIT = "underskott", _("Väsentligt underskott")
    INVESTMENT = "investering", _("Avvikelse i investeringsbudgeten")


class CaseStatus(models.TextChoices):
    OPEN = "oppen", _("Öppet")
    CLOSED = "stangt", _("Avslutat")


class Avvikelse(models.Model):
    """One deviation case. A deficit case (D1-D6) is opened by a forecast deficit over 1 % of
    the frame; an investment case (D7, D8) by a project's expected overrun.

    The figures at opening are kept as they were: later forecasts are followed up in effect
    reports (D6) and on the case's forecast path, never written over the opening numbers.
    """

    kind = models.CharField(_("typ"), max_length=12, choices=CaseKind.choices)
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="deviation_cases")
    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.PROTECT, related_name="deviation_cases")
    period = models.CharField(_("uppföljning"), max_length=3, choices=FollowUpPeriod.choices)
    status = models.CharField(_("status"), max_length=8, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN)
    opened_on = models.DateField(_("öppnat"))
    # What set the case off, in kronor: the frame (or project budget) and the forecast.
    budget_amount = models.DecimalField(_("ram/budget (kr)"), max_digits=16, decimal_places=2)
    forecast_amount = models.DecimalField(_("prognos (kr)"), max_digits=16, decimal_places=2)
    # An investment case names its project; budget never learns about cases (import direction).
    project = models.ForeignKey("budget.Investeringsprojekt", verbose_name=_("projekt"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    report_to_kf = models.BooleanField(_("återrapporteras till KF"), default=False)

    measures_due = models.DateField(_("åtgärder senast"), null=True, blank=True)
    # The förvaltningschef presents the forecast at the nämnd's first meeting from the day the
    # case opened (F3); the nämnd decides on measures at the latest at the meeting after (D3).
    presented_meeting = models.ForeignKey(
        CalendarEvent, verbose_name=_("prognosen presenteras för nämnden"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_meeting = models.ForeignKey(
        CalendarEvent, verbose_name=_("nämndens nästa sammanträde"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    ksau_due = models.DateField(_("KSAU informeras senast"), null=True, blank=True)

    decided_on = models.DateField(_("nämndens beslut"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)
    decision_text = models.TextField(_("beslutet"), blank=True)
    decision_recorded_by = models.ForeignKey(User, verbose_name=_("beslutet registrerat av"),
                                             null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    reported_to_ks_on = models.DateField(_("anmält till KS"), null=True, blank=True)
    ksau_informed_on = models.DateField(_("KSAU informerat"), null=True, blank=True)
    ksau_informed_by = models.ForeignKey(User, verbose_name=_("KSAU informerat av"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    namnd_informed_on = models.DateField(_("nämnden informerad"), null=True, blank=True)
    reported_to_kf_on = models.DateField(_("återrapporterat till KF"), null=True, blank=True)

    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    closing_note = models.TextField(_("avslutning"), blank=True)
    closed_by = models.ForeignKey(User, verbose_name=_("avslutat av"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avvikelseärende")
        verbose_name_plural = _("avvikelseärenden")
        ordering = ["-opened_on", "pk"]
        permissions = [("answer_for_avvikelse", _("Ansvarar för ärendets åtgärder"))]
        constraints = [
            # "Once": a nämnd has at most one open deficit case a year, a project one open case.
            models.UniqueConstraint(
                fields=["namnd", "budget_year"],
                condition=models.Q(kind="underskott", status="oppen"),
                name="one_open_deficit_case_per_namnd_and_year",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(kind="investering", status="oppen"),
                name="one_open_case_per_project",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == CaseKind.INVESTMENT and self.project_id:
            return f"{self.get_kind_display()}: {self.project} ({self.namnd})"
        return f"{self.get_kind_display()}: {self.namnd} {self.budget_year}"

    def get_absolute_url(self) -> str:
        return reverse("deviations:case", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def variance(self) -> ForecastVariance:
        """The figures at opening as budget's variance: frame (or project budget) − forecast,
        negative for a deficit (or an overrun). The case itself names nämnd and year, so a list
        of cases reads no more rows for them."""
        return ForecastVariance(frame=self.budget_amount, forecast=self.forecast_amount,
                                period=self.period)

    @property
    def project_label(self) -> str:
        return str(self.project.name) if self.project_id else ""

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def is_deficit(self) -> bool:
        """A significant deficit in the frame (D1), rather than an investment's overrun (D7)."""
        return self.kind == CaseKind.DEFICIT

    @property
    def decision_due(self):
        return self.decision_meeting.date if self.decision_meeting else None


class Atgard(models.Model):
    """A measure the förvaltningschef presents to reach a zero result at year-end (D2)."""

    case = models.ForeignKey(Avvikelse, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("åtgärd"))
    expected_effect = models.DecimalField(_("förväntad effekt i år (kr)"), max_digits=16,
                                          decimal_places=2)
    responsible = models.CharField(_("ansvarig"), max_length=120)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.case.namnd


class Yttrande(models.Model):
    """The förvaltningschef's opinion, minuted, on a proposal judged to lead to a deficit (D4);
    the minutes extract is reported to KS."""

    case = models.ForeignKey(Avvikelse, on_delete=models.CASCADE, related_name="opinions")
    proposal = models.CharField(_("förslaget"), max_length=300)
    opinion = models.TextField(_("förvaltningschefens yttrande"))
    meeting_on = models.DateField(_("sammanträde"))
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_to_ks_on = models.DateField(_("protokollsutdrag anmält till KS"), null=True,
                                         blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yttrande till protokollet")
        verbose_name_plural = _("yttranden till protokollet")
        ordering = ["meeting_on", "pk"]

    def __str__(self) -> str:
        return self.proposal


class EffectAssessment(models.TextChoices):
    SUFFICIENT = "tillrackliga", _("Åtgärderna är tillräckliga")
    INSUFFICIENT = "nya_beslut", _("Nya beslut behövs")


class Effektrapport(models.Model):
    """At a later follow-up: the expected effect of the measures (D6)."""

    case = models.ForeignKey(Avvikelse, on_delete=models.CASCADE, related_name="effect_reports")
    period = models.CharField(_("uppföljning"), max_length=3, choices=FollowUpPeriod.choices)
    assessment = models.CharField(_("bedömning"), max_length=12,
                                  choices=EffectAssessment.choices)
    expected_effect = models.DecimalField(_("samlad förväntad effekt (kr)"), max_digits=16,
                                          decimal_places=2)
    comment = models.TextField(_("kommentar"))
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effektrapport")
        verbose_name_plural = _("effektrapporter")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "period"], name="one_effect_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_period_display()}"
