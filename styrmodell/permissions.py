"""The permission layer: one table of role x object kind x action, scoped by role assignments.

Every view asks `require(...)` (or filters with `restrict(...)`) here and nowhere else. A role
assignment grants its role's actions within its reach (P5) while it is valid; the side of each
role and of each kind of object is data, and the table may only let a side write its own
objects (P1, P2) — a test walks that invariant.

Reach (P5): a nämnd role reaches its nämnd's whole area (KS is a nämnd for its own); held in KF
or KSAU it reaches that body alone, never the nämnder below it in the tree. A seat in KF, KS,
KSAU or the budgetberedning reaches the whole municipality for what that body decides, but a
nämnd's drafts only within its own body: others read them once the nämnd has adopted or
submitted them (the views decide by the object's state). tests/styrmodell/test_mandate_reach.py
proves the reach of every demo user as a set.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import OrganisationUnit, RoleAssignment, Scope, Side, UnitKind

security_log = logging.getLogger("styrmodell.security")


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    COMMENT = "comment"
    APPROVE = "approve"


WRITE_ACTIONS = frozenset({Action.ADD, Action.CHANGE, Action.DELETE})

ACTION_LABELS = {
    Action.VIEW: "läsa",
    Action.ADD: "skapa",
    Action.CHANGE: "ändra",
    Action.DELETE: "ta bort",
    Action.COMMENT: "kommentera",
    Action.APPROVE: "godkänna/återvisa",
}


@dataclass(frozen=True)
class ObjectKind:
    code: str
    label: str
    side: str  # whose object it is (P1); Side.NEITHER for administration
    # Read across the whole municipality by every role that may read it (not a draft, P5).
    readable_everywhere: bool = False
    # The nämnd's own until it adopts or submits it (P5): a seat in KF, KS, KSAU or the
    # budgetberedning reads it only within its own body until then.
    draft: bool = False


KINDS: dict[str, ObjectKind] = {
    kind.code: kind
    for kind in (
        ObjectKind("organisation", "Organisationsenhet", Side.NEITHER, readable_everywhere=True),
        ObjectKind("person", "Person", Side.NEITHER, readable_everywhere=True),
        ObjectKind("role_assignment", "Rolltilldelning", Side.NEITHER, readable_everywhere=True),
        ObjectKind("mandate_period", "Mandatperiod", Side.NEITHER, readable_everywhere=True),
        ObjectKind("budget_year", "Budgetår", Side.NEITHER, readable_everywhere=True),
        ObjectKind("calendar_event", "Kalenderhändelse", Side.NEITHER, readable_everywhere=True),
        ObjectKind("meeting", "Sammanträde", Side.NEITHER, readable_everywhere=True),
        # A thread is read within the reach of its host's owning unit, like a draft (P5).
        ObjectKind("dialogue", "Dialoginlägg", Side.NEITHER),
        ObjectKind("kf_goal", "Vision, övergripande och finansiella mål, uppdrag från KF",
                   Side.POLITICS, readable_everywhere=True),
        ObjectKind("namndmal", "Nämndmål", Side.POLITICS, draft=True),
        ObjectKind("verksamhetsplan", "Verksamhetsplan", Side.OFFICIALS, draft=True),
        ObjectKind("enhetsmal", "Enhetsmål och deras uppföljning", Side.OFFICIALS),
        ObjectKind("medarbetarplan", "Medarbetarplan", Side.OFFICIALS),
        ObjectKind("nyckeltal", "Nyckeltal och deras värden", Side.OFFICIALS,
                   readable_everywhere=True),
        ObjectKind("malbedomning", "Målbedömning", Side.OFFICIALS),
        ObjectKind("frame", "Driftbudgetram", Side.POLITICS, readable_everywhere=True),
        ObjectKind("budget_assumption", "Index, befolkningsprognos och ramberäkning",
                   Side.OFFICIALS, readable_everywhere=True),
        # Deviation cases (§7): KS's uppsikt reads every nämnd's cases.
        ObjectKind("deviation", "Avvikelseärende", Side.NEITHER, readable_everywhere=True),
        ObjectKind("deviation_measure",
                   "Åtgärder, yttranden och effektrapporter i avvikelseärenden",
                   Side.OFFICIALS, readable_everywhere=True),
        ObjectKind("deviation_decision", "Nämndens beslut i avvikelseärenden", Side.POLITICS,
                   readable_everywhere=True),
        ObjectKind("deviation_ksau", "Information till KSAU om avvikelser", Side.POLITICS,
                   readable_everywhere=True),
        ObjectKind("deviation_report", "Anmälan av avvikelser till KS och KF", Side.POLITICS,
                   readable_everywhere=True),
        # Investments (B8, B9): KF's decisions, the finance office's proposals, the follow-up.
        ObjectKind("investment", "Investeringsbudget: KF:s beslut om anslag och ombudgetering",
                   Side.POLITICS, readable_everywhere=True),
        ObjectKind("investment_proposal", "Investeringsprojekt och förslag till anslag",
                   Side.OFFICIALS, readable_everywhere=True),
        ObjectKind("investment_followup", "Investeringsutfall och prognos slutkostnad",
                   Side.OFFICIALS, readable_everywhere=True),
        # Forecasts are the förvaltning's and the finance office's (budget/forecasts.py).
        ObjectKind("forecast", "Prognos", Side.OFFICIALS, readable_everywhere=True),
        # Outcomes imported from the ledger and the mapping of ledger objects (budget/outcomes).
        ObjectKind("outcome", "Utfall, utfallsimport och objektkoppling", Side.OFFICIALS,
                   readable_everywhere=True),
    )
}

POLITICAL_ROLES = frozenset(
    {
        "kf_ledamot",
        "ks_ledamot",
        "ksau_ledamot",
        "budgetberedning",
        "namndordforande",
        "presidium",
        "namndledamot",
    }
)
OFFICIAL_ROLES = frozenset(
    {
        "kommundirektor",
        "ekonomichef",
        "ekonom",
        "forvaltningschef",
        "kommunsekreterare",
        "namndsekreterare",
        "enhetschef",
        "medarbetare",
    }
)
EVERYONE = POLITICAL_ROLES | OFFICIAL_ROLES | {"revisor", "administrator"}
ADMINISTRATION = frozenset({"administrator"})
FINANCE_OFFICE = frozenset({"ekonomichef", "ekonom"})
# Officials who record a political body's decision (P1): they write what the body decided.
RECORDERS = frozenset({"kommunsekreterare", "namndsekreterare"})
NAMND_POLITICIANS = frozenset({"namndordforande", "presidium", "namndledamot"})
# Medarbetarplaner are read only along the line of management (G10); the employee reads
# their own through goals/selectors.py, not through this table.
LINE_MANAGERS = frozenset({"enhetschef", "forvaltningschef", "kommundirektor"})

# kind -> action -> roles that may do it (within the scope of their assignment).
PERMISSION_TABLE: dict[str, dict[Action, frozenset[str]]] = {
    "organisation": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
        Action.DELETE: ADMINISTRATION,
    },
    "person": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
    },
    "role_assignment": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
    },
    "mandate_period": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
    },
    "budget_year": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION | FINANCE_OFFICE,
        Action.CHANGE: ADMINISTRATION | FINANCE_OFFICE,
    },
    # The dated steps of the cycle (B1) and report deadlines (F1): the finance office keeps them.
    "calendar_event": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION | FINANCE_OFFICE,
        Action.CHANGE: ADMINISTRATION | FINANCE_OFFICE,
        Action.DELETE: ADMINISTRATION | FINANCE_OFFICE,
    },
    # A body's meetings: also its own secretary, within the nämnd (P5).
    "meeting": {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION | FINANCE_OFFICE | {"namndsekreterare"},
        Action.CHANGE: ADMINISTRATION | FINANCE_OFFICE | {"namndsekreterare"},
        Action.DELETE: ADMINISTRATION | FINANCE_OFFICE | {"namndsekreterare"},
    },
    # The golden zone (P3): both sides write; revisorer read everything and write nothing (P4).
    "dialogue": {
        Action.VIEW: EVERYONE,
        Action.COMMENT: POLITICAL_ROLES | OFFICIAL_ROLES,
    },
    # KF's goals (G1-G3, G11): proposed by KS and the budgetberedning, adopted by KF and recorded
    # by the kommunsekreterare; locked once adopted.
    "kf_goal": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"ks_ledamot", "budgetberedning", "kommunsekreterare"}),
        Action.CHANGE: frozenset({"ks_ledamot", "budgetberedning", "kommunsekreterare"}),
        Action.APPROVE: frozenset({"kommunsekreterare"}),
    },
    # Nämndmål (G4-G6, G8): the nämnd's politicians draft, the nämnd adopts; KF may set them too.
    "namndmal": {
        Action.VIEW: EVERYONE,
        Action.ADD: NAMND_POLITICIANS | RECORDERS,
        Action.CHANGE: NAMND_POLITICIANS | RECORDERS,
        Action.APPROVE: frozenset({"namndordforande"}) | RECORDERS,
    },
    # The verksamhetsplan's how (G7) is the förvaltning's; the nämnd adopts it.
    "verksamhetsplan": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"forvaltningschef", "kommundirektor"}),
        Action.CHANGE: frozenset({"forvaltningschef", "kommundirektor"}),
        Action.APPROVE: frozenset({"namndordforande", "namndsekreterare"}),
    },
    # Enhetsmål are set and followed up within the förvaltning (G9, A7).
    "enhetsmal": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"enhetschef", "forvaltningschef"}),
        Action.CHANGE: frozenset({"enhetschef", "forvaltningschef"}),
    },
    "medarbetarplan": {
        Action.VIEW: LINE_MANAGERS,
        Action.ADD: frozenset({"enhetschef", "forvaltningschef"}),
        Action.CHANGE: frozenset({"enhetschef", "forvaltningschef"}),
    },
    "nyckeltal": {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE | {"forvaltningschef", "kommundirektor"},
        Action.CHANGE: FINANCE_OFFICE | {"forvaltningschef", "kommundirektor"},
    },
    # Frames are KF's (B2); the finance office computes the preliminary ones from its
    # assumptions (B4-B6).
    # The budgetberedning turns a preliminary frame into its proposal; the kommunsekreterare
    # records KF's decision (B1).
    "frame": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"budgetberedning"}),
        Action.APPROVE: frozenset({"kommunsekreterare"}),
    },
    "budget_assumption": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE,
    },
    # Deviation cases (§7) open by themselves (D1, D7, D8); the finance office or the
    # kommundirektör closes one with a note when the forecast is back within the limit or at
    # year-end.
    "deviation": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {"kommundirektor"},
    },
    # Measures (D2), the minuted opinion (D4) and effect reports (D6) are the förvaltning's.
    "deviation_measure": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"forvaltningschef", "kommundirektor"}),
    },
    # The nämnd's decision on measures (D3) and that the nämnd was told of an investment
    # overrun (D7): recorded by the nämnd's secretary or ordförande.
    "deviation_decision": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"namndordforande", "namndsekreterare"}),
    },
    # The ordförande informs KSAU (D5, D7).
    "deviation_ksau": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"namndordforande"}),
    },
    # Anmälan to KS (D3, D4) and the report back to KF (D8): recorded by the kommunsekreterare.
    "deviation_report": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"kommunsekreterare"}),
    },
    # Outcomes (budget/outcomes.py): everyone reads them; the finance office imports them from
    # the ledger (ADD) and maps ledger objects to nämnder (CHANGE).
    "outcome": {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE,
        Action.CHANGE: FINANCE_OFFICE,
    },
    # Assessments are officials' texts (A3-A6, P2): politicians read, comment and decide.
    "malbedomning": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"forvaltningschef", "kommundirektor"}),
        Action.CHANGE: frozenset({"forvaltningschef", "kommundirektor"}),
    },
    # Investments (B8, B9), the investments part of the budget. KF decides the appropriations
    # and any ombudgetering (B9); the kommunsekreterare records those decisions.
    "investment": {
        Action.VIEW: EVERYONE,
        Action.APPROVE: frozenset({"kommunsekreterare"}),
        Action.CHANGE: frozenset({"kommunsekreterare"}),
    },
    # The finance office prepares projects and proposed appropriations for KF (like the
    # preliminary frames); a decided appropriation is locked and moves only by KF's decision.
    "investment_proposal": {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE,
        Action.CHANGE: FINANCE_OFFICE,
    },
    # Outcome and final-cost forecast: the finance office and the nämnd's förvaltningschef.
    "investment_followup": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {"forvaltningschef"},
    },
    # Forecasts (budget/forecasts.py) are officials' objects (P1, P2): the finance office for
    # every nämnd, the förvaltningschef for their own; politicians read and comment in the
    # dialogue thread of the forecast.
    "forecast": {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE | {"forvaltningschef"},
        Action.CHANGE: FINANCE_OFFICE | {"forvaltningschef"},
    },
}


# --- Budget: ofördelad budget (B7), lönerörelse (B10), skattesats (B11), bokslut (F4). ---
KINDS.update({
    kind.code: kind
    for kind in (
        # KS's pot, its amount set in KF's budget (political; recorded by the kommunsekreterare).
        ObjectKind("pot", "Ofördelad budget", Side.POLITICS, readable_everywhere=True),
        # The application is prepared and filed by the nämnd's förvaltning (officials).
        ObjectKind("pot_application", "Ansökan ur ofördelad budget", Side.OFFICIALS,
                   readable_everywhere=True),
        # The ekonomiavdelning's yttrande on an application (officials, P2).
        ObjectKind("pot_statement", "Yttrande över ansökan ur ofördelad budget", Side.OFFICIALS,
                   readable_everywhere=True),
        # KS's decision on an application (political; recorded by the kommunsekreterare).
        ObjectKind("pot_decision", "KS beslut om ansökan ur ofördelad budget", Side.POLITICS,
                   readable_everywhere=True),
        # The salary reserve and KSAU's distribution of it (political; recorded).
        ObjectKind("salary_reserve", "Lönerörelse", Side.POLITICS, readable_everywhere=True),
        # KF's tax rate; proposed in the budget by the budgetberedning (political; recorded).
        ObjectKind("tax_rate", "Skattesats", Side.POLITICS, readable_everywhere=True),
        # The finance office's proposal for a nämnd's year-end result (officials).
        ObjectKind("year_end_proposal", "Förslag om disposition av resultat", Side.OFFICIALS,
                   readable_everywhere=True),
        # KF's decision on a nämnd's year-end result (political; recorded).
        ObjectKind("year_end", "KF:s beslut om disposition av resultat", Side.POLITICS,
                   readable_everywhere=True),
        # How an earmarked allocation was used, written by the förvaltning in the bokslut
        # (B3; officials): politicians read it, in the bokslut and the årsredovisning.
        ObjectKind("earmark_accounting", "Redovisning av specificerade budgettillskott",
                   Side.OFFICIALS, readable_everywhere=True),
    )
})
PERMISSION_TABLE.update({
    "pot": {Action.VIEW: EVERYONE, Action.CHANGE: frozenset({"kommunsekreterare"})},
    "pot_application": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"forvaltningschef"}),
        Action.CHANGE: frozenset({"forvaltningschef"}),
    },
    "pot_statement": {Action.VIEW: EVERYONE, Action.ADD: FINANCE_OFFICE},
    "pot_decision": {Action.VIEW: EVERYONE, Action.APPROVE: frozenset({"kommunsekreterare"})},
    "salary_reserve": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: frozenset({"kommunsekreterare"}),
        Action.APPROVE: frozenset({"kommunsekreterare"}),
    },
    "tax_rate": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"budgetberedning", "kommunsekreterare"}),
        Action.APPROVE: frozenset({"kommunsekreterare"}),
    },
    "year_end_proposal": {Action.VIEW: EVERYONE, Action.ADD: FINANCE_OFFICE},
    "year_end": {Action.VIEW: EVERYONE, Action.APPROVE: frozenset({"kommunsekreterare"})},
    # B3: the nämnd's förvaltningschef for their own nämnd, the finance office for every one.
    "earmark_accounting": {Action.VIEW: EVERYONE,
                           Action.CHANGE: FINANCE_OFFICE | {"forvaltningschef"}},
})


# --- Reporting, F3 (reporting/meeting_status.py): the economic status presented at a nämnd's
# meeting is the förvaltning's; the förvaltningschef who presents it or the nämndsekreterare
# who keeps the minutes records that it was presented. Everyone reads; revisorer write nothing.
KINDS.update({
    "meeting_presentation": ObjectKind(
        "meeting_presentation", "Ekonomisk lägesrapport föredragen vid nämndens sammanträde",
        Side.OFFICIALS, readable_everywhere=True),
})
PERMISSION_TABLE.update({
    "meeting_presentation": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"forvaltningschef", "namndsekreterare"}),
    },
})


def roles_allowed(kind: str, action: Action) -> frozenset[str]:
    return PERMISSION_TABLE.get(kind, {}).get(Action(action), frozenset())


def active_assignments(user, day: dt.date | None = None) -> list[RoleAssignment]:
    """The user's valid assignments today, fetched once per request (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return []
    day = day or timezone.localdate()
    cache = getattr(user, "_styrmodell_assignments", None)
    if cache is None or cache[0] != day:
        assignments = list(
            RoleAssignment.objects.active_on(day).filter(user=user).select_related("role", "unit")
        )
        cache = (day, assignments)
        user._styrmodell_assignments = cache
    return cache[1]


