"""A person's deadlines, for the page "Mina frister" and the iCal feed Outlook subscribes to.

The deadlines come from sources registered here: the calendar's dated steps and report
deadlines the person answers for (responsibility.py), the meetings of the bodies the person
sits in or serves, and the open obligations of the deviation cases the person must act on
(a nämnd-scoped role only for its own nämnd, as `deviations.detection.holders`). Other parts
add theirs with one call: `register_source(fn)`, where `fn(user, today, context)` yields
`Deadline`s.

The feed is written by hand after RFC 5545: CRLF line ends, content lines folded at 75
octets (never inside a UTF-8 character), TEXT values escaped, all-day events with stable UIDs
so that a refresh in Outlook replaces an event rather than adding a copy.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deviations.deadlines import (
    OBLIGATION_ROLES,
    cases_a_municipality_wide_role_may_owe,
    cases_a_namnd_role_may_owe,
    obligations,
)
from deviations.models import Avvikelse, CaseStatus
from styrmodell.formatting import date_text
from styrmodell.models import CalendarEvent, EventKind, RoleAssignment, Scope, User
from styrmodell.permissions import active_assignments, scope_root
from styrmodell.responsibility import is_responsible

from .models import CalendarFeedToken, hash_feed_token, new_feed_token

# How far back and ahead the feed and the page reach.
PAST_DAYS = 60
AHEAD_DAYS = 400
UID_DOMAIN = "styrmodell"
CALENDAR_NAME = "Styrmodell – mina frister"


@dataclass(frozen=True)
class Deadline:
    uid: str
    title: str
    date: dt.date
    url: str = ""
    description: str = ""
    category: str = ""
    # What the line is about where the title alone does not tell two apart (the case of an
    # obligation), shown under the title on the start page.
    subject: str = ""
    # A meeting that has been held is not late; a step or an obligation past its date is.
    overdue_when_past: bool = True
    # Something still owed (an open case's obligation, a section not yet submitted) stays on
    # the list however long ago it fell due; a calendar step drops off after PAST_DAYS.
    still_owed: bool = False


@dataclass
class FeedContext:
    """What every source needs about the person, looked up once per request."""

    user: User
    today: dt.date
    assignments: list[RoleAssignment]
    _namnd_of: dict[int, object] = field(default_factory=dict)

    @property
    def first_day(self) -> dt.date:
        return self.today - dt.timedelta(days=PAST_DAYS)

    @property
    def last_day(self) -> dt.date:
        return self.today + dt.timedelta(days=AHEAD_DAYS)

    def namnd_of(self, assignment: RoleAssignment):
        """The nämnd an assignment belongs to, as `deviations.detection.holders` sees it."""
        if assignment.pk not in self._namnd_of:
            root = scope_root(assignment)
            if assignment.role.scope == Scope.NAMND and root is not None:
                self._namnd_of[assignment.pk] = root
            else:
                self._namnd_of[assignment.pk] = assignment.unit.nearest_namnd() or assignment.unit
        return self._namnd_of[assignment.pk]


Source = Callable[[User, dt.date, FeedContext], Iterable[Deadline]]

_SOURCES: list[Source] = []


def register_source(source: Source) -> Source:
    """Add a source of deadlines; usable as a decorator. Registering twice is harmless."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def deadlines_for(user: User, today: dt.date | None = None) -> list[Deadline]:
    """The person's deadlines from PAST_DAYS ago (or earlier, while still owed) to AHEAD_DAYS
    ahead, by date; one per UID."""
    today = today or timezone.localdate()
    # The request's own list when the page has asked for it already (the start page).
    assignments = list(active_assignments(user, today))
    if not assignments or not user.is_active:
        return []
    context = FeedContext(user=user, today=today, assignments=assignments)
    found: dict[str, Deadline] = {}
    for source in _SOURCES:
        for deadline in source(user, today, context):
            if deadline.date > context.last_day:
                continue
            if deadline.still_owed or deadline.date >= context.first_day:
                found.setdefault(deadline.uid, deadline)
    return sorted(found.values(), key=lambda d: (d.date, d.title, d.uid))


@register_source
def calendar_steps(user: User, today: dt.date, context: FeedContext) -> Iterable[Deadline]:
    """Dated steps of the budget process (B1) and report deadlines (F1) the person answers for."""
    role_ids = {assignment.role_id for assignment in context.assignments}
    # One row per step and role of the person's that answers for it: the steps and which of
    # the person's roles they name, in one query.
    links = (CalendarEvent.responsible_roles.through.objects
             .filter(role_id__in=role_ids, calendarevent__date__gte=context.first_day,
                     calendarevent__date__lte=context.last_day)
             .exclude(calendarevent__kind=EventKind.MEETING)
             .select_related("calendarevent__unit")
             .order_by("calendarevent__date", "calendarevent_id"))
    events: dict[int, tuple[CalendarEvent, set[int]]] = {}
    for link in links:
        events.setdefault(link.calendarevent_id, (link.calendarevent, set()))[1].add(
            link.role_id)
    for event, named in events.values():
        if not any(is_responsible(assignment, event, named)
                   for assignment in context.assignments):
            continue
        where = f" ({event.unit})" if event.unit else ""
        yield Deadline(
            uid=f"kalender-{event.pk}@{UID_DOMAIN}",
            title=f"{event.title}{where}",
            date=event.date,
            url=event.get_absolute_url(),
            description=event.description.strip(),
            category=event.get_kind_display(),
        )


