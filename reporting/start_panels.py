"""The reporting app's panels on the start page (styrmodell.start_page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from styrmodell.models import (
    NAMND_LIKE_KINDS,
    POLITICAL_BODY_KINDS,
    CalendarEvent,
    EventKind,
    UnitKind,
)
from styrmodell.permissions import POLITICAL_ROLES, Action, can, scope_root
from styrmodell.roles import EKONOM, EKONOMICHEF, FORVALTNINGSCHEF, KOMMUNDIREKTOR
from styrmodell.start_page import (
    LINES_SHOWN,
    Item,
    Panel,
    first_lines,
    once_per_page,
    register,
    role_codes,
)

from . import report_work
from .deadlines_feed import deadlines_for
from .models import Rapportavsnitt, SectionStatus

# What "soon" is on the start page; later deadlines are there too, folded away.
SOON_DAYS = 30
# The deadlines the panel lists at most; Mina frister has them all.
DEADLINES_SHOWN = 10


@register(10, "reporting.deadlines")
def my_deadlines(*, user, today: dt.date, assignments) -> Panel | None:
    """The first of what Mina frister lists for the person, so the two pages never disagree:
    what is late first, then the next month, then the rest folded away; DEADLINES_SHOWN lines
    at most, with the way to the whole list."""
    if not assignments:
        return None
    deadlines = deadlines_for(user, today)
    overdue = [d for d in deadlines if d.date < today and d.overdue_when_past]
    coming = [d for d in deadlines if d.date >= today]
    soon_until = today + dt.timedelta(days=SOON_DAYS)
    shown = (overdue + coming)[:DEADLINES_SHOWN]
    listed = len(overdue) + len(coming)
    url = reverse("reporting:my_deadlines")
    more = ((_("Alla %(count)s frister i Mina frister") % {"count": listed}, url)
            if listed > len(shown) else (_("Mina frister – prenumerera i Outlook"), url))
    return Panel(
        key="att-gora", title=_("Att göra"), template="reporting/_start_deadlines.html",
        context={"overdue": shown[:len(overdue)],
                 "soon": [d for d in shown[len(overdue):] if d.date <= soon_until],
                 "later": [d for d in shown[len(overdue):] if d.date > soon_until],
                 "today": today},
        intro=(_("Du har %(count)s försenade frister; här visas de %(shown)s första.")
               % {"count": len(overdue), "shown": len(shown)}
               if len(overdue) > len(shown) else ""),
        more=more)


# --- the politicians: their bodies' meetings and what waits for their decision ---------------

MEETINGS_SHOWN = 5
MEETINGS_AHEAD_DAYS = 60
# What waits for a meeting's decision, listed under it; the rest is in "Väntar på beslut".
AGENDA_SHOWN = 3


def _bodies(assignments) -> list:
    """The political bodies the person sits in (KF, KS, KSAU, a nämnd)."""
    bodies = {a.unit.pk: a.unit for a in assignments
              if a.role.code in POLITICAL_ROLES and a.unit.kind in POLITICAL_BODY_KINDS}
    return list(bodies.values())


@dataclass(frozen=True)
class Waiting:
    """A report or a section waiting for a body's decision, and where it is decided."""

    body_id: int
    text: str
    url: str
    detail: str
    due: dt.date | None
    late: bool

    def item(self) -> Item:
        return Item(text=self.text, url=self.url, detail=self.detail, due=self.due,
                    overdue=self.late)


def _waiting(user, today: dt.date, bodies) -> list[Waiting]:
    """What waits for the bodies' decisions: two queries at most, whatever the bodies, and
    once per page (the meetings and the waiting list both show it)."""
    key = ("reporting.waiting", today, tuple(sorted(body.pk for body in bodies)))
    return once_per_page(user, key, lambda: _waiting_now(user, today, bodies))


