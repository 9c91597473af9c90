"""Reads of the core: the organisation, people, the calendar, my tasks and change history."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Literal

from django.db.models import (
    Count,
    F,
    ForeignKey,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import formatting
from .models import (
    GROUP_COMPANY_KINDS,
    Appointment,
    BudgetYear,
    BudgetYearStatus,
    CalendarEvent,
    EventKind,
    OrganisationUnit,
    RoleAssignment,
    UnitKind,
    User,
)
from .permissions import active_assignments, scope_root
from .responsibility import is_responsible

UPCOMING_DAYS = 120


# A unit's page shows at most this many of its earlier and coming assignments, newest first.
OTHER_ASSIGNMENTS_SHOWN = 50


def organisation_units() -> QuerySet[OrganisationUnit]:
    """The municipality's own active units in tree order (the group companies apart)."""
    return OrganisationUnit.objects.filter(is_active=True).exclude(
        kind__in=GROUP_COMPANY_KINDS
    ).order_by("path")


def group_companies() -> list[OrganisationUnit]:
    return with_holder_counts(
        OrganisationUnit.objects.filter(is_active=True, kind__in=GROUP_COMPANY_KINDS).order_by(
            "path"
        )
    )


def _count(queryset: QuerySet, field_name: str = "pk") -> Coalesce:
    """How many distinct `field_name` a correlated queryset has, as one column of the outer
    query (a COUNT the ORM would otherwise group by)."""
    counted = queryset.order_by().annotate(
        number=Func(F(field_name), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    )
    return Coalesce(Subquery(counted.values("number"), output_field=IntegerField()), Value(0))


def with_holder_counts(units: QuerySet[OrganisationUnit]) -> list[OrganisationUnit]:
    """Each unit with how many people hold a role in it today and how many enheter lie under
    it: the organisation page names no holders, their unit's page does.

    Give it the page of units shown (a sliced queryset): only those are counted.
    """
    holders = RoleAssignment.objects.active_on(timezone.localdate()).filter(unit=OuterRef("pk"))
    units = list(units.annotate(holder_count=_count(holders, "user")))
    return _with_enhet_counts(units)


def _with_enhet_counts(units: list[OrganisationUnit]) -> list[OrganisationUnit]:
    """Sets `enhet_count` (the active enheter below each unit, not the unit itself).

    An enhet lies below a unit exactly when its parent is the unit or lies below it, so the
    enheter counted per parent (a few rows per förvaltning, however many enheter there are)
    give every unit's count: the parents' paths sorted in Python (whatever the database's
    collation) put a unit's subtree in one run, found by two bisections and summed from
    running totals.
    """
    if not units:
        return units
    # Grouped by the parent's id (a join on the parent to group by its path costs a sort of
    # every enhet); each group's path is then one look-up by primary key.
    parent_path = OrganisationUnit.objects.filter(pk=OuterRef("parent_id")).values("path")
    per_parent = sorted(OrganisationUnit.objects.filter(kind=UnitKind.ENHET, is_active=True,
                                                        parent__isnull=False)
                        .order_by().values("parent_id").annotate(count=Count("pk"))
                        .annotate(parent_path=Subquery(parent_path))
                        .values_list("parent_path", "count"))
    paths = [path for path, _count in per_parent]
    running = list(accumulate((count for _path, count in per_parent), initial=0))
    for unit in units:
        first = bisect.bisect_left(paths, unit.path)  # the unit itself, as a parent, counts
        after = bisect.bisect_left(paths, unit.path + "\U0010ffff")
        unit.enhet_count = running[after] - running[first]
    return units


def current_unit_assignments(unit: OrganisationUnit, day: dt.date) -> QuerySet[RoleAssignment]:
    """Who holds a role in the unit on the day, by role and name."""
    return (
        RoleAssignment.objects.active_on(day)
        .filter(unit=unit)
        .select_related("role", "user", "mandate_period")
        .annotate(is_current=Value(True))
        .order_by("role__sort_order", "user__last_name", "user__first_name", "pk")
    )


def other_unit_assignments(unit: OrganisationUnit, day: dt.date) -> list[RoleAssignment]:
    """The unit's earlier and coming assignments, the newest periods first and at most
    OTHER_ASSIGNMENTS_SHOWN of them."""
    current = RoleAssignment.objects.active_on(day).filter(unit=unit).values("pk")
    return list(
        RoleAssignment.objects.filter(unit=unit)
        .exclude(pk__in=current)
        .select_related("role", "user", "mandate_period")
        .order_by("-valid_from", "role__sort_order", "user__last_name", "pk")[
            :OTHER_ASSIGNMENTS_SHOWN
        ]
    )


def split_current(assignments, day: dt.date) -> tuple[list, list]:
    current, past = [], []
    for assignment in assignments:
        assignment.is_current = assignment.is_active_on(day)
        (current if assignment.is_current else past).append(assignment)
    return current, past


def people() -> QuerySet[User]:
    """Everyone active, by name; their roles are fetched for the page shown (with_current_roles)."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


def with_current_roles(people: list[User]) -> list[User]:
    """The roles the listed people hold today, in one query for the whole page."""
    prefetch_related_objects(
        people,
        Prefetch(
            "assignments",
            queryset=RoleAssignment.objects.active_on(timezone.localdate())
            .select_related("role", "unit")
            .order_by("role__sort_order", "unit__path"),
            to_attr="current_assignments",
        ),
    )
    return people


def budget_years() -> QuerySet[BudgetYear]:
    """Every budget year, newest first: the choices of the year picker."""
    return BudgetYear.objects.order_by("-year")


def budget_year_to_show(*, prefer: Literal["running", "planning", "closed"]) -> BudgetYear | None:
    """The year a page opens on when its address names none.

    Follow-up pages prefer the running year (the newest, should two be running); pages that
    build a budget prefer the year being planned (the oldest, the one whose budget is due first);
    the year-end prefers the newest closed year. Without such a year, the newest one; None only
    when no budget year exists at all.
    """
    if prefer == "running":
        preferred = BudgetYear.objects.filter(status=BudgetYearStatus.RUNNING).order_by("-year")
    elif prefer == "closed":
        preferred = BudgetYear.objects.filter(status=BudgetYearStatus.CLOSED).order_by("-year")
    else:
        preferred = BudgetYear.objects.filter(status=BudgetYearStatus.PLANNING).order_by("year")
    return preferred.first() or budget_years().first()


def budget_year_events(budget_year: BudgetYear) -> QuerySet[CalendarEvent]:
    return (
        CalendarEvent.objects.filter(budget_year=budget_year)
        .select_related("unit")
        .prefetch_related("responsible_roles")
        .order_by("date", "title")
    )


@dataclass
class MyTasks:
    overdue: list[CalendarEvent] = field(default_factory=list)
    upcoming: list[CalendarEvent] = field(default_factory=list)
    meetings: list[CalendarEvent] = field(default_factory=list)


def my_tasks(user, *, today: dt.date | None = None) -> MyTasks:
    """What is due for me and when: steps and deadlines my roles answer for, my bodies' meetings.

    Who answers for a step is decided in responsibility.py.
    """
    today = today or timezone.localdate()
    assignments = active_assignments(user)
    if not assignments:
        return MyTasks()
    role_ids = {assignment.role_id for assignment in assignments}
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    recent = today - dt.timedelta(days=30)

    candidates = (
        CalendarEvent.objects.exclude(kind=EventKind.MEETING)
        .filter(responsible_roles__in=role_ids, date__gte=recent, date__lte=horizon)
        .select_related("unit", "budget_year")
        .prefetch_related("responsible_roles")
        .distinct()
        .order_by("date")
    )
    own_bodies = {assignment.unit_id for assignment in assignments}
    own_bodies |= {
        root.pk for root in (scope_root(a) for a in assignments) if root is not None
    }
    meetings = (
        CalendarEvent.objects.filter(
            kind=EventKind.MEETING, unit_id__in=own_bodies, date__gte=today, date__lte=horizon
        )
        .select_related("unit")
        .order_by("date")[:8]
    )
    tasks = MyTasks(meetings=list(meetings))
    for event in candidates:
        if not any(is_responsible(assignment, event) for assignment in assignments):
            continue
        (tasks.overdue if event.date < today else tasks.upcoming).append(event)
    return tasks


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ChangeEntry:
    when: dt.datetime
    who: str
    what: str
    changes: list[FieldChange]


# Msgids, shown in the reader's language by `change_log`.
CHANGE_TYPES = {"+": gettext_noop("Skapad"), "~": gettext_noop("Ändrad"),
                "-": gettext_noop("Borttagen")}


# What happened to an appointment for the object (styrmodell.appointments), in its change log.
APPOINTMENT_CHANGES = {"+": gettext_noop("Ansvarig utsedd"), "~": gettext_noop("Ansvaret ändrat"),
                       "-": gettext_noop("Ansvaret återkallat")}


def change_log(obj, *, limit: int = 50) -> list[ChangeEntry]:
    """Who changed what and when, with old and new values, newest first; an object a person
    can be appointed to answer for shows its appointments among its own changes."""
    entries = _own_changes(obj, limit) + _appointment_changes(obj, limit)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _appointment_changes(obj, limit: int) -> list[ChangeEntry]:
    from django.contrib.contenttypes.models import ContentType

    from .appointments import answerable_for

    if answerable_for(obj) is None:
        return []
    records = list(Appointment.history.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("history_user", "user").order_by("-history_id")[:limit])
    entries = []
    for record in records:
        person = record.user.get_full_name() or record.user.username
        who = record.history_user.get_full_name() or str(record.history_user) \
            if record.history_user else _("Systemet")
        period = f"{formatting.date_short(record.starts_on)} – " \
                 f"{formatting.date_short(record.ends_on)}"
        changes = [FieldChange(label=_("Ansvarig"), old="–", new=person),
                   FieldChange(label=_("Gäller"), old="–", new=period)]
        if record.history_type == "+":
            changes.append(FieldChange(label=_("Skäl"), old="–", new=record.reason))
        elif record.history_type == "-":
            changes = [FieldChange(label=_("Ansvarig"), old=person, new="–")]
        else:
            before = record.prev_record
            if before is not None:
                changes[1] = FieldChange(
                    label=_("Gäller"), new=period,
                    old=f"{formatting.date_short(before.starts_on)} – "
                        f"{formatting.date_short(before.ends_on)}")
                changes = changes[1:] if before.user_id == record.user_id else changes
        entries.append(ChangeEntry(when=record.history_date, who=who,
                                   what=_(APPOINTMENT_CHANGES[record.history_type]),
                                   changes=changes))
    return entries


def _own_changes(obj, limit: int) -> list[ChangeEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = _field_changes(record, previous) if previous is not None else []
        who = str(record.history_user) if record.history_user else _("Systemet")
        entries.append(
            ChangeEntry(
                when=record.history_date,
                who=who,
                what=_(CHANGE_TYPES[record.history_type]) if record.history_type in CHANGE_TYPES
                else record.history_type,
                changes=changes,
            )
        )
    return entries


def _field_changes(record, previous) -> list[FieldChange]:
    delta = record.diff_against(previous)
    model = record.instance_type
    changes = []
    for change in delta.changes:
        try:
            model_field = model._meta.get_field(change.field)
        except Exception:  # noqa: BLE001 - m2m and removed fields have no concrete field
            model_field = None
        label = str(getattr(model_field, "verbose_name", change.field))
        label = label[:1].upper() + label[1:]
        if isinstance(model_field, JSONField) and isinstance(change.old or change.new, dict):
            changes.extend(_dict_changes(label, change.old or {}, change.new or {}))
            continue
        changes.append(
            FieldChange(
                label=label,
                old=_display(model_field, change.old),
                new=_display(model_field, change.new),
            )
        )
    return changes


def _dict_changes(label: str, old: dict, new: dict) -> list[FieldChange]:
    """A structured field (the figures a nämnd approved) as one row per entry that changed."""
    keys = [*new, *(key for key in old if key not in new)]
    return [FieldChange(label=f"{label}: {key}", old=_display(None, old.get(key)),
                        new=_display(None, new.get(key)))
            for key in keys if old.get(key) != new.get(key)]


def _display(model_field, value) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(model_field, JSONField) or (model_field is None and isinstance(value, dict)):
        return _structured(value)
    if isinstance(value, list):  # m2m: list of through-row dicts
        return _("%(count)s st") % {"count": len(value)}
    if isinstance(model_field, ForeignKey):
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, Decimal):
        return formatting.number(value)
    # The change log is a table: dates and moments in their short form.
    if isinstance(value, dt.datetime):
        return formatting.moment_short(timezone.localtime(value) if timezone.is_aware(value)
                                       else value)
    if isinstance(value, dt.date):
        return formatting.date_short(value)
    return str(value)


def _structured(value) -> str:
    """A JSON value in words: entries as "key: value", lists one item after the other."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_structured(item)}" for key, item in value.items()) or "–"
    if isinstance(value, list):
        return "; ".join(_structured(item) for item in value) or "–"
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    return str(value)


def my_namnder(user) -> list[OrganisationUnit]:
    """The nämnder (and KS) the user's assignments sit in, for shortcuts on the start page."""
    found: dict[int, OrganisationUnit] = {}
    for assignment in active_assignments(user):
        namnd = assignment.unit.nearest_namnd()
        if namnd is not None:
            found[namnd.pk] = namnd
    return sorted(found.values(), key=lambda unit: unit.path)