def forget_assignments(user) -> None:
    if hasattr(user, "_styrmodell_assignments"):
        del user._styrmodell_assignments


# Political bodies that are not nämnder: a role held in one reaches the body alone (P5).
BODIES_WITHOUT_AREA = frozenset({UnitKind.KF, UnitKind.KSAU})


@dataclass(frozen=True)
class Reach:
    """The units an assignment reaches: a unit with everything below it, or the unit alone."""

    unit: OrganisationUnit
    subtree: bool = True

    def covers(self, unit: OrganisationUnit) -> bool:
        if self.subtree:
            return unit.path.startswith(self.unit.path)
        return unit.pk == self.unit.pk

    def condition(self, unit_field: str = "unit") -> Q:
        """The same test in SQL; `unit_field` "" when the rows are organisation units."""
        if self.subtree:
            lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
            return Q(**{lookup: self.unit.path})
        return Q(**{unit_field or "pk": self.unit.pk})


def body_reach(unit: OrganisationUnit) -> Reach:
    """The material of the body a role is held in (P5).

    Held in a nämnd, in KS or in a förvaltning or enhet under them: that nämnd's whole area
    (KS is a nämnd for its own material). Held in KF or KSAU, or anywhere outside a nämnd: the
    unit alone, so KF's ordförande never reaches the nämnder KF has below it in the tree.
    """
    if unit.kind not in BODIES_WITHOUT_AREA:
        namnd = unit.nearest_namnd()
        if namnd is not None:
            return Reach(namnd)
    return Reach(unit, subtree=False)


