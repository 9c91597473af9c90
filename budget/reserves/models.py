"""KS's ofördelad budget and the applications to it (B7) and the salary reserve (B10)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.frames.models import Ramrad
from styrmodell.decisions import RecordedDecision, decision_reference
from styrmodell.models import BudgetYear, OrganisationUnit, User


class OfordeladBudget(RecordedDecision):
    """KS's pot for a budget year; the amount is set when KF decides the budget (B7)."""

    decision_body = "KF"

    budget_year = models.OneToOneField(
        BudgetYear, verbose_name=_("budgetår"), on_delete=models.PROTECT, related_name="pot"
    )
    amount = models.DecimalField(
        _("belopp enligt KF:s beslut (kr)"), max_digits=16, decimal_places=2
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ofördelad budget")
        verbose_name_plural = _("ofördelad budget")
        ordering = ["budget_year__year"]

    def __str__(self) -> str:
        return f"Ofördelad budget {self.budget_year}"

    def get_absolute_url(self) -> str:
        return reverse("budget:pot", args=[self.budget_year.year])


class MovementKind(models.TextChoices):
    CARRY_OVER = "overforing", _("Överfört överskott")
    GRANT = "tilldelning", _("Tilldelning till nämnd")


class PotMovement(models.Model):
    """Money into the pot (a carried-over surplus, earmarked for its nämnd, F4) or out of it
    (a grant to a nämnd's frame, B7). Written once, never changed."""

    pot = models.ForeignKey(OfordeladBudget, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("typ"), max_length=12, choices=MovementKind.choices)
    namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("belopp (kr)"),
        max_digits=16,
        decimal_places=2,
        help_text=_("Positivt in i potten, negativt ut ur den."),
    )
    label = models.CharField(_("text"), max_length=250)
    decided_on = models.DateField(_("beslutsdatum"))
    frame_line = models.OneToOneField(
        Ramrad, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("rörelse i ofördelad budget")
        verbose_name_plural = _("rörelser i ofördelad budget")
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.TextChoices):
    SAVING = "a", _("(a) Åtgärd som först kostar mer men sänker kostnaderna över tid")
    UNFORESEEN = "b", _("(b) Oförutsedd händelse med omfattande kostnader")


class ApplicationStatus(models.TextChoices):
    FILED = "inkommen", _("Inkommen – väntar på yttrande")
    STATEMENT = "yttrande", _("Yttrande lämnat – väntar på KS beslut")
    GRANTED = "beviljad", _("Beviljad av KS")
    REJECTED = "avslagen", _("Avslagen av KS")


class Ansokan(RecordedDecision):
    """A nämnd's application for money from the pot (B7): filed by its förvaltning, checked
    by the ekonomiavdelning in an yttrande, decided by KS."""

    decision_body = "KS"

    pot = models.ForeignKey(
        OfordeladBudget,
        verbose_name=_("ofördelad budget"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("vad ansökan gäller"), max_length=150)
    amount = models.DecimalField(_("sökt belopp (kr)"), max_digits=16, decimal_places=2)
    criterion = models.CharField(_("kriterium"), max_length=1, choices=Criterion.choices)
    motivation = models.TextField(_("motivering"))
    namnd_decision = models.CharField(_("nämndens beslut att ansöka"), max_length=100, blank=True)
    filed_by = models.ForeignKey(
        User, verbose_name=_("inlämnad av"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.FILED,
    )
    criteria_met = models.BooleanField(_("kriterierna uppfyllda"), null=True, blank=True)
    statement = models.TextField(_("ekonomiavdelningens yttrande"), blank=True)
    statement_by = models.ForeignKey(
        User,
        verbose_name=_("yttrande av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    statement_at = models.DateTimeField(_("yttrande lämnat"), null=True, blank=True)
    granted_amount = models.DecimalField(
        _("beviljat belopp (kr)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("beslut registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ansökan ur ofördelad budget")
        verbose_name_plural = _("ansökningar ur ofördelad budget")
        ordering = ["filed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.namnd}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("budget:pot_application", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def is_decided(self) -> bool:
        return self.status in (ApplicationStatus.GRANTED, ApplicationStatus.REJECTED)

    @property
    def is_granted(self) -> bool:
        return self.status == ApplicationStatus.GRANTED


class Lonereserv(RecordedDecision):
    """The central salary reserve of a budget year (B10), set in KF's budget; KSAU decides how
    much of it is used in the year and distributes it over the nämnder."""

    decision_body = "KF"

    budget_year = models.OneToOneField(
        BudgetYear,
        verbose_name=_("budgetår"),
        on_delete=models.PROTECT,
        related_name="salary_reserve",
    )
    amount = models.DecimalField(
        _("reserv enligt KF:s beslut (kr)"), max_digits=16, decimal_places=2
    )
    used_in_year = models.DecimalField(
        _("används innevarande år (kr)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    ksau_decided_on = models.DateField(_("KSAU:s beslutsdatum"), null=True, blank=True)
    ksau_paragraph = models.CharField(_("KSAU:s paragraf"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lönerörelsereserv")
        verbose_name_plural = _("lönerörelsereserver")
        ordering = ["budget_year__year"]

    def __str__(self) -> str:
        return f"Lönerörelse {self.budget_year}"

    def get_absolute_url(self) -> str:
        return reverse("budget:salary", args=[self.budget_year.year])

    @property
    def ksau_decision_reference(self) -> str:
        """KSAU's decision on how much of the reserve is used in the year."""
        return decision_reference("KSAU", self.ksau_decided_on, self.ksau_paragraph)


class Lonefordelning(RecordedDecision):
    """KSAU's distribution of part of the reserve to one nämnd; a line on its decided frame."""

    decision_body = "KSAU"

    reserve = models.ForeignKey(Lonereserv, on_delete=models.PROTECT, related_name="distributions")
    namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    frame_line = models.OneToOneField(
        Ramrad, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("registrerat av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fördelning ur lönerörelsen")
        verbose_name_plural = _("fördelningar ur lönerörelsen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.namnd} {self.amount}"
