"""Named responsibility for one object: the second layer of permissions, beside the roles.

The förvaltningschef appoints a named official to answer for one object of the nämnd — a
nämndmål's assessments ("målansvarig"), one report section's texts, one volume measure's
outcome and forecast, one deviation case's measures — for a period and with a reason. The
person is told at once (a notification and its e-mail) and reminded of what the object owes.
The person may then write exactly that object, and nothing else of the nämnd that their roles
do not already give.

The grant is a django-guardian object permission (`guardian.shortcuts.assign_perm`), found in
lists with `get_objects_for_user`. It counts only while its `Appointment` is in its period:
every check and every list query asks for both, so an appointment ends on its last day with no
job to remove the grant (`tidy_ended` may remove ended grants; nothing depends on it).

Who may be appointed follows the governance model's sides and mandates: only an official for
an officials' object (P1, P2), and only one whose own role is held within the object's nämnd
(P5) — an appointment never reaches into another nämnd.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .errors import DomainError
from .formatting import date_text
from .models import Appointment, OrganisationUnit, RoleAssignment, Side, User
from .name_search import people_named
from .notifications import notify_once
from .roles import FORVALTNINGSCHEF, KOMMUNDIREKTOR


@dataclass(frozen=True)
class Answerable:
    """A kind of object a person can be appointed to answer for."""

    model_label: str  # "goals.namndmal"
    permission: str  # the guardian codename on that model
    kind: str  # the permission table's kind the appointment lets the person write
    side: str  # whose object it is (P1)
    title: str  # what the appointed person is called, "Målansvarig"
    # Whether the object can still be given to someone (a submitted section cannot); None: always.
    still_open: Callable[[models.Model], bool] | None = None
    # What the refusal says when it cannot; %(object)s names the object.
    closed_message: str = gettext_lazy("Ingen kan utses nu: %(object)s är inlämnat eller låst.")

    @property
    def full_permission(self) -> str:
        return f"{self.model_label.split('.')[0]}.{self.permission}"


ANSWERABLE: dict[str, Answerable] = {}
# The roles that appoint, within the reach of their assignment (the förvaltningschef for the
# nämnd; the kommundirektör for KS, whose förvaltning he heads).
APPOINTING_ROLES = frozenset({FORVALTNINGSCHEF, KOMMUNDIREKTOR})


def register(answerable: Answerable) -> Answerable:
    ANSWERABLE[answerable.model_label] = answerable
    return answerable


def answerable_for(obj_or_model) -> Answerable | None:
    return ANSWERABLE.get(obj_or_model._meta.label_lower)


def _namnd_of(obj: models.Model) -> OrganisationUnit:
    return obj.namnd


# --- Checks -----------------------------------------------------------------------------------


def answers_for(user, obj: models.Model, day: dt.date | None = None) -> bool:
    """The person holds the object's grant and an appointment for it that is in its period."""
    answerable = answerable_for(obj)
    if answerable is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    day = day or timezone.localdate()
    if not user.has_perm(answerable.full_permission, obj):
        return False
    return Appointment.objects.of(obj).active_on(day).filter(user=user).exists()


def grants_kind(obj: models.Model, kind: str) -> bool:
    answerable = answerable_for(obj)
    return answerable is not None and answerable.kind == kind


