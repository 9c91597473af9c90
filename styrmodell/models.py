"""The core every app builds on: organisation, people, roles, periods, calendar and dialogue."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .formatting import date_text, moment_short

PATH_SEGMENT_WIDTH = 7


class User(AbstractUser):
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    # The identity provider's stable id for the person (an employee number, Entra's oid):
    # single sign-on matches on it, never creates a person (styrmodell/sso.py).
    external_id = models.CharField(
        _("anställnings-id"), max_length=255, unique=True, null=True, blank=True,
        help_text=_("Det id som kommunens inloggning (SSO) skickar för personen."),
        error_messages={"unique": _("Anställnings-id:t tillhör redan en annan person.")},
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name", "username"]
        # A page of the people list is read in name order from this, not sorted from all.
        indexes = [models.Index(fields=["last_name", "first_name", "username"],
                                name="user_name_order")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])


class MandatePeriod(models.Model):
    """A four-year mandate period of the elected bodies (G1, G2)."""

    name = models.CharField(_("namn"), max_length=40, unique=True)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandatperiod")
        verbose_name_plural = _("mandatperioder")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("Slutdatum måste vara efter startdatum.")})

    def get_absolute_url(self) -> str:
        return reverse("mandate_period_list")

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class UnitKind(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    KF = "kf", _("Kommunfullmäktige")
    KS = "ks", _("Kommunstyrelse")
    KSAU = "ksau", _("Kommunstyrelsens arbetsutskott")
    NAMND = "namnd", _("Nämnd")
    FORVALTNING = "forvaltning", _("Förvaltning")
    ENHET = "enhet", _("Enhet")
    BOLAG = "bolag", _("Kommunalt bolag")
    STIFTELSE = "stiftelse", _("Stiftelse")
    REVISION = "revision", _("Revision")


# Bodies that own material the way a nämnd does (KS is itself a nämnd, P4).
NAMND_LIKE_KINDS = {UnitKind.NAMND, UnitKind.KS}
POLITICAL_BODY_KINDS = {UnitKind.KF, UnitKind.KS, UnitKind.KSAU, UnitKind.NAMND}
GROUP_COMPANY_KINDS = {UnitKind.BOLAG, UnitKind.STIFTELSE}


class OrganisationUnit(models.Model):
    """One unit of the municipality's organisation, from the kommun down to an enhet."""

    name = models.CharField(_("namn"), max_length=160)
    short_name = models.CharField(_("förkortning"), max_length=20, blank=True)
    kind = models.CharField(_("typ"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("överordnad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("beskrivning"), blank=True)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=20, blank=True)
    ownership_share = models.DecimalField(
        _("kommunens ägarandel (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    sort_order = models.PositiveIntegerField(_("sortering"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Materialised path ("0000001/0000004/") so a subtree is one indexed prefix filter.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    history = HistoricalRecords(excluded_fields=["path"])
    dialogue = GenericRelation("styrmodell.DialogueComment")

    class Meta:
        verbose_name = _("organisationsenhet")
        verbose_name_plural = _("organisationsenheter")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unit_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    @property
    def is_group_company(self) -> bool:
        return self.kind in GROUP_COMPANY_KINDS

    @property
    def is_foundation(self) -> bool:
        return self.kind == UnitKind.STIFTELSE

    @property
    def is_namnd_like(self) -> bool:
        """A nämnd, or KS, which is a nämnd for its own material (P4)."""
        return self.kind in NAMND_LIKE_KINDS

    @property
    def owner_unit(self) -> OrganisationUnit:
        return self

    def clean(self) -> None:
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("En enhet kan inte ligga under sig själv.")})
                ancestor = ancestor.parent
        if self.kind == UnitKind.KOMMUN and self.parent_id:
            raise ValidationError({"parent": _("Kommunen ligger överst och har ingen överordnad.")})
        if self.kind != UnitKind.KOMMUN and not self.parent_id:
            raise ValidationError({"parent": _("Välj vilken enhet den hör till.")})

    def save(self, *args, **kwargs) -> None:
        # The path is a derived invariant of the tree, kept here so admin edits keep it too.
        super().save(*args, **kwargs)
        new_path = self._computed_path()
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            type(self).objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                self._rewrite_descendant_paths(old_path, new_path)

    def _computed_path(self) -> str:
        own = f"{self.pk:0{PATH_SEGMENT_WIDTH}d}/"
        if self.parent_id is None:
            return own
        parent_path = type(self).objects.values_list("path", flat=True).get(pk=self.parent_id)
        return parent_path + own

    def _rewrite_descendant_paths(self, old_path: str, new_path: str) -> None:
        descendants = type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk)
        for unit in descendants:
            type(self).objects.filter(pk=unit.pk).update(path=new_path + unit.path[len(old_path) :])

    def ancestors(self) -> models.QuerySet[OrganisationUnit]:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        return type(self).objects.filter(pk__in=ids).order_by("path")

    def descendants(self, include_self: bool = False) -> models.QuerySet[OrganisationUnit]:
        units = type(self).objects.filter(path__startswith=self.path)
        return units if include_self else units.exclude(pk=self.pk)

    def nearest_namnd(self) -> OrganisationUnit | None:
        """The nämnd (or KS) whose material this unit's material is (P5)."""
        if self.kind in NAMND_LIKE_KINDS:
            return self  # the nearest is the unit itself: no need to read its ancestors
        # Asked again of the same unit (a page's panels ask of the person's units), the
        # ancestors are not read again while the unit stays where it is.
        known = self.__dict__.get("_nearest_namnd")
        if known is not None and known[0] == self.path:
            return known[1]
        found = next((unit for unit in reversed(list(self.ancestors()))
                      if unit.kind in NAMND_LIKE_KINDS), None)
        self.__dict__["_nearest_namnd"] = (self.path, found)
        return found


class Side(models.TextChoices):
    POLITICS = "politik", _("Politik (Vad)")
    OFFICIALS = "tjansteperson", _("Tjänstepersoner (Hur)")
    NEITHER = "neutral", _("Varken eller")


class Scope(models.TextChoices):
    UNIT = "enhet", _("Den egna enheten med underliggande")
    NAMND = "namnd", _("Hela nämndens område")
    KOMMUN = "kommun", _("Hela kommunen")


class Role(models.Model):
    """A role a person can hold in a unit; its side (P1) and scope (P5) are data."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=80)
    side = models.CharField(_("sida"), max_length=20, choices=Side.choices)
    scope = models.CharField(_("räckvidd"), max_length=20, choices=Scope.choices)
    records_decisions = models.BooleanField(
        _("protokollför beslut"),
        default=False,
        help_text=_("Tjänsteperson som registrerar ett politiskt organs beslut."),
    )
    sort_order = models.PositiveIntegerField(_("sortering"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class RoleAssignmentQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> RoleAssignmentQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(models.Model):
    """A person holds a role in a unit for a time; permissions follow it and end with it."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("roll"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        ordering = ["unit__path", "role__sort_order", "user__last_name"]
        indexes = [models.Index(fields=["user", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.role} – {self.unit}"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Slutdatum kan inte vara före startdatum.")})

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> AppointmentQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def of(self, obj: models.Model) -> AppointmentQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Appointment(models.Model):
    """A named person answers for one object (a nämndmål's assessments, say) for a period.

    Appointed by the förvaltningschef of the object's nämnd, with a reason. The grant itself is
    a django-guardian object permission; it counts only between `starts_on` and `ends_on`
    (styrmodell.appointments), so an appointment ends on its day with no job to remove it.
    """

    user = models.ForeignKey(User, verbose_name=_("ansvarig"), on_delete=models.PROTECT,
                             related_name="appointments")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"),
                              on_delete=models.PROTECT, related_name="appointments")
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till och med"))
    reason = models.TextField(_("skäl"))
    appointed_by = models.ForeignKey(User, verbose_name=_("utsedd av"), on_delete=models.PROTECT,
                                     related_name="appointments_made")
    appointed_at = models.DateTimeField(_("utsedd"), default=timezone.now)

    objects = AppointmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utsett ansvar")
        verbose_name_plural = _("utsedda ansvar")
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"]),
                   models.Index(fields=["user", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user} – {self.content_object}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class FollowUpPeriod(models.TextChoices):
    """The follow-ups of a year (F1): goals are assessed and forecasts written in each.

    The one place that says which follow-ups there are, in what order (the order declared
    here, see `FOLLOW_UP_ORDER`) and which month each reports up to (`last_month`).
    """

    FEBRUARY = "feb", _("Uppföljning per februari")
    APRIL = "apr", _("Uppföljning per april")
    AUGUST = "aug", _("Delårsrapport per augusti")
    OCTOBER = "okt", _("Uppföljning per oktober")
    YEAR = "ar", _("Årsredovisning")

    @property
    def last_month(self) -> int:
        """The last month whose outcome the follow-up covers."""
        return {"feb": 2, "apr": 4, "aug": 8, "okt": 10, "ar": 12}[self.value]

    @property
    def position(self) -> int:
        """Where the follow-up falls in the year: 0 for February … 4 for the annual report."""
        return FOLLOW_UP_ORDER.index(self.value)


# The codes of the follow-ups in the order they come in the year (F1).
FOLLOW_UP_ORDER: tuple[str, ...] = tuple(FollowUpPeriod.values)


class BudgetYearStatus(models.TextChoices):
    PLANNING = "planering", _("Under planering")
    ADOPTED = "beslutad", _("Budget beslutad")
    RUNNING = "pagaende", _("Pågående år")
    CLOSED = "avslutad", _("Avslutat")


class BudgetYear(models.Model):
    """A budget year with its two plan years (B2); owns the calendar of its cycle (B1, F1)."""

    year = models.PositiveIntegerField(_("år"), unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BudgetYearStatus.choices,
        default=BudgetYearStatus.PLANNING,
    )
    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_years",
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetår")
        verbose_name_plural = _("budgetår")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("budget_year_detail", args=[self.year])

    @property
    def plan_years(self) -> tuple[int, int]:
        return (self.year + 1, self.year + 2)


class EventKind(models.TextChoices):
    BUDGET_STEP = "budgetsteg", _("Steg i budgetprocessen")
    REPORT_DEADLINE = "rapport", _("Rapportering")
    MEETING = "sammantrade", _("Sammanträde")
    OTHER = "ovrigt", _("Övrigt")


class CalendarEvent(models.Model):
    """A dated step of the annual cycle, a report deadline or a body's meeting."""

    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("budgetår"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=EventKind.choices)
    code = models.SlugField(
        _("kod"), max_length=60, blank=True, help_text=_("Stegets kod i styrmodellen.")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    date = models.DateField(_("datum"))
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("organ/enhet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("Tomt betyder att det gäller alla nämnder."),
    )
    rule = models.CharField(_("regel"), max_length=10, blank=True)
    responsible_roles = models.ManyToManyField(
        Role, verbose_name=_("ansvariga roller"), blank=True, related_name="events"
    )

    history = HistoricalRecords(m2m_fields=[responsible_roles])

    class Meta:
        verbose_name = _("kalenderhändelse")
        verbose_name_plural = _("kalenderhändelser")
        ordering = ["date", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "code", "unit"],
                condition=~Q(code=""),
                name="unique_step_per_year_and_unit",
            )
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{date_text(self.date)} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("event_detail", args=[self.pk])

    @property
    def owner_unit(self) -> OrganisationUnit | None:
        return self.unit

    @property
    def is_meeting(self) -> bool:
        return self.kind == EventKind.MEETING

    @property
    def source_section(self) -> str:
        """The section of the styrmodell the step comes from, for the reader ("5.6")."""
        return RULE_SECTIONS.get(self.rule, "")


# The styrmodell's sections of the rules a calendar step can name (spec/RULES.md): the page
# cites the document, not the rule's id.
RULE_SECTIONS = {"B1": "5.6", "F1": "6", "G7": "5.3"}


class DialogueComment(models.Model):
    """One entry in the dialogue thread of a goal, section or case (P3)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        User, verbose_name=_("författare"), on_delete=models.PROTECT, related_name="comments"
    )
    # The side the author spoke from, kept as it was when written.
    author_side = models.CharField(_("sida"), max_length=20, choices=Side.choices)
    author_role = models.CharField(_("roll"), max_length=80)
    body = models.TextField(_("inlägg"))
    created_at = models.DateTimeField(_("skrivet"), auto_now_add=True)

    class Meta:
        verbose_name = _("dialoginlägg")
        verbose_name_plural = _("dialoginlägg")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} {moment_short(timezone.localtime(self.created_at))}"


class Notification(models.Model):
    """A message to one person, recorded once per key so a task that runs twice sends once."""

    recipient = models.ForeignKey(
        User, verbose_name=_("mottagare"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("nyckel"), max_length=200)
    subject = models.CharField(_("ämne"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("länk"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return self.subject
