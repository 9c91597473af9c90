"""Changes to the core: organisation units, role assignments, budget years and meetings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from styrmodell.formatting import date_text

from .calendar import prefill_calendar
from .errors import DomainError
from .models import (
    BudgetYear,
    CalendarEvent,
    EventKind,
    MandatePeriod,
    OrganisationUnit,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from .versioning import check_version

# Which kinds of unit may sit under which: keeps the tree meaningful for reports.
ALLOWED_PARENTS: dict[str, set[str]] = {
    UnitKind.KOMMUN: set(),
    UnitKind.KF: {UnitKind.KOMMUN},
    UnitKind.KS: {UnitKind.KF},
    UnitKind.KSAU: {UnitKind.KS},
    UnitKind.NAMND: {UnitKind.KF},
    UnitKind.REVISION: {UnitKind.KF, UnitKind.KOMMUN},
    UnitKind.FORVALTNING: {UnitKind.NAMND, UnitKind.KS},
    UnitKind.ENHET: {UnitKind.FORVALTNING, UnitKind.ENHET},
    UnitKind.BOLAG: {UnitKind.KOMMUN, UnitKind.BOLAG},
    UnitKind.STIFTELSE: {UnitKind.KOMMUN},
}


def _validate_placement(kind: str, parent: OrganisationUnit | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    if not allowed:
        if parent is not None:
            raise DomainError(_("Kommunen ligger överst och har ingen överordnad."),
                              field="parent")
        return
    if parent is None or parent.kind not in allowed:
        names = ", ".join(sorted(str(UnitKind(k).label) for k in allowed))
        raise DomainError(
            _("En %(kind)s ska ligga under: %(names)s.")
            % {"kind": UnitKind(kind).label.lower(), "names": names},
            field="parent",
        )


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), field=None if field == "__all__" else field) from None


@transaction.atomic
def create_unit(
    *, name: str, kind: str, parent: OrganisationUnit | None, **fields
) -> OrganisationUnit:
    _validate_placement(kind, parent)
    unit = OrganisationUnit(name=name, kind=kind, parent=parent, **fields)
    _full_clean(unit)
    unit.save()
    return unit


@transaction.atomic
def update_unit(*, unit: OrganisationUnit, version: str | None, **fields) -> OrganisationUnit:
    unit = OrganisationUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version)
    for name, value in fields.items():
        setattr(unit, name, value)
    _validate_placement(unit.kind, unit.parent)
    _full_clean(unit)
    unit.save()
    return unit


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: Role,
    unit: OrganisationUnit,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    mandate_period: MandatePeriod | None = None,
) -> RoleAssignment:
    """Give a person a role in a unit for a time; a political role follows the mandate period."""
    if mandate_period is not None:
        if not mandate_period.contains(valid_from):
            raise DomainError(
                _("Startdatum ligger utanför den valda mandatperioden."), field="valid_from"
            )
        valid_to = min(valid_to or mandate_period.ends_on, mandate_period.ends_on)
    overlapping = RoleAssignment.objects.filter(
        user=user, role=role, unit=unit, valid_from__lte=valid_to or dt.date.max
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if overlapping.exists():
        raise DomainError(
            _("%(user)s har redan rollen %(role)s i %(unit)s under den perioden.")
            % {"user": user, "role": role, "unit": unit},
            field="role",
        )
    assignment = RoleAssignment(
        user=user,
        role=role,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
        mandate_period=mandate_period,
    )
    _full_clean(assignment)
    assignment.save()
    return assignment


@transaction.atomic
def end_assignment(*, assignment: RoleAssignment, last_day: dt.date) -> RoleAssignment:
    """End a role assignment; the permissions it gave end with it."""
    if last_day < assignment.valid_from:
        raise DomainError(_("Sista dagen kan inte vara före startdatum."), field="last_day")
    if assignment.valid_to is not None and assignment.valid_to < last_day:
        raise DomainError(_("Uppdraget har redan upphört tidigare."), field="last_day")
    assignment.valid_to = last_day
    assignment.save()
    return assignment


@transaction.atomic
def create_budget_year(*, year: int, mandate_period: MandatePeriod | None = None) -> BudgetYear:
    """A new budget year, its calendar pre-filled from the styrmodell (B1, F1)."""
    if BudgetYear.objects.filter(year=year).exists():
        raise DomainError(_("Budgetåret %(year)s finns redan.") % {"year": year}, field="year")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Ange ett år mellan 2000 och 2100."), field="year")
    budget_year = BudgetYear.objects.create(year=year, mandate_period=mandate_period)
    prefill_calendar(budget_year=budget_year)
    return budget_year


@transaction.atomic
def save_event(
    *, event: CalendarEvent | None, budget_year: BudgetYear, version: str | None = None, **fields
) -> CalendarEvent:
    """Create or edit a calendar event; an edit must be against the version the form showed."""
    roles = fields.pop("responsible_roles", None)
    if event is None:
        event = CalendarEvent(budget_year=budget_year)
    else:
        event = CalendarEvent.objects.select_for_update().get(pk=event.pk)
        check_version(event, version)
    for name, value in fields.items():
        setattr(event, name, value)
    if event.kind == EventKind.MEETING and event.unit is None:
        raise DomainError(_("Ange vilket organ som sammanträder."), field="unit")
    _full_clean(event)
    event.save()
    if roles is not None:
        event.responsible_roles.set(roles)
    return event


@transaction.atomic
def add_meeting(*, budget_year: BudgetYear, body: OrganisationUnit, date: dt.date) -> CalendarEvent:
    if body.kind not in {UnitKind.KF, UnitKind.KS, UnitKind.KSAU, UnitKind.NAMND}:
        raise DomainError(_("Sammanträden läggs in för KF, KS, KSAU eller en nämnd."),
                          field="unit")
    if CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=body, date=date).exists():
        raise DomainError(_("%(body)s har redan ett sammanträde %(date)s.")
                          % {"body": body, "date": date_text(date)}, field="date")
    return CalendarEvent.objects.create(
        budget_year=budget_year,
        kind=EventKind.MEETING,
        title=f"Sammanträde {body.short_name or body.name}",
        date=date,
        unit=body,
        rule="F3" if body.kind == UnitKind.NAMND else "",
    )


def next_meeting(*, body: OrganisationUnit, after: dt.date) -> CalendarEvent | None:
    """The body's first meeting after a date; later rules (D3) count deadlines from it."""
    return (
        CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=body, date__gt=after)
        .order_by("date")
        .first()
    )


@transaction.atomic
def update_fields(*, obj, version: str | None, **fields):
    """Edit plain fields of a core object against the version the form showed."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_version(obj, version)
    for name, value in fields.items():
        setattr(obj, name, value)
    _full_clean(obj)
    obj.save()
    return obj


@transaction.atomic
def create_person(*, username: str, first_name: str, last_name: str, email: str = "",
                  title: str = "", external_id: str | None = None) -> User:
    """A new person without a password of their own yet; roles are assigned per unit."""
    if User.objects.filter(username=username).exists():
        raise DomainError(_("Användarnamnet är redan upptaget."), field="username")
    if external_id and User.objects.filter(external_id=external_id).exists():
        raise DomainError(_("Anställnings-id:t tillhör redan en annan person."),
                          field="external_id")
    person = User(username=username, first_name=first_name, last_name=last_name, email=email,
                  title=title, external_id=external_id)
    person.set_unusable_password()
    person.save()
    return person