def answered_by(user, queryset: QuerySet, day: dt.date | None = None) -> QuerySet:
    """The rows of `queryset` the person answers for today: guardian's grants, in their
    period; one query, in SQL."""
    model = queryset.model
    answerable = answerable_for(model)
    if answerable is None or not getattr(user, "is_authenticated", False):
        return queryset.none()
    day = day or timezone.localdate()
    granted = get_objects_for_user(user, answerable.full_permission, klass=queryset,
                                   use_groups=False, with_superuser=False,
                                   accept_global_perms=False)
    in_period = Appointment.objects.active_on(day).filter(
        user=user, content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"))
    return granted.filter(Exists(in_period))


def current_appointments(obj: models.Model, day: dt.date | None = None) -> list[Appointment]:
    day = day or timezone.localdate()
    return list(Appointment.objects.of(obj).active_on(day).select_related("user"))


def appointments_of(obj: models.Model) -> list[Appointment]:
    """Every appointment for the object, past, present and coming, in order."""
    return list(Appointment.objects.of(obj).select_related("user", "appointed_by"))


def current_for(objects, day: dt.date | None = None) -> dict[int, list[Appointment]]:
    """The appointments in their period today of each of `objects` (one kind), by the object's
    pk; one query, for a list page."""
    objects = list(objects)
    if not objects:
        return {}
    day = day or timezone.localdate()
    found: dict[int, list[Appointment]] = {}
    for appointment in (Appointment.objects.active_on(day)
                        .filter(content_type=ContentType.objects.get_for_model(objects[0]),
                                object_id__in=[obj.pk for obj in objects])
                        .select_related("user")):
        found.setdefault(appointment.object_id, []).append(appointment)
    return found


def kinds_held_by(user, day: dt.date | None = None) -> set[str]:
    """The model labels ("goals.namndmal") of the objects the person is appointed to answer
    for today; one query. The grant itself is still asked for by `answered_by`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    day = day or timezone.localdate()
    held = (Appointment.objects.active_on(day).filter(user=user)
            .values_list("content_type__app_label", "content_type__model").distinct())
    return {f"{app}.{model}" for app, model in held}


def people_appointed_on(day: dt.date) -> list[User]:
    """Everyone active who answers for something today (for the reminders); one query."""
    return list(User.objects.filter(
        is_active=True, pk__in=Appointment.objects.active_on(day).values("user")))


# --- Who may appoint, and whom -------------------------------------------------------------


def _active(user, day: dt.date) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.active_on(day).filter(user=user)
                .select_related("role", "unit"))


def _held_in(assignment: RoleAssignment, namnd: OrganisationUnit) -> bool:
    """The role is held within the nämnd's area (P5)."""
    return assignment.unit.path.startswith(namnd.path)


def may_appoint(user, obj: models.Model, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    namnd = _namnd_of(obj)
    return any(a.role.code in APPOINTING_ROLES and _held_in(a, namnd)
               for a in _active(user, day))


def candidates(obj: models.Model, day: dt.date | None = None) -> QuerySet:
    """The people who may be appointed: officials holding a role within the object's nämnd
    today (P1, P2, P5), by name."""
    day = day or timezone.localdate()
    answerable = answerable_for(obj)
    namnd = _namnd_of(obj)
    held = (RoleAssignment.objects.active_on(day)
            .filter(user=OuterRef("pk"), role__side=answerable.side,
                    unit__path__startswith=namnd.path))
    return User.objects.filter(Exists(held), is_active=True).order_by("last_name", "first_name")


# A big city's nämnd has thousands of candidates: the page lists this many, found by name.
CANDIDATES_SHOWN = 20


@dataclass(frozen=True)
class CandidateSearch:
    """The candidates a name search found: the first ones by name, each with the roles that make
    them one (`roles_here`), and how many the search matched in all."""

    people: list[User]
    total: int

    @property
    def shown(self) -> int:
        return min(self.total, CANDIDATES_SHOWN)

    @property
    def more(self) -> bool:
        return self.total > CANDIDATES_SHOWN


def search_candidates(obj: models.Model, text: str = "", *, chosen: int | None = None,
                      day: dt.date | None = None) -> CandidateSearch:
    """The candidates whose names hold every word of `text`, at most CANDIDATES_SHOWN, in
    three queries however many there are. A person already `chosen` (a form sent back with
    errors) stays first on the list while they are a candidate, found by the search or not."""
    day = day or timezone.localdate()
    matching = people_named(candidates(obj, day), text)
    people = list(matching[:CANDIDATES_SHOWN])
    if chosen is not None and chosen not in {person.pk for person in people}:
        people = list(candidates(obj, day).filter(pk=chosen)) + people
    answerable, namnd = answerable_for(obj), _namnd_of(obj)
    prefetch_related_objects(people, Prefetch(
        "assignments", to_attr="roles_here",
        queryset=RoleAssignment.objects.active_on(day)
        .filter(role__side=answerable.side, unit__path__startswith=namnd.path)
        .select_related("role", "unit").order_by("role__sort_order", "unit__path")))
    return CandidateSearch(people=people, total=matching.count())


def _refusals(*, by, person, obj, starts_on, ends_on, reason, today) -> list[tuple[str, str]]:
    errors: list[tuple[str | None, str]] = []
    answerable = answerable_for(obj)
    if not may_appoint(by, obj, today):
        errors.append((None, _("Bara förvaltningschefen för %(namnd)s kan utse en ansvarig.")
                       % {"namnd": _namnd_of(obj)}))
    if answerable.still_open is not None and not answerable.still_open(obj):
        errors.append((None, str(answerable.closed_message) % {"object": obj}))
    if person is None:
        errors.append(("person", _("Välj vem som ska vara ansvarig.")))
    elif not candidates(obj, today).filter(pk=person.pk).exists():
        if answerable.side == Side.OFFICIALS:
            errors.append(("person", _(
                "%(person)s kan inte utses: ansvaret kan bara ges till en tjänsteperson med "
                "en roll i %(namnd)s.") % {"person": person.get_full_name() or person,
                                         "namnd": _namnd_of(obj)}))
        else:
            errors.append(("person", _("%(person)s kan inte utses för %(namnd)s.")
                           % {"person": person, "namnd": _namnd_of(obj)}))
    if starts_on is None:
        errors.append(("starts_on", _("Ange från vilken dag ansvaret gäller.")))
    if ends_on is None:
        errors.append(("ends_on", _("Ange till och med vilken dag ansvaret gäller.")))
    if starts_on and ends_on and ends_on < starts_on:
        errors.append(("ends_on", _("Slutdagen kan inte vara före startdagen.")))
    if ends_on and ends_on < today:
        errors.append(("ends_on", _("Slutdagen har redan passerat.")))
    if not (reason or "").strip():
        errors.append(("reason", _("Skriv varför personen får ansvaret.")))
    return errors


@transaction.atomic
def appoint(*, by, person, obj: models.Model, starts_on: dt.date | None,
            ends_on: dt.date | None, reason: str, today: dt.date | None = None) -> Appointment:
    """Appoint `person` to answer for `obj` from `starts_on` to `ends_on`; every refusal at
    once (DomainError), nothing saved then."""
    today = today or timezone.localdate()
    answerable = answerable_for(obj)
    if answerable is None:
        raise DomainError(_("Det här går inte att utse en ansvarig för."))
    errors = _refusals(by=by, person=person, obj=obj, starts_on=starts_on, ends_on=ends_on,
                       reason=reason, today=today)
    if errors:
        raise DomainError(errors[0][1], errors[0][0], errors=errors)
    appointment = Appointment(
        user=person, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
        namnd=_namnd_of(obj), starts_on=starts_on, ends_on=ends_on, reason=reason.strip(),
        appointed_by=by)
    appointment._history_user = by  # the history says who, also outside a request
    appointment.save()
    assign_perm(answerable.full_permission, person, obj)
    _tell_the_appointed(appointment, answerable, obj)
    return appointment


def _tell_the_appointed(appointment: Appointment, answerable: Answerable, obj) -> None:
    by = appointment.appointed_by
    notify_once(
        recipient=appointment.user, key=f"ansvar:{appointment.pk}:utsedd",
        subject=_("Du är utsedd: %(title)s – %(object)s") % {
            "title": answerable.title, "object": obj},
        body=_("%(by)s har utsett dig för %(from)s–%(to)s. Skäl: %(reason)s") % {
            "by": by.get_full_name() or by, "from": date_text(appointment.starts_on),
            "to": date_text(appointment.ends_on), "reason": appointment.reason},
        url=obj.get_absolute_url())


@transaction.atomic
def end_appointment(*, by, appointment: Appointment, today: dt.date | None = None) -> None:
    """End the appointment: one under way counts for the last time yesterday; one not yet
    begun is withdrawn (its history keeps it)."""
    today = today or timezone.localdate()
    obj = appointment.content_object
    if not may_appoint(by, obj, today):
        raise DomainError(_("Bara förvaltningschefen för %(namnd)s kan avsluta ansvaret.")
                          % {"namnd": appointment.namnd})
    if appointment.ends_on < today:
        raise DomainError(_("Ansvaret upphörde redan %(day)s.")
                          % {"day": date_text(appointment.ends_on)})
    appointment._history_user = by
    if appointment.starts_on >= today:
        appointment.delete()
    else:
        appointment.ends_on = today - dt.timedelta(days=1)
        appointment.save(update_fields=["ends_on"])
    _drop_grant_unless_needed(appointment, today)


def _drop_grant_unless_needed(appointment: Appointment, today: dt.date) -> None:
    still = (Appointment.objects.filter(content_type=appointment.content_type,
                                        object_id=appointment.object_id, user=appointment.user,
                                        ends_on__gte=today)
             .exclude(pk=appointment.pk).exists()) if appointment.pk else (
        Appointment.objects.filter(content_type=appointment.content_type,
                                   object_id=appointment.object_id, user=appointment.user,
                                   ends_on__gte=today).exists())
    if not still:
        answerable = answerable_for(appointment.content_object)
        remove_perm(answerable.full_permission, appointment.user, appointment.content_object)


def tidy_ended(today: dt.date | None = None) -> int:
    """Remove the grants of appointments that have ended (housekeeping; checks never rely on
    it). Returns how many were removed."""
    today = today or timezone.localdate()
    removed = 0
    for appointment in Appointment.objects.filter(ends_on__lt=today).select_related("user"):
        before = appointment.user.has_perm(
            answerable_for(appointment.content_object).full_permission,
            appointment.content_object)
        _drop_grant_unless_needed(appointment, today)
        removed += int(before)
    return removed
