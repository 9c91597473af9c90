"""Who answers for a dated step: the holders of its responsible roles whose reach covers it.

A step with a unit concerns those whose scope reaches that unit. A step without a unit concerns
every nämnd: a nämnd-scoped role answers for it only where it sits in a nämnd (KS included), so
KF's ordförande is not reminded of the nämnder's budgetunderlag.
"""

from __future__ import annotations

import datetime as dt

from .models import NAMND_LIKE_KINDS, CalendarEvent, RoleAssignment, Scope, User
from .permissions import assignment_reach


def is_responsible(assignment: RoleAssignment, event: CalendarEvent,
                   role_ids: set[int] | None = None) -> bool:
    """`role_ids`: the step's responsible roles when the caller has read them (at least those
    of the person's roles among them); otherwise they are read from the step."""
    if role_ids is None:
        role_ids = {role.pk for role in event.responsible_roles.all()}
    if assignment.role_id not in role_ids:
        return False
    reach = assignment_reach(assignment)
    if event.unit is not None:
        return reach is None or reach.covers(event.unit)
    if assignment.role.scope == Scope.NAMND:
        return reach is not None and reach.unit.kind in NAMND_LIKE_KINDS
    return True


def responsible_people(event: CalendarEvent, today: dt.date) -> list[User]:
    assignments = (
        RoleAssignment.objects.active_on(today)
        .filter(role__in=event.responsible_roles.all(), user__is_active=True)
        .select_related("user", "role", "unit")
    )
    people: dict[int, User] = {}
    for assignment in assignments:
        if is_responsible(assignment, event):
            people[assignment.user_id] = assignment.user
    return list(people.values())