def assignment_reach(assignment: RoleAssignment, kind: str | None = None,
                     action: Action | None = None) -> Reach | None:
    """Where an assignment reaches for this kind and action; None means the whole municipality.

    Kept on the assignment, so asking per row of a list costs no query after the first.
    """
    role = assignment.role
    own_body = (role.scope == Scope.NAMND
                or (role.scope == Scope.KOMMUN and role.side == Side.POLITICS
                    and action == Action.VIEW and kind is not None and KINDS[kind].draft))
    key = "body" if own_body else role.scope
    cache = assignment.__dict__.setdefault("_styrmodell_reach", {})
    if key not in cache:
        if key == "body":
            cache[key] = body_reach(assignment.unit)
        elif key == Scope.KOMMUN:
            cache[key] = None
        else:
            cache[key] = Reach(assignment.unit)
    return cache[key]


def scope_root(assignment: RoleAssignment) -> OrganisationUnit | None:
    """The unit an assignment's reach starts from; None means the whole municipality.

    Ask `assignment_reach(...).covers(unit)` to know whether a unit is reached: held in KF or
    KSAU the reach is the body alone, not what lies below it.
    """
    reach = assignment_reach(assignment)
    return None if reach is None else reach.unit


def allowed_reach(user, kind: str, action: Action) -> list[Reach] | None:
    """Where the user may act: None = everywhere, [] = nowhere, else the reaches that cover it."""
    roles = roles_allowed(kind, action)
    reaches: list[Reach] = []
    everywhere = action == Action.VIEW and KINDS[kind].readable_everywhere
    for assignment in active_assignments(user):
        if assignment.role.code not in roles:
            continue
        if everywhere:
            return None
        reach = assignment_reach(assignment, kind, action)
        if reach is None:
            return None
        reaches.append(reach)
    return reaches