def _waiting_now(user, today: dt.date, bodies) -> list[Waiting]:
    namnder = [body.pk for body in bodies if body.kind in NAMND_LIKE_KINDS]
    by_kind = {body.kind: body for body in bodies}
    waiting = []
    for section in report_work.sections_waiting_for_namnder(namnder):
        decides = can(user, Action.APPROVE, "report_approval", section.namnd)
        url = (reverse("reporting:section_decide", args=[section.period.budget_year.year,
                                                          section.period.code, section.namnd_id])
               if decides else section.get_absolute_url())
        waiting.append(Waiting(
            body_id=section.namnd_id, url=url, due=section.period.deadline,
            late=report_work.section_is_late(section, today),
            text=_("%(period)s: %(namnd)s") % {"period": section.period,
                                               "namnd": section.namnd},
            detail=_("Inlämnat %(day)s, väntar på nämndens beslut")
            % {"day": date_format(section.submitted_on, "DATE_FORMAT")} if section.submitted_on
            else _("Väntar på nämndens beslut")))
    records = can(user, Action.APPROVE, "report_decision")
    for period in report_work.periods_waiting_for_bodies(by_kind):
        kind = report_work.deciding_body_kind(period)
        url = (reverse("reporting:period_decide", args=[period.budget_year.year, period.code])
               if records else period.get_absolute_url())
        waiting.append(Waiting(
            body_id=by_kind[kind].pk, url=url, due=period.decision_due,
            late=report_work.period_is_late(period, today),
            text=_("%(period)s: kommunens rapport") % {"period": period},
            detail=(_("Sammanställd, väntar på KS:s beslut") if kind == UnitKind.KS
                    else _("Behandlad av KS, väntar på KF:s beslut"))))
    return waiting


def _status_url(meeting) -> str:
    """A nämnd's (or KS's) meeting has its ekonomisk lägesrapport (F3); KF's and KSAU's not."""
    if meeting.unit.kind in NAMND_LIKE_KINDS:
        return reverse("reporting:meeting_status", args=[meeting.pk])
    return ""


@register(20, "reporting.meetings")
def coming_meetings(*, user, today: dt.date, assignments) -> Panel | None:
    """The next meetings of the person's bodies, each with its lägesrapport and what waits for
    the body's decision there (a decision belongs at the body's next meeting)."""
    bodies = _bodies(assignments)
    if not bodies:
        return None
    meetings = list(CalendarEvent.objects
                    .filter(kind=EventKind.MEETING, unit__in=[b.pk for b in bodies],
                            date__gte=today,
                            date__lte=today + dt.timedelta(days=MEETINGS_AHEAD_DAYS))
                    .select_related("unit").order_by("date", "unit__path")[:MEETINGS_SHOWN])
    waiting = _waiting(user, today, bodies) if meetings else []
    rows, seen = [], set()
    for meeting in meetings:
        agenda = [] if meeting.unit_id in seen else [
            w.item() for w in waiting if w.body_id == meeting.unit_id]
        seen.add(meeting.unit_id)
        rows.append({"meeting": meeting, "status_url": _status_url(meeting),
                     "agenda": first_lines(agenda, AGENDA_SHOWN),
                     "agenda_hidden": max(len(agenda) - AGENDA_SHOWN, 0)})
    return Panel(key="kommande-sammantraden", title=_("Kommande sammanträden"),
                 template="reporting/_start_meetings.html", context={"rows": rows})


def _list(key: str, title: str, items: list[Item], empty: str, every: str) -> Panel:
    """A list panel whose lines name their deadline ("Sista dag …"): LINES_SHOWN of them at
    most, and `every` (a text with the count) links to the reports when some are left out."""
    more = every % {"count": len(items)} if len(items) > LINES_SHOWN else _("Alla rapporter")
    return Panel(key=key, title=title, template="reporting/_start_items.html",
                 context={"items": first_lines(items), "empty_text": empty},
                 more=(more, reverse("reporting:periods")))


@register(25, "reporting.waiting_decisions")
def waiting_for_decision(*, user, today: dt.date, assignments) -> Panel | None:
    """Sections submitted to the person's nämnd, and for KS and KF the compiled reports."""
    bodies = _bodies(assignments)
    if not bodies:
        return None
    return _list("vantar-pa-beslut", _("Väntar på beslut"),
                 [w.item() for w in _waiting(user, today, bodies)],
                 _("Inga rapporter väntar på beslut av dina organ."),
                 _("Alla %(count)s rapporter som väntar på beslut"))


