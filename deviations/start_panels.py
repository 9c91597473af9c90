"""The deviations app's panel on the start page (styrmodell.start_page): the open cases of the
person's bodies with what is due next, as the register orders them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils.translation import gettext as _

from styrmodell.models import Scope
from styrmodell.permissions import scope_root
from styrmodell.roles import (
    FORVALTNINGSCHEF,
    KOMMUNDIREKTOR,
    KS_LEDAMOT,
    KSAU_LEDAMOT,
    NAMNDLEDAMOT,
    NAMNDORDFORANDE,
    PRESIDIUM,
)
from styrmodell.start_page import LINES_SHOWN, Item, Panel, register

from .deadlines import Obligation
from .models import Avvikelse, CaseStatus
from .selectors import case_register, register_rows

SHOWN = LINES_SHOWN
# KS's uppsikt (§7): KS, KSAU and the kommundirektör follow every nämnd's cases.
EVERY_NAMND = frozenset({KS_LEDAMOT, KSAU_LEDAMOT, KOMMUNDIREKTOR})
# A nämnd's politicians and its förvaltningschef follow their own nämnd's.
OWN_NAMND = frozenset({NAMNDORDFORANDE, PRESIDIUM, NAMNDLEDAMOT, FORVALTNINGSCHEF})


def bodies_followed(assignments: Sequence) -> list | None:
    """The nämnder whose cases the person follows: None for every nämnd, [] for none."""
    namnder = {}
    for assignment in assignments:
        code = assignment.role.code
        if code in EVERY_NAMND:
            return None
        if code in OWN_NAMND and assignment.role.scope == Scope.NAMND:
            root = scope_root(assignment)
            if root is not None and root.is_namnd_like:
                namnder[root.pk] = root
    return sorted(namnder.values(), key=lambda unit: unit.path)


def _next_step(obligations: list[Obligation]) -> Obligation | None:
    """What the case owes next: the nearest dated obligation not done, else the first undated."""
    owed = [o for o in obligations if not o.done_on]
    dated = sorted((o for o in owed if o.due), key=lambda o: o.due)
    return dated[0] if dated else (owed[0] if owed else None)


@register(50, "deviations.cases")
def open_cases(*, user, today: dt.date, assignments) -> Panel | None:
    """The first SHOWN open cases in the register's order (overdue first, then the nearest
    deadline), each with its next step; two queries."""
    followed = bodies_followed(assignments)
    if followed == []:
        return None
    cases = Avvikelse.objects.filter(status=CaseStatus.OPEN)
    register_url = reverse("deviations:register") + "?status=" + CaseStatus.OPEN
    if followed is not None:
        cases = cases.filter(Q(namnd__in=[namnd.pk for namnd in followed]))
        if len(followed) == 1:
            register_url += f"&namnd={followed[0].pk}"
    # The project names an investment case (its str); the number of all open cases comes
    # with the first SHOWN, in the same query.
    shown = list(case_register(cases=cases, today=today).select_related("project")
                 .annotate(open_cases=Window(Count("pk")))[:SHOWN])
    count = shown[0].open_cases if shown else 0
    rows = register_rows(shown, today)
    items = []
    for row in rows:
        step = _next_step(row.obligations)
        detail = ""
        if step is not None:
            detail = _("Nästa steg: %(step)s") % {"step": _(step.label)}
            if step.due is None:
                detail += " " + _("(inget datum)")
        items.append(Item(text=str(row.case), url=row.case.get_absolute_url(),
                          due=row.next_deadline, overdue=row.overdue, detail=detail,
                          status=("⚠", _("Försenat")) if row.overdue else ("○", _("Öppet"))))
    more = None
    if count:
        more = ((_("Alla %(count)s öppna ärenden i registret") % {"count": count}
                 if count > SHOWN else _("Avvikelseregistret")), register_url)
    intro = (_("Öppna ärenden i alla nämnder (kommunstyrelsens uppsikt).") if followed is None
             else _("Öppna ärenden i %(bodies)s.")
             % {"bodies": ", ".join(str(namnd) for namnd in followed)})
    return Panel(key="avvikelsearenden", title=_("Avvikelseärenden"), intro=intro, items=items,
                 empty=_("Inga öppna avvikelseärenden."), more=more)