def may_somewhere(user, kind: str, action: Action) -> bool:
    """The user may do this in at least some unit (list and create pages)."""
    return allowed_reach(user, kind, action) != []


def can(user, action: Action, kind: str, unit: OrganisationUnit | None = None) -> bool:
    """May this user do this action to an object of this kind owned by this unit?

    An object without an owning unit belongs to the municipality as a whole: only assignments
    that reach the whole municipality cover it.
    """
    reaches = allowed_reach(user, kind, action)
    if reaches is None:
        return True
    if unit is None:
        return False
    return any(reach.covers(unit) for reach in reaches)


def require(user, action: Action, kind: str, unit: OrganisationUnit | None = None) -> None:
    """Raise PermissionDenied (and log it) unless the user may do this."""
    if can(user, action, kind, unit):
        return
    security_log.warning(
        "permission denied: user=%s action=%s kind=%s unit=%s",
        getattr(user, "pk", None),
        action,
        kind,
        getattr(unit, "pk", None),
    )
    raise PermissionDenied(f"Du saknar behörighet att {ACTION_LABELS[Action(action)]} detta.")


def require_somewhere(user, action: Action, kind: str) -> None:
    """For list and create pages: the user may do this in at least some unit."""
    if may_somewhere(user, kind, action):
        return
    require(user, action, kind, None)


