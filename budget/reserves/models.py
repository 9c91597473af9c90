"""KS's ofördelad budget and the applications to it (B7), the salary reserve (B10), the tax
rate (B11) and the year-end dispositions of each nämnd's result (F4)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.frames.models import FrameAdjustment, Ramrad
from styrmodell.models import BudgetYear, OrganisationUnit, User


class RecordedDecision(models.Model):
    """A body's decision written down by the official who records it: date, § and dnr."""

    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)

    BODY = ""

    class Meta:
        abstract = True

    @property
    def decision_reference(self) -> str:
        if not self.decided_on:
            return ""
        parts = [self.BODY, f"{self.decided_on:%Y-%m-%d}"]
        if self.paragraph:
            parts.append(f"§ {self.paragraph}")
        if self.case_number:
            parts.append(f"dnr {self.case_number}")
        return " ".join(parts[:2]) + "".join(f", {part}" for part in parts[2:])


class OfordeladBudget(RecordedDecision):
    """KS's pot for a budget year; the amount is set when KF decides the budget (B7)."""

    BODY = "KF"

    budget_year = models.OneToOneField(BudgetYear, verbose_name=_("budgetår"),
                                       on_delete=models.PROTECT, related_name="pot")
    amount = models.DecimalField(_("belopp enligt KF:s beslut (kr)"), max_digits=16,
                                 decimal_places=2)

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
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2,
                                 help_text=_("Positivt in i potten, negativt ut ur den."))
    label = models.CharField(_("text"), max_length=250)
    decided_on = models.DateField(_("beslutsdatum"))
    frame_line = models.OneToOneField(Ramrad, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
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

    BODY = "KS"

    pot = models.ForeignKey(OfordeladBudget, verbose_name=_("ofördelad budget"),
                            on_delete=models.PROTECT, related_name="applications")
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    title = models.CharField(_("vad ansökan gäller"), max_length=150)
    amount = models.DecimalField(_("sökt belopp (kr)"), max_digits=16, decimal_places=2)
    criterion = models.CharField(_("kriterium"), max_length=1, choices=Criterion.choices)
    motivation = models.TextField(_("motivering"))
    namnd_decision = models.CharField(_("nämndens beslut att ansöka"), max_length=100, blank=True)
    filed_by = models.ForeignKey(User, verbose_name=_("inlämnad av"), on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.FILED)
    criteria_met = models.BooleanField(_("kriterierna uppfyllda"), null=True, blank=True)
    statement = models.TextField(_("ekonomiavdelningens yttrande"), blank=True)
    statement_by = models.ForeignKey(User, verbose_name=_("yttrande av"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    statement_at = models.DateTimeField(_("yttrande lämnat"), null=True, blank=True)
    granted_amount = models.DecimalField(_("beviljat belopp (kr)"), max_digits=16,
                                         decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("beslut registrerat av"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

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

    BODY = "KF"

    budget_year = models.OneToOneField(BudgetYear, verbose_name=_("budgetår"),
                                       on_delete=models.PROTECT, related_name="salary_reserve")
    amount = models.DecimalField(_("reserv enligt KF:s beslut (kr)"), max_digits=16,
                                 decimal_places=2)
    used_in_year = models.DecimalField(_("används innevarande år (kr)"), max_digits=16,
                                       decimal_places=2, null=True, blank=True)
    used_decided_on = models.DateField(_("KSAU:s beslutsdatum"), null=True, blank=True)
    used_paragraph = models.CharField(_("KSAU:s paragraf"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lönerörelsereserv")
        verbose_name_plural = _("lönerörelsereserver")
        ordering = ["budget_year__year"]

    def __str__(self) -> str:
        return f"Lönerörelse {self.budget_year}"

    def get_absolute_url(self) -> str:
        return reverse("budget:salary", args=[self.budget_year.year])


class Lonefordelning(RecordedDecision):
    """KSAU's distribution of part of the reserve to one nämnd; a line on its decided frame."""

    BODY = "KSAU"

    reserve = models.ForeignKey(Lonereserv, on_delete=models.PROTECT,
                                related_name="distributions")
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    frame_line = models.OneToOneField(Ramrad, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    recorded_by = models.ForeignKey(User, verbose_name=_("registrerat av"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fördelning ur lönerörelsen")
        verbose_name_plural = _("fördelningar ur lönerörelsen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.namnd} {self.amount}"


class TaxRateStatus(models.TextChoices):
    PROPOSAL = "forslag", _("Förslag")
    DECIDED = "beslutad", _("Beslutad av KF")


class Skattesats(RecordedDecision):
    """The municipal tax rate of a budget year, decided by KF (B11); one per year."""

    BODY = "KF"

    budget_year = models.OneToOneField(BudgetYear, verbose_name=_("budgetår"),
                                       on_delete=models.PROTECT, related_name="tax_rate")
    percent = models.DecimalField(_("skattesats (kr per 100 kr)"), max_digits=5, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=TaxRateStatus.choices,
                              default=TaxRateStatus.PROPOSAL)

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

    BODY = "KF"

    budget_year = models.ForeignKey(BudgetYear, verbose_name=_("bokslutsår"),
                                    on_delete=models.PROTECT, related_name="+")
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(_("förslag"), max_length=14, choices=DispositionKind.choices)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    target_year = models.ForeignKey(BudgetYear, verbose_name=_("påverkar budgetår"),
                                    on_delete=models.PROTECT, related_name="+")
    goals_fulfilled = models.BooleanField(_("mål, uppdrag och prestationer uppfyllda"),
                                          default=False)
    motivation = models.TextField(_("motivering"))
    frame_total = models.DecimalField(_("ram vid förslaget (kr)"), max_digits=16,
                                      decimal_places=2)
    outcome = models.DecimalField(_("utfall vid förslaget (kr)"), max_digits=16, decimal_places=2)
    proposed_by = models.ForeignKey(User, verbose_name=_("föreslagen av"),
                                    on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=DispositionStatus.choices,
                              default=DispositionStatus.PROPOSED)
    decided_amount = models.DecimalField(_("beslutat belopp (kr)"), max_digits=16,
                                         decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("beslut registrerat av"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    movement = models.OneToOneField(PotMovement, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="disposition")
    adjustment = models.OneToOneField(FrameAdjustment, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposition av resultat")
        verbose_name_plural = _("dispositioner av resultat")
        ordering = ["budget_year__year", "namnd__path"]
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "namnd"],
                                    name="one_disposition_per_namnd_and_year")
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
    line = models.OneToOneField(Ramrad, verbose_name=_("specificerat budgettillskott"),
                                on_delete=models.CASCADE, related_name="accounting")
    used_amount = models.DecimalField(_("använt (kr)"), max_digits=16, decimal_places=2)
    used_for = models.TextField(_("hur medlen använts"))
    written_by = models.ForeignKey(User, verbose_name=_("redovisat av"), on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(_("redovisat"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("redovisning av specificerat budgettillskott")
        verbose_name_plural = _("redovisningar av specificerade budgettillskott")
        ordering = ["line__frame__budget_year__year", "line__frame__namnd__path",
                    "line__position"]

    def __str__(self) -> str:
        return str(self.line)
