"""Report periods (F1, F2) and each nämnd's section of them, with the steps they went through.

A period is one report of a budget year: the uppföljningsrapporter per February, April and
October, the delårsrapport per August, the årsredovisning (whose sections are the nämndernas
årsrapporter) and any extra follow-up KSAU asks for. It opens by itself from the calendar's
report deadlines; every nämnd gets a section, written by its förvaltning and approved by the
nämnd, and the finance office compiles the approved sections into the municipality's report.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.formatting import date_text
from styrmodell.models import (
    BudgetYear,
    CalendarEvent,
    FollowUpPeriod,
    OrganisationUnit,
    User,
)

__all__ = [
    "ReportKind",
    "PeriodStatus",
    "SectionStatus",
    "Rapportperiod",
    "Rapportavsnitt",
    "Rapporthandelse",
]


class ReportKind(models.TextChoices):
    UPPFOLJNING = "uppfoljning", _("Uppföljningsrapport")
    DELAR = "delar", _("Delårsrapport")
    ARSREDOVISNING = "arsredovisning", _("Årsredovisning")
    EXTRA = "extra", _("Extra uppföljning")


class PeriodStatus(models.TextChoices):
    OPEN = "oppen", _("Nämnderna skriver")
    COMPILED = "sammanstalld", _("Sammanställd av ekonomiavdelningen")
    KS = "ks", _("Behandlad av KS")
    KF = "kf", _("Godkänd av KF")


class SectionStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inlamnad", _("Inlämnad till nämnden")
    RETURNED = "aterremitterad", _("Återremitterad")
    APPROVED = "godkand", _("Godkänd av nämnden")


class Rapportperiod(models.Model):
    """One report of a budget year (F1) or an extra follow-up (F2)."""

    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("budgetår"),
                                    on_delete=models.PROTECT, related_name="report_periods")
    code = models.SlugField(_("kod"), max_length=40)
    kind = models.CharField(_("typ"), max_length=16, choices=ReportKind.choices)
    period = models.CharField(_("uppföljning"), max_length=4, choices=FollowUpPeriod.choices,
                              blank=True, help_text=_("Tomt för en extra uppföljning."))
    title = models.CharField(_("rubrik"), max_length=200)
    deadline = models.DateField(_("nämndernas avsnitt senast"))
    decision_due = models.DateField(_("KF beslutar senast"), null=True, blank=True)
    calendar_event = models.ForeignKey(CalendarEvent, verbose_name=_("kalenderhändelse"),
                                       null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    # F2: KSAU's request, recorded by the kommunsekreterare.
    requested_on = models.DateField(_("KSAU:s beslut"), null=True, blank=True)
    reason = models.TextField(_("skäl"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PeriodStatus.choices,
                              default=PeriodStatus.OPEN)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    summary = models.TextField(_("kommunens sammanfattning"), blank=True)
    compiled_on = models.DateField(_("sammanställd"), null=True, blank=True)
    ks_on = models.DateField(_("KS behandlade"), null=True, blank=True)
    ks_paragraph = models.CharField(_("paragraf i KS"), max_length=20, blank=True)
    kf_on = models.DateField(_("KF godkände"), null=True, blank=True)
    kf_paragraph = models.CharField(_("paragraf i KF"), max_length=20, blank=True)
    opened_on = models.DateField(_("öppnad"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapportperiod")
        verbose_name_plural = _("rapportperioder")
        ordering = ["-budget_year__year", "-deadline"]
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "code"], name="one_report_per_code"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        return f"{self.budget_year.year}-{self.code}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:period", args=[self.budget_year.year, self.code])

    @property
    def is_annual(self) -> bool:
        return self.kind == ReportKind.ARSREDOVISNING

    @property
    def forecasts_goal_attainment(self) -> bool:
        """The August follow-up (the delårsrapport) forecasts goal attainment at year-end (A4)."""
        return self.period == FollowUpPeriod.AUGUST

    @property
    def awaits_kf_decision(self) -> bool:
        """KS has dealt with the report; KF's decision is the one left to record."""
        return self.status == PeriodStatus.KS

    @property
    def follows_investments(self) -> bool:
        """Investments are followed up in April, August and October (F1), and at year-end."""
        return self.period in {FollowUpPeriod.APRIL, FollowUpPeriod.AUGUST,
                               FollowUpPeriod.OCTOBER, FollowUpPeriod.YEAR} or not self.period

    @property
    def owner_unit(self) -> None:
        return None


class Rapportavsnitt(models.Model):
    """A nämnd's section of a report: numbers assembled from the data, texts by the förvaltning."""

    period = models.ForeignKey(Rapportperiod, on_delete=models.CASCADE, related_name="sections")
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"),
                              on_delete=models.PROTECT, related_name="report_sections")
    status = models.CharField(_("status"), max_length=16, choices=SectionStatus.choices,
                              default=SectionStatus.DRAFT)
    summary = models.TextField(_("sammanfattning"), blank=True)
    conclusion = models.TextField(_("slutsats"), blank=True)
    priorities = models.TextField(_("prioriterade aktiviteter resten av året"), blank=True)
    recommendation = models.TextField(_("rekommenderade förändringar inför nästa år"),
                                      blank=True)
    future_challenges = models.TextField(_("framtida utmaningar"), blank=True)
    written_by = models.ForeignKey(User, verbose_name=_("senast skriven av"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("inlämnad"), null=True, blank=True)
    approved_on = models.DateField(_("godkänd av nämnden"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)
    return_comment = models.TextField(_("nämndens kommentar vid återremiss"), blank=True)
    # The numbers the nämnd approved, kept so a later change in the data shows beside them.
    approved_figures = models.JSONField(_("siffror vid godkännandet"), default=dict, blank=True)
    reminded_on = models.DateField(_("påmind"), null=True, blank=True)

    history = HistoricalRecords()
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("rapportavsnitt")
        verbose_name_plural = _("rapportavsnitt")
        ordering = ["period", "namnd__path"]
        # Given per section to a person appointed to write its texts (styrmodell.appointments).
        permissions = [("answer_for_rapportavsnitt", _("Ansvarar för avsnittets texter"))]
        constraints = [
            models.UniqueConstraint(fields=["period", "namnd"], name="one_section_per_namnd"),
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.namnd}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:section", args=[self.period.budget_year.year, self.period.code,
                                                  self.namnd_id])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def is_locked(self) -> bool:
        """Submitted sections wait for the nämnd; approved ones are locked for good."""
        return self.status in {SectionStatus.SUBMITTED, SectionStatus.APPROVED}

    @property
    def is_done(self) -> bool:
        return self.status in {SectionStatus.SUBMITTED, SectionStatus.APPROVED}

    @property
    def is_approved(self) -> bool:
        """Approved by its nämnd: from then on everyone reads it, before only its nämnd (P5)."""
        return self.status == SectionStatus.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.status == SectionStatus.RETURNED


class Rapporthandelse(models.Model):
    """A dated step of a section or a whole report, kept for good (the workflow's history)."""

    period = models.ForeignKey(Rapportperiod, on_delete=models.CASCADE, related_name="events")
    section = models.ForeignKey(Rapportavsnitt, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")
    step = models.CharField(_("steg"), max_length=40)
    on = models.DateField(_("datum"))
    by = models.ForeignKey(User, verbose_name=_("av"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rapporthändelse")
        verbose_name_plural = _("rapporthändelser")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{date_text(self.on)}: {self.step}"