def reach_condition(user, kind: str, action: Action = Action.VIEW,
                    unit_field: str = "unit") -> Q | None:
    """The rows the user may act on as a Q; None when every row (no filter needed)."""
    reaches = allowed_reach(user, kind, action)
    if reaches is None:
        return None
    condition = Q(pk__in=[])
    for reach in reaches:
        condition |= reach.condition(unit_field)
    return condition


def restrict(
    queryset: QuerySet,
    user,
    kind: str,
    action: Action = Action.VIEW,
    unit_field: str = "unit",
    published: Q | None = None,
) -> QuerySet:
    """Filter a list query to the rows the user may act on, in SQL (no check per row).

    `unit_field` names the row's owning unit; "" when the rows are organisation units.
    `published` (for a draft kind, P5) is the rows its nämnd has adopted or submitted, which
    everyone who reads the list may see.
    """
    reaches = allowed_reach(user, kind, action)
    if reaches is None:
        return queryset
    if not reaches:
        return queryset.none()  # no role that may do this at all: not even what is published
    condition = Q(pk__in=[])
    for reach in reaches:
        condition |= reach.condition(unit_field)
    if published is not None:
        condition |= published
    return queryset.filter(condition)


def require_unless_published(user, kind: str, unit: OrganisationUnit, *,
                             published: bool) -> None:
    """A draft (P5) is read within its nämnd's reach; once published, by everyone who reads
    this kind of object at all."""
    if published:
        require_somewhere(user, Action.VIEW, kind)
    else:
        require(user, Action.VIEW, kind, unit)