# --- the förvaltning: sections to rework and to write ----------------------------------------


def _written_sections(assignments) -> list[Rapportavsnitt]:
    """The sections of open reports the person's förvaltning still writes (as Mina frister)."""
    codes = role_codes(assignments)
    if not codes & {FORVALTNINGSCHEF, KOMMUNDIREKTOR}:
        return []
    namnder = {scope_root(a).pk for a in assignments
               if a.role.code == FORVALTNINGSCHEF and scope_root(a) is not None}
    return report_work.sections_to_write(namnd_ids=namnder, ks=KOMMUNDIREKTOR in codes)


def _edit_url(section: Rapportavsnitt) -> str:
    return reverse("reporting:section_edit", args=[section.period.budget_year.year,
                                                   section.period.code, section.namnd_id])


@register(30, "reporting.returned_sections")
def returned_sections(*, user, today: dt.date, assignments) -> Panel | None:
    codes = role_codes(assignments)
    if not codes & {FORVALTNINGSCHEF, KOMMUNDIREKTOR}:
        return None
    sections = _written_sections(assignments)
    # The returned first, then those to write: LINES_SHOWN in all.
    returned = [s for s in sections if s.status == SectionStatus.RETURNED][:LINES_SHOWN]
    to_write = [s for s in sections
                if s.status == SectionStatus.DRAFT][:LINES_SHOWN - len(returned)]
    shown = len(returned) + len(to_write)
    more = (_("Alla %(count)s avsnitt att skriva eller skriva om") % {"count": len(sections)}
            if len(sections) > shown else _("Alla rapporter"))
    drafts = sum(1 for s in sections if s.status == SectionStatus.DRAFT)
    return Panel(
        key="aterremitterade-avsnitt", title=_("Återremitterade avsnitt"),
        template="reporting/_start_sections.html",
        context={"returned": [_section_item(s, today, returned=True) for s in returned],
                 "to_write": [_section_item(s, today) for s in to_write],
                 "drafts_left_out": drafts - len(to_write)},
        more=(more, reverse("reporting:periods")))


def _section_item(section: Rapportavsnitt, today: dt.date, *, returned: bool = False) -> Item:
    detail = (_("Nämndens kommentar: %(comment)s")
              % {"comment": Truncator(section.return_comment).chars(160)}
              if returned and section.return_comment else "")
    return Item(text=_("%(period)s: %(namnd)s") % {"period": section.period,
                                                   "namnd": section.namnd},
                url=_edit_url(section), detail=detail, due=section.period.deadline,
                overdue=report_work.section_is_late(section, today),
                status=("↩", _("Återremitterad")) if returned else None)


# --- the finance office: reports to compile --------------------------------------------------


@register(40, "reporting.to_compile")
def reports_to_compile(*, user, today: dt.date, assignments) -> Panel | None:
    """Open reports whose sections are all approved (to compile), and late ones."""
    if not role_codes(assignments) & {EKONOM, EKONOMICHEF}:
        return None
    items = []
    for progress in report_work.open_periods_progress(today):
        period = progress.period
        if progress.ready_to_compile:
            items.append(Item(
                text=_("Sammanställ %(period)s") % {"period": period},
                url=reverse("reporting:compile", args=[period.budget_year.year, period.code]),
                detail=_("Alla nämnders avsnitt är godkända"), due=period.deadline,
                overdue=progress.late,
                status=None if progress.late else ("✓", _("Klar att sammanställa"))))
        elif progress.late:
            items.append(Item(
                text=str(period), url=period.get_absolute_url(), due=period.deadline,
                overdue=True,
                detail=_("%(approved)s av %(sections)s avsnitt godkända av nämnderna")
                % {"approved": progress.approved, "sections": progress.sections}))
    return _list("rapporter-att-sammanstalla", _("Rapporter att sammanställa"), items,
                 _("Ingen rapport väntar på att sammanställas."),
                 _("Alla %(count)s rapporter att sammanställa"))
