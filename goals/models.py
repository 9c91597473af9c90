"""Goals from the vision down to each employee (G1-G11), key figures and assessments (A1-A7)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.decisions import RecordedDecision
from styrmodell.models import BudgetYear, FollowUpPeriod, MandatePeriod, OrganisationUnit, User


class DecisionStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    ADOPTED = "antaget", _("Antaget")
    REPLACED = "ersatt", _("Ersatt")


class Decision(RecordedDecision):
    """A political object adopted by a body: who decided, when, in which § and case (P1, P4)."""

    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    decided_by = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("beslutat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        return self.status != DecisionStatus.DRAFT

    @property
    def decision_body(self) -> str:
        return str(self.decided_by or "")

    @property
    def is_draft(self) -> bool:
        return self.status == DecisionStatus.DRAFT

    @property
    def is_adopted(self) -> bool:
        return self.status == DecisionStatus.ADOPTED

    @property
    def is_replaced(self) -> bool:
        return self.status == DecisionStatus.REPLACED


class Vision(Decision):
    """The municipality's vision, adopted by KF for a mandate period (G1)."""

    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        on_delete=models.PROTECT,
        related_name="visions",
    )
    text = models.TextField(_("vision"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    history = HistoricalRecords()
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visioner")
        ordering = ["-mandate_period__starts_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("goals:kf_goals") + f"?period={self.mandate_period_id}"

    @property
    def owner_unit(self) -> OrganisationUnit | None:
        return self.decided_by


class OvergripandeMal(Decision):
    """An overarching goal adopted by KF for the mandate period, re-affirmed each year (G2)."""

    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        on_delete=models.PROTECT,
        related_name="overarching_goals",
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("mål"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    affirmed_for = models.ManyToManyField(
        BudgetYear,
        verbose_name=_("fastställt för budgetår"),
        blank=True,
        related_name="overarching_goals",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    history = HistoricalRecords(m2m_fields=[affirmed_for])
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("övergripande mål")
        verbose_name_plural = _("övergripande mål")
        ordering = ["mandate_period__starts_on", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("goals:overarching_detail", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit | None:
        return self.decided_by


class Faststallelse(Decision):
    """KF's re-affirmation, with the budget, of the period's övergripande mål for one budget
    year (G2): until it is recorded, the goals are not fastställda for that year."""

    budget_year = models.OneToOneField(
        BudgetYear,
        verbose_name=_("budgetår"),
        on_delete=models.PROTECT,
        related_name="overarching_affirmation",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fastställande av övergripande mål")
        verbose_name_plural = _("fastställanden av övergripande mål")
        ordering = ["budget_year__year"]

    def __str__(self) -> str:
        return f"Övergripande mål fastställda för {self.budget_year}"

    def get_absolute_url(self) -> str:
        return reverse("goals:kf_goals") + f"?ar={self.budget_year.year}"

    @property
    def owner_unit(self) -> OrganisationUnit | None:
        return self.decided_by


class ComputedMeasure(models.TextChoices):
    """A financial goal's measure that the follow-up can compute from the budget's data."""

    NONE = "", _("Nej, utfallet fylls i")
    NAMND_RESULT = "resultat_mot_ram", _("Nämndernas resultat mot ram (ram − prognos/utfall)")


class FinansielltMal(Decision):
    """A financial goal for god ekonomisk hushållning, per budget year (G3)."""

    budget_year = models.ForeignKey(
        BudgetYear,
        verbose_name=_("budgetår"),
        on_delete=models.PROTECT,
        related_name="financial_goals",
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("gäller"),
        on_delete=models.PROTECT,
        related_name="financial_goals",
        help_text=_("Kommunen eller en nämnd."),
    )
    title = models.CharField(_("mål"), max_length=200)
    measure = models.CharField(_("mått"), max_length=200, blank=True)
    target_value = models.DecimalField(
        _("målvärde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("enhet"), max_length=20, blank=True)
    computed_as = models.CharField(
        _("beräknas ur budgetuppföljningen"),
        max_length=20,
        choices=ComputedMeasure.choices,
        blank=True,
        help_text=_(
            "Om måttet kan räknas fram ur ramar, prognoser och utfall föreslås det när utfallet "
            "registreras (i enheten tkr, mnkr, kr eller % av ramen)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finansiellt mål")
        verbose_name_plural = _("finansiella mål")
        ordering = ["budget_year", "unit__path", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:kf_goals")

    @property
    def owner_unit(self) -> OrganisationUnit | None:
        return self.decided_by


class Namndmal(Decision):
    """A goal of a nämnd for one year under an övergripande mål (G4, G5, G6, G8)."""

    namnd = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("nämnd"),
        on_delete=models.PROTECT,
        related_name="namnd_goals",
    )
    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("år"), on_delete=models.PROTECT, related_name="namnd_goals"
    )
    overgripande_mal = models.ForeignKey(
        OvergripandeMal,
        verbose_name=_("övergripande mål"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="namnd_goals",
    )
    title = models.CharField(_("nämndmål"), max_length=200)
    what = models.TextField(_("vad ska uppnås"))
    how_measured = models.TextField(_("hur det mäts"))
    target = models.CharField(_("målvärde"), max_length=200)
    by_when = models.DateField(_("när"))
    set_by_kf = models.BooleanField(_("fastställt av KF"), default=False)
    own_goal = models.BooleanField(
        _("nämndens eget mål"),
        default=False,
        help_text=_("Följs upp i nämndens årsrapport, inte i KF:s årsredovisning."),
    )
    key_figures = models.ManyToManyField(
        "goals.Nyckeltal", verbose_name=_("nyckeltal"), blank=True, related_name="namnd_goals"
    )

    history = HistoricalRecords(m2m_fields=[key_figures])
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("nämndmål")
        verbose_name_plural = _("nämndmål")
        ordering = ["namnd__path", "overgripande_mal__number", "pk"]
        indexes = [models.Index(fields=["budget_year", "namnd"])]
        # Given per goal to an appointed målansvarig (styrmodell.appointments).
        permissions = [("answer_for_namndmal", _("Ansvarar för nämndmålets bedömningar"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:namndmal_detail", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd


class Verksamhetsplan(models.Model):
    """A nämnd's plan for the year: how each nämndmål is taken on (G7)."""

    namnd = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("nämnd"),
        on_delete=models.PROTECT,
        related_name="verksamhetsplaner",
    )
    budget_year = models.ForeignKey(
        BudgetYear,
        verbose_name=_("år"),
        on_delete=models.PROTECT,
        related_name="verksamhetsplaner",
    )
    introduction = models.TextField(_("inledning"), blank=True)
    dialogue_goals = models.ManyToManyField(
        Namndmal,
        verbose_name=_("mål nämnden vill ha dialog om"),
        blank=True,
        related_name="+",
    )
    dialogue_with = models.CharField(
        _("dialog med"),
        max_length=200,
        blank=True,
        help_text=_("KS och/eller andra nämnder."),
    )
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)

    history = HistoricalRecords(m2m_fields=[dialogue_goals])
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        constraints = [
            models.UniqueConstraint(fields=["namnd", "budget_year"], name="one_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"Verksamhetsplan {self.budget_year} {self.namnd}"

    def get_absolute_url(self) -> str:
        return reverse("goals:verksamhetsplan", args=[self.namnd_id, self.budget_year.year])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd


class VerksamhetsplanRad(models.Model):
    """How one nämndmål is worked on, followed up and when it counts as reached (G7)."""

    plan = models.ForeignKey(Verksamhetsplan, on_delete=models.CASCADE, related_name="rows")
    namndmal = models.OneToOneField(
        Namndmal, verbose_name=_("nämndmål"), on_delete=models.CASCADE, related_name="plan_row"
    )
    method = models.TextField(_("metod och arbetssätt"))
    styrtal = models.TextField(_("styrtal"), blank=True)
    follow_up = models.TextField(_("hur det följs upp"))
    reached_when = models.TextField(_("vad som ska ha uppnåtts för att målet ska anses uppfyllt"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verksamhetsplanens rad")
        verbose_name_plural = _("verksamhetsplanens rader")

    def __str__(self) -> str:
        return str(self.namndmal)


class Enhetsmal(models.Model):
    """A goal of an enhet, linked to an adopted nämndmål (G9)."""

    enhet = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="enhet_goals",
    )
    namndmal = models.ForeignKey(
        Namndmal,
        verbose_name=_("nämndmål"),
        on_delete=models.PROTECT,
        related_name="enhet_goals",
    )
    title = models.CharField(_("enhetsmål"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("enhetsmål")
        verbose_name_plural = _("enhetsmål")
        ordering = ["enhet__path", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:namndmal_detail", args=[self.namndmal_id]) + f"#enhetsmal-{self.pk}"

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.enhet


class Medarbetarplan(models.Model):
    """The agreement from the medarbetarsamtal (G10): personal, seen only up the line."""

    employee = models.ForeignKey(
        User, verbose_name=_("medarbetare"), on_delete=models.PROTECT, related_name="plans"
    )
    chef = models.ForeignKey(
        User, verbose_name=_("chef"), on_delete=models.PROTECT, related_name="+"
    )
    enhet = models.ForeignKey(
        OrganisationUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("år"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_on = models.DateField(_("överenskommen i medarbetarsamtal"), null=True, blank=True)
    follow_up_note = models.TextField(_("uppföljning vid medarbetarsamtal"), blank=True)
    followed_up_on = models.DateField(_("uppföljd vid medarbetarsamtal"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        User,
        verbose_name=_("uppföljd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medarbetarplan")
        verbose_name_plural = _("medarbetarplaner")
        constraints = [
            models.UniqueConstraint(fields=["employee", "budget_year"], name="one_plan_per_person")
        ]

    def __str__(self) -> str:
        return f"Medarbetarplan {self.budget_year} {self.employee}"

    def get_absolute_url(self) -> str:
        return reverse("goals:medarbetarplan", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.enhet


class Medarbetarmal(models.Model):
    plan = models.ForeignKey(Medarbetarplan, on_delete=models.CASCADE, related_name="goals")
    enhetsmal = models.ForeignKey(
        Enhetsmal, verbose_name=_("enhetsmål"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("medarbetarmål"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medarbetarmål")
        verbose_name_plural = _("medarbetarmål")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class GoodDirection(models.TextChoices):
    UP = "upp", _("Högre är bättre")
    DOWN = "ned", _("Lägre är bättre")


class Nyckeltal(models.Model):
    """A key figure, often a Kolada KPI, with values per period and unit (A2, G8)."""

    name = models.CharField(_("namn"), max_length=200)
    unit_label = models.CharField(_("enhet"), max_length=30, blank=True)
    good_direction = models.CharField(
        _("riktning"), max_length=4, choices=GoodDirection.choices, default=GoodDirection.UP
    )
    source = models.CharField(_("källa"), max_length=100, blank=True)
    kolada_kpi = models.CharField(_("Kolada-id"), max_length=12, blank=True, db_index=True)
    description = models.TextField(_("beskrivning"), blank=True)
    namnd = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("nämndnyckeltal för"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_key_figures",
        help_text=_("Tomt för kommungemensamma nyckeltal."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nyckeltal")
        verbose_name_plural = _("nyckeltal")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("goals:nyckeltal_detail", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit | None:
        return self.namnd


class NyckeltalVarde(models.Model):
    nyckeltal = models.ForeignKey(Nyckeltal, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.PositiveIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=16, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("källa"), max_length=20, default="manuell")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nyckeltalsvärde")
        verbose_name_plural = _("nyckeltalsvärden")
        ordering = ["nyckeltal", "unit", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["nyckeltal", "unit", "period"], name="one_value_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nyckeltal} {self.period}: {self.value}"


class Jamforelsekommun(models.Model):
    """A municipality the finance office compares the key figures with, by its Kolada code."""

    code = models.CharField(_("kommunkod i Kolada"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jämförelsekommun")
        verbose_name_plural = _("jämförelsekommuner")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name


class Jamforelsevarde(models.Model):
    """A comparison municipality's value of a key figure for a year, as Kolada gives it."""

    nyckeltal = models.ForeignKey(
        Nyckeltal, on_delete=models.CASCADE, related_name="comparison_values"
    )
    kommun = models.ForeignKey(
        Jamforelsekommun, verbose_name=_("jämförelsekommun"), on_delete=models.CASCADE,
        related_name="values",
    )
    period = models.PositiveIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("jämförelsevärde")
        verbose_name_plural = _("jämförelsevärden")
        ordering = ["nyckeltal", "kommun", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["nyckeltal", "kommun", "period"], name="one_comparison_value_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nyckeltal} {self.kommun} {self.period}: {self.value}"


class KoladaTrigger(models.TextChoices):
    SCHEDULED = "schema", _("Schemalagd")
    MANUAL = "manuell", _("Hämta nu")


class KoladaHamtning(models.Model):
    """One fetch from the Kolada API: when, whether it went through, and what it did.

    A failed fetch changes no value; its message says why, for the key figure pages.
    """

    started_at = models.DateTimeField(_("startad"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    ok = models.BooleanField(_("lyckades"), default=False)
    trigger = models.CharField(
        _("start"), max_length=10, choices=KoladaTrigger.choices, default=KoladaTrigger.SCHEDULED
    )
    started_by = models.ForeignKey(
        User, verbose_name=_("startad av"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("meddelande"), blank=True)
    pages = models.PositiveIntegerField(_("sidor"), default=0)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    saved = models.PositiveIntegerField(_("nya eller ändrade värden"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade värden"), default=0)
    deleted = models.PositiveIntegerField(_("borttagna värden"), default=0)
    comparison_saved = models.PositiveIntegerField(_("nya eller ändrade jämförelsevärden"),
                                                   default=0)

    class Meta:
        verbose_name = _("hämtning från Kolada")
        verbose_name_plural = _("hämtningar från Kolada")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'misslyckades'}"


class NyckeltalMalvarde(models.Model):
    nyckeltal = models.ForeignKey(Nyckeltal, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("år"))
    value = models.DecimalField(_("målvärde"), max_digits=16, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        constraints = [
            models.UniqueConstraint(fields=["nyckeltal", "year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.nyckeltal} {self.year}: {self.value}"


class Uppdrag(Decision):
    """An assignment from KF to a nämnd, reported on in the årsredovisning (G11)."""

    namnd = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("nämnd"),
        on_delete=models.PROTECT,
        related_name="kf_assignments",
    )
    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("år"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("uppdrag"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    report = models.TextField(_("återrapport"), blank=True)
    completed = models.BooleanField(_("genomfört"), default=False)
    # The nämnd's förvaltning writes the report-back (G11, P2): who, and when, last.
    reported_by = models.ForeignKey(
        User,
        verbose_name=_("återrapporterat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("återrapporterat"), null=True, blank=True)

    history = HistoricalRecords()
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("uppdrag från KF")
        verbose_name_plural = _("uppdrag från KF")
        ordering = ["budget_year", "namnd__path", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:uppdrag_detail", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namnd

    @property
    def is_reported(self) -> bool:
        return bool(self.report.strip())


# The follow-ups a goal is assessed in (F1); reporting builds its documents on these.
ReportPeriod = FollowUpPeriod


class Level(models.TextChoices):
    YES = "ja", _("Ja – målet är uppnått")
    PARTLY = "delvis", _("Delvis")
    NO = "nej", _("Nej – målet är inte uppnått")

    @property
    def is_met(self) -> bool:
        return self is Level.YES

    @property
    def is_partly_met(self) -> bool:
        return self is Level.PARTLY

    @property
    def is_not_met(self) -> bool:
        return self is Level.NO


class Malbedomning(models.Model):
    """An official's assessment of a nämndmål in a follow-up (A3-A6): officials write (P2)."""

    namndmal = models.ForeignKey(
        Namndmal, verbose_name=_("nämndmål"), on_delete=models.CASCADE, related_name="assessments"
    )
    period = models.CharField(_("uppföljning"), max_length=4, choices=ReportPeriod.choices)
    level = models.CharField(_("bedömning"), max_length=8, choices=Level.choices)
    forecast = models.CharField(
        _("prognos för måluppfyllelse"),
        max_length=8,
        choices=Level.choices,
        blank=True,
    )
    activities_helped = models.TextField(
        _("Vilka aktiviteter har bidragit (eller inte) till måluppfyllelsen, och varför?"),
        blank=True,
    )
    activities_missing = models.TextField(_("Vilka aktiviteter bedömer ni saknades?"), blank=True)
    external_factors = models.TextField(
        _("Har omvärldsfaktorer påverkat, och i så fall hur?"), blank=True
    )
    resources = models.TextField(
        _(
            "Vilka ekonomiska resurser fanns avsatta, vad blev utfallet och vad förklarar en "
            "eventuell budgetavvikelse?"
        ),
        blank=True,
    )
    conclusion = models.TextField(_("slutsats"), blank=True)
    priorities = models.TextField(_("prioriterade aktiviteter resten av året"), blank=True)
    recommendation = models.TextField(_("rekommenderade förändringar inför nästa år"), blank=True)
    future_challenges = models.TextField(_("framtida utmaningar"), blank=True)
    author = models.ForeignKey(
        User, verbose_name=_("skriven av"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = HistoricalRecords()
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("målbedömning")
        verbose_name_plural = _("målbedömningar")
        constraints = [
            models.UniqueConstraint(fields=["namndmal", "period"], name="one_assessment_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.namndmal} – {self.get_period_display()}"

    def get_absolute_url(self) -> str:
        return (
            reverse("goals:namndmal_detail", args=[self.namndmal_id]) + f"#bedomning-{self.period}"
        )

    @property
    def dialogue_anchor(self) -> str:
        """Its thread sits with it on the nämndmål's page, beside the goal's own (P3)."""
        return f"dialog-bedomning-{self.period}"

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.namndmal.namnd


class Enhetsmalsuppfoljning(models.Model):
    """The förvaltning's own follow-up of an enhetsmål (A7)."""

    enhetsmal = models.ForeignKey(Enhetsmal, on_delete=models.CASCADE, related_name="follow_ups")
    period = models.CharField(_("uppföljning"), max_length=4, choices=ReportPeriod.choices)
    level = models.CharField(_("bedömning"), max_length=8, choices=Level.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljning av enhetsmål")
        verbose_name_plural = _("uppföljningar av enhetsmål")
        constraints = [
            models.UniqueConstraint(fields=["enhetsmal", "period"], name="one_follow_up_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.enhetsmal} – {self.get_period_display()}"


class FinansielltMalUtfall(models.Model):
    """The follow-up of a financial goal in one report (G3, A1, A3, A4): the outcome in the
    goal's unit, the assessment Ja/Delvis/Nej and, in the delårsrapport, the forecast for goal
    attainment. The finance office's text (P2); a nämnd's own goal also its förvaltningschef's."""

    goal = models.ForeignKey(
        FinansielltMal,
        verbose_name=_("finansiellt mål"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    period = models.CharField(_("uppföljning"), max_length=4, choices=ReportPeriod.choices)
    value = models.DecimalField(_("utfall"), max_digits=14, decimal_places=2)
    level = models.CharField(_("bedömning"), max_length=8, choices=Level.choices)
    forecast = models.CharField(
        _("prognos för måluppfyllelse"),
        max_length=8,
        choices=Level.choices,
        blank=True,
    )
    comment = models.TextField(_("kommentar"), blank=True)
    author = models.ForeignKey(
        User, verbose_name=_("registrerat av"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utfall för finansiellt mål")
        verbose_name_plural = _("utfall för finansiella mål")
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="one_outcome_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.goal} – {self.get_period_display()}"

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self.goal.unit