def user_roles(user) -> set[str]:
    return {assignment.role.code for assignment in active_assignments(user)}


def user_side(user) -> str:
    """The side a user speaks from (P1); politics wins when a person holds both."""
    sides = {assignment.role.side for assignment in active_assignments(user)}
    for side in (Side.POLITICS, Side.OFFICIALS):
        if side in sides:
            return side
    return Side.NEITHER


# --- The budget cycle (B1, B2, B5) -------------------------------------------------------------
KINDS.update({
    kind.code: kind
    for kind in (
        ObjectKind("frame_priority", "Politisk prioritering och specificerat budgettillskott",
                   Side.POLITICS, readable_everywhere=True),
        ObjectKind("budgetunderlag", "Budgetunderlag", Side.OFFICIALS, draft=True),
        ObjectKind("fordelning", "Fördelning av ramen på verksamheter", Side.POLITICS,
                   readable_everywhere=True),
    )
})
PERMISSION_TABLE.update({
    # Political priorities and earmarked allocations (B3) are the politicians' (P1): the
    # budgetberedning enters them itself on the assumption page, the finance office does not
    # write them for it. Indices, cost shares, population, kronor per inhabitant and change
    # requirements (B4-B6) are the finance office's calculation ("budget_assumption" above).
    "frame_priority": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"budgetberedning"}),
        Action.CHANGE: frozenset({"budgetberedning"}),
        Action.DELETE: frozenset({"budgetberedning"}),
    },
    # The budgetunderlag (B1) is the förvaltning's text (P2): the förvaltningschef (or the
    # kommundirektör for KS) writes it; the nämnd adopts it, recorded by its ordförande or
    # nämndsekreterare, and it is locked from then on. Read within the nämnd and by those who
    # reach the whole municipality (budgetberedning, finance office, KS, revisorer).
    "budgetunderlag": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"forvaltningschef", "kommundirektor"}),
        Action.CHANGE: frozenset({"forvaltningschef", "kommundirektor"}),
        Action.APPROVE: frozenset({"namndordforande", "namndsekreterare"}),
    },
    # The distribution of the decided frame over the verksamheter (B2) is the nämnd's decision:
    # recorded by its ordförande or nämndsekreterare.
    "fordelning": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: frozenset({"namndordforande", "namndsekreterare"}),
    },
})