@register_source
def meetings(user: User, today: dt.date, context: FeedContext) -> Iterable[Deadline]:
    """Meetings of the bodies the person sits in, or serves (a förvaltning its nämnd)."""
    bodies = {assignment.unit_id for assignment in context.assignments}
    bodies |= {root.pk for root in map(scope_root, context.assignments) if root is not None}
    events = (
        CalendarEvent.objects.filter(kind=EventKind.MEETING, unit_id__in=bodies,
                                     date__gte=context.first_day, date__lte=context.last_day)
        .select_related("unit")
        .order_by("date")
    )
    titled, category = _("Sammanträde: %(unit)s"), str(EventKind.MEETING.label)
    for event in events:
        yield Deadline(
            uid=f"sammantrade-{event.pk}@{UID_DOMAIN}",
            title=titled % {"unit": event.unit},
            date=event.date,
            url=event.get_absolute_url(),
            description=event.description,
            category=category,
            overdue_when_past=False,
        )


@register_source
def deviation_obligations(user: User, today: dt.date,
                          context: FeedContext) -> Iterable[Deadline]:
    """What the open deviation cases owe by a date, where the person holds a role that owes it
    for that case's nämnd (a municipality-wide role for every nämnd)."""
    codes = {assignment.role.code for assignment in context.assignments}
    cases = _cases_the_person_may_owe(context)
    if cases is None:
        return
    # Translated once, not once per obligation.
    late = " " + _("Fristen har passerat.")
    category, described = _("Avvikelseärende"), _("%(case)s, senast %(due)s.")
    for case in cases:
        owed = [obligation for obligation in obligations(case, today)
                if not obligation.done_on and obligation.due is not None
                and codes & obligation.roles
                and any(_owes(assignment, case, obligation.roles, context)
                        for assignment in context.assignments)]
        if not owed:
            continue
        # Named and linked once per case, not once per obligation.
        case_text, url = str(case), case.get_absolute_url()
        for obligation in owed:
            yield Deadline(
                uid=f"avvikelse-{case.pk}-{obligation.code}@{UID_DOMAIN}",
                title=f"{obligation.label} – {case.namnd}",
                date=obligation.due,
                url=url,
                description=described % {"case": case_text, "due": date_text(obligation.due)}
                + (late if obligation.is_overdue else ""),
                category=category,
                subject=case_text,
                still_owed=True,
            )


def _cases_the_person_may_owe(context: FeedContext):
    """The open cases where a role the person holds can owe an obligation with a date (of the
    role's own nämnd, or for a municipality-wide role of any), asked of the database; None when
    the person holds no such role. Which obligation is the person's own is decided per case by
    `_owes`, on these few."""
    owing = [assignment for assignment in context.assignments
             if assignment.role.code in OBLIGATION_ROLES]
    if not owing:
        return None
    where = Q(pk__in=[])
    for assignment in owing:
        if assignment.role.scope == Scope.KOMMUN:
            where |= cases_a_municipality_wide_role_may_owe(assignment.role.code)
        else:
            where |= (Q(namnd=context.namnd_of(assignment))
                      & cases_a_namnd_role_may_owe(assignment.role.code))
    cases = Avvikelse.objects.filter(where, status=CaseStatus.OPEN)
    return (cases.select_related("namnd", "budget_year", "project", "decision_meeting")
            .prefetch_related("measures").order_by("opened_on", "pk"))


def _owes(assignment: RoleAssignment, case: Avvikelse, roles: frozenset[str],
          context: FeedContext) -> bool:
    if assignment.role.code not in roles:
        return False
    return assignment.role.scope == Scope.KOMMUN or context.namnd_of(assignment) == case.namnd


# --- The secret address ------------------------------------------------------------------------


def has_feed_token(user: User) -> bool:
    return CalendarFeedToken.objects.filter(user=user).exists()


@transaction.atomic
def renew_feed_token(*, user: User) -> str:
    """A new secret address, returned once and stored only as its hash; the old one answers
    404 from now on."""
    token = new_feed_token()
    row = CalendarFeedToken.objects.select_for_update().filter(user=user).first()
    if row is None:
        CalendarFeedToken.objects.create(user=user, token_hash=hash_feed_token(token))
    else:
        row.token_hash = hash_feed_token(token)
        row.renewed_at = timezone.now()
        row.save(update_fields=["token_hash", "renewed_at"])
    return token


def user_for_token(token: str) -> User | None:
    """The active person behind a feed address, or None."""
    digest = hash_feed_token(token)
    found = (CalendarFeedToken.objects.filter(token_hash=digest, user__is_active=True)
             .select_related("user").first())
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found.user


# --- iCalendar (RFC 5545) ------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never splitting a UTF-8 character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts: list[str] = []
    current, size, limit = [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the continuation's leading space is an octet
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def render_ics(deadlines: Iterable[Deadline], *, absolute: Callable[[str], str],
               now: dt.datetime | None = None) -> str:
    """The calendar as text, CRLF line ends; `absolute` turns a path into a full URL."""
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ekbacka kommun//Styrmodell//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(CALENDAR_NAME)}",
        f"NAME:{escape_text(CALENDAR_NAME)}",
        "X-WR-CALDESC:Frister\\, rapporter och sammanträden i Styrmodell",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for deadline in deadlines:
        url = absolute(deadline.url) if deadline.url else ""
        description = deadline.description
        if url:
            description = f"{description}\n\n{url}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{deadline.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY;LANGUAGE=sv:{escape_text(deadline.title)}",
        ]
        if description:
            lines.append(f"DESCRIPTION;LANGUAGE=sv:{escape_text(description)}")
        if deadline.category:
            lines.append(f"CATEGORIES:{escape_text(deadline.category)}")
        if url:
            lines.append(f"URL;VALUE=URI:{url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
