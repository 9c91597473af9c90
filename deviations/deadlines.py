"""The obligations of a case with their deadlines, and the hourly chase of them.

A deficit case owes measures promptly (D2, a setting in days; from the förvaltningschef, or
for KS, which has none, from the kommundirektör), the nämnd's decision by its next
meeting after the forecast was presented (D3, from the meeting calendar), its report to KS, and
KSAU informed promptly (D5). An investment case owes the nämnd and KSAU the news (D7) and, over
the D8 limits, a report back to KF. Before a deadline those who must act are reminded; after it
the kommundirektör is told. Each message is sent once (`notify_once`), so the task may run
twice or late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_noop

from styrmodell.formatting import date_text
from styrmodell.models import UnitKind
from styrmodell.roles import (
    FORVALTNINGSCHEF,
    KOMMUNDIREKTOR,
    KOMMUNSEKRETERARE,
    NAMNDORDFORANDE,
    NAMNDSEKRETERARE,
)

from .detection import measures_role, meetings_for_decision, tell
from .models import Avvikelse, CaseKind, CaseStatus


@dataclass(frozen=True)
class Obligation:
    """`label` is kept in Swedish for the reminders and the calendar feed; it is a msgid, so the
    case page shows it in the reader's language."""

    code: str
    rule: str
    label: str
    due: dt.date | None
    done_on: dt.date | None
    roles: frozenset[str]
    today: dt.date

    @property
    def state(self) -> str:
        if self.done_on:
            return "klar"
        if self.due is None:
            return "utan_datum"
        return "forsenad" if self.today > self.due else "pagaende"

    @property
    def is_done(self) -> bool:
        return self.state == "klar"

    @property
    def is_overdue(self) -> bool:
        return self.state == "forsenad"


# D2: KS has no förvaltningschef; its kommundirektör presents the measures.
MEASURES_LABEL = {
    FORVALTNINGSCHEF: gettext_noop("Förvaltningschefen redovisar åtgärder"),
    KOMMUNDIREKTOR: gettext_noop("Kommundirektören redovisar åtgärder"),
}
CHAIR = frozenset({NAMNDORDFORANDE})
NAMND_RECORDERS = frozenset({NAMNDORDFORANDE, NAMNDSEKRETERARE})
# Every role an obligation below may name: no one else owes a case anything.
OBLIGATION_ROLES = frozenset({*MEASURES_LABEL, *NAMND_RECORDERS, *CHAIR, KOMMUNSEKRETERARE})


def cases_a_municipality_wide_role_may_owe(role_code: str) -> Q:
    """The cases in which a role held for the whole municipality can owe an obligation with a
    date (those `obligations` gives a due date): the kommundirektör only KS's measures (D2);
    the kommunsekreterare's reports to KS and KF have no date; a chair or recorder any."""
    if role_code in MEASURES_LABEL and role_code != FORVALTNINGSCHEF:
        return Q(kind=CaseKind.DEFICIT, namnd__kind=UnitKind.KS)
    if role_code in NAMND_RECORDERS | CHAIR | {FORVALTNINGSCHEF}:
        return Q()
    return Q(pk__in=[])


def cases_a_namnd_role_may_owe(role_code: str) -> Q:
    """The cases of its own nämnd in which a role held for a nämnd can owe an obligation with
    a date: a förvaltningschef only the deficit's measures (D2); a chair or recorder any; the
    kommunsekreterare none (its reports to KS and KF have no date)."""
    if role_code in MEASURES_LABEL:
        return Q(kind=CaseKind.DEFICIT)
    if role_code in NAMND_RECORDERS | CHAIR:
        return Q()
    return Q(pk__in=[])


def obligations(case: Avvikelse, today: dt.date) -> list[Obligation]:
    """What the case still owes, in order. Uses prefetched measures when there are some."""
    if case.kind == CaseKind.DEFICIT:
        measures = list(case.measures.all())
        first_measure = min((m.created_at.date() for m in measures), default=None)
        return [
            Obligation("atgarder", "D2", MEASURES_LABEL[measures_role(case.namnd)],
                       case.measures_due, first_measure,
                       frozenset({measures_role(case.namnd)}), today),
            Obligation("beslut", "D3", gettext_noop("Nämnden beslutar om åtgärder"),
                       case.decision_due, case.decided_on, NAMND_RECORDERS, today),
            Obligation("anmalan", "D3", gettext_noop("Beslutet anmäls till KS"), None,
                       case.reported_to_ks_on, frozenset({KOMMUNSEKRETERARE}), today),
            Obligation("ksau", "D5", gettext_noop("Ordföranden informerar KSAU"), case.ksau_due,
                       case.ksau_informed_on, CHAIR, today),
        ]
    owed = [
        Obligation("namnd", "D7", gettext_noop("Nämnden informeras"), case.ksau_due,
                   case.namnd_informed_on, NAMND_RECORDERS, today),
        Obligation("ksau", "D7", gettext_noop("KSAU informeras"), case.ksau_due,
                   case.ksau_informed_on, CHAIR, today),
    ]
    if case.report_to_kf:
        owed.append(Obligation("kf", "D8", gettext_noop("Återrapporteras till KF"), None,
                               case.reported_to_kf_on, frozenset({KOMMUNSEKRETERARE}),
                               today))
    return owed


def next_deadline(case: Avvikelse, today: dt.date) -> dt.date | None:
    return min((o.due for o in obligations(case, today) if o.due and not o.done_on),
               default=None)


def is_overdue(case: Avvikelse, today: dt.date) -> bool:
    return case.status == CaseStatus.OPEN and any(o.is_overdue
                                                 for o in obligations(case, today))


def chase_deadlines(today: dt.date) -> int:
    """Remind before each open deadline, escalate after it; once each (DESIGN: hourly task)."""
    sent = 0
    horizon = dt.timedelta(days=settings.REMINDER_DAYS)
    cases = (Avvikelse.objects.filter(status=CaseStatus.OPEN)
             .select_related("namnd", "budget_year", "decision_meeting")
             .prefetch_related("measures"))
    for case in cases:
        _find_decision_meeting(case, today)
        for obligation in obligations(case, today):
            if obligation.done_on or obligation.due is None:
                continue
            if today > obligation.due:
                sent += tell(case=case, roles={KOMMUNDIREKTOR, *obligation.roles},
                             key=f"{obligation.code}:eskalering",
                             subject=f"Försenat: {obligation.label.lower()} ({case})",
                             body=f"Senast {date_text(obligation.due)} ({obligation.rule}).",
                             today=today)
            elif today >= obligation.due - horizon:
                sent += tell(case=case, roles=set(obligation.roles),
                             key=f"{obligation.code}:paminnelse",
                             subject=f"Påminnelse: {obligation.label.lower()} senast "
                                     f"{date_text(obligation.due)}",
                             body=f"{case} ({obligation.rule}).", today=today)
    return sent


def _find_decision_meeting(case: Avvikelse, today: dt.date) -> None:
    """Meetings added to the calendar after the case opened set its D3 deadline."""
    if case.kind != CaseKind.DEFICIT or case.decision_meeting_id or case.decided_on:
        return
    found = meetings_for_decision(namnd=case.namnd, opened_on=case.opened_on)
    if found["decision_meeting"] is not None:
        case.presented_meeting = found["presented_meeting"]
        case.decision_meeting = found["decision_meeting"]
        case.save(update_fields=["presented_meeting", "decision_meeting"])