# --- Reporting (F1, F2): the follow-up reports and their workflow (reporting/reports.py). ---
KINDS.update({
    kind.code: kind
    for kind in (
        # A nämnd's section of a report: the förvaltning's texts (officials, P2), the nämnd's
        # own until it approves the section (P5).
        ObjectKind("report_section", "Rapportavsnitt (förvaltningens text)", Side.OFFICIALS,
                   draft=True),
        # The nämnd approves or returns its section (political; recorded by its secretary).
        ObjectKind("report_approval", "Nämndens godkännande av rapportavsnitt", Side.POLITICS,
                   readable_everywhere=True),
        # The ekonomiavdelning compiles the municipality's report (officials).
        ObjectKind("report_compilation", "Sammanställning av kommunens rapport", Side.OFFICIALS,
                   readable_everywhere=True),
        # KSAU's extra follow-ups (F2), KS's handling and KF's approval: recorded.
        ObjectKind("report_decision", "KSAU:s, KS:s och KF:s beslut om rapporter",
                   Side.POLITICS, readable_everywhere=True),
    )
})
PERMISSION_TABLE.update({
    "report_section": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: frozenset({"forvaltningschef", "kommundirektor"}),
    },
    "report_approval": {
        Action.VIEW: EVERYONE,
        Action.APPROVE: frozenset({"namndordforande", "namndsekreterare"}),
    },
    "report_compilation": {Action.VIEW: EVERYONE, Action.CHANGE: FINANCE_OFFICE},
    "report_decision": {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({"kommunsekreterare"}),
        Action.APPROVE: frozenset({"kommunsekreterare"}),
    },
})


# --- The municipality's own part of the compiled report (reporting/municipality.py). The
# financial goals' outcome and assessment in each report (G3, A3, A4) are officials' texts: the
# finance office's for every goal, and for a nämnd's own financial goal also that nämnd's
# förvaltningschef's (the goal's unit scopes it, P5). The companies' and foundations' year-end
# figures behind the consolidated accounts (F1) are entered by the finance office alone.
KINDS.update({
    kind.code: kind
    for kind in (
        ObjectKind("financial_outcome", "Utfall och bedömning av finansiella mål",
                   Side.OFFICIALS, readable_everywhere=True),
        ObjectKind("company_accounts", "Bokslutsuppgifter för bolag och stiftelser",
                   Side.OFFICIALS, readable_everywhere=True),
    )
})
PERMISSION_TABLE.update({
    "financial_outcome": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {"forvaltningschef"},
    },
    "company_accounts": {Action.VIEW: EVERYONE, Action.CHANGE: FINANCE_OFFICE},
})


# --- Verksamhetens volymer (F1, budget/volumes.py): the förvaltning's and the finance office's
# figures, like forecasts (P1, P2). The förvaltningschef keeps their own nämnd's measures,
# budgeted volumes, outcomes and forecasts, the finance office every nämnd's; everyone reads.
KINDS.update({
    "volume": ObjectKind("volume", "Volymmått, budgeterad volym, utfall och prognos",
                         Side.OFFICIALS, readable_everywhere=True),
})
PERMISSION_TABLE.update({
    "volume": {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE | {"forvaltningschef"},
        Action.CHANGE: FINANCE_OFFICE | {"forvaltningschef"},
        Action.DELETE: FINANCE_OFFICE | {"forvaltningschef"},
    },
})


# --- Uppdrag from KF (G11, goals/services.py): the nämnd's report-back on each uppdrag is the
# förvaltning's text (P1, P2), written by the nämnd's förvaltningschef (the kommundirektör for
# KS); politicians read it, comment in the uppdrag's thread and see it in the årsredovisning.
KINDS.update({
    "uppdrag_report": ObjectKind("uppdrag_report", "Återrapport av uppdrag från KF",
                                 Side.OFFICIALS, readable_everywhere=True),
})
PERMISSION_TABLE.update({
    "uppdrag_report": {
        Action.VIEW: EVERYONE,
        Action.CHANGE: frozenset({"forvaltningschef", "kommundirektor"}),
    },
})
