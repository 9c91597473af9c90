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
from .roles import (
    ADMINISTRATOR,
    BUDGETBEREDNING,
    EKONOM,
    EKONOMICHEF,
    ENHETSCHEF,
    FORVALTNINGSCHEF,
    KF_LEDAMOT,
    KOMMUNDIREKTOR,
    KOMMUNSEKRETERARE,
    KS_LEDAMOT,
    KSAU_LEDAMOT,
    MEDARBETARE,
    NAMNDLEDAMOT,
    NAMNDORDFORANDE,
    NAMNDSEKRETERARE,
    PRESIDIUM,
    REVISOR,
)

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


POLITICAL_ROLES = frozenset(
    {
        KF_LEDAMOT,
        KS_LEDAMOT,
        KSAU_LEDAMOT,
        BUDGETBEREDNING,
        NAMNDORDFORANDE,
        PRESIDIUM,
        NAMNDLEDAMOT,
    }
)
OFFICIAL_ROLES = frozenset(
    {
        KOMMUNDIREKTOR,
        EKONOMICHEF,
        EKONOM,
        FORVALTNINGSCHEF,
        KOMMUNSEKRETERARE,
        NAMNDSEKRETERARE,
        ENHETSCHEF,
        MEDARBETARE,
    }
)
EVERYONE = POLITICAL_ROLES | OFFICIAL_ROLES | {REVISOR, ADMINISTRATOR}
ADMINISTRATION = frozenset({ADMINISTRATOR})
FINANCE_OFFICE = frozenset({EKONOMICHEF, EKONOM})
# Officials who record a political body's decision (P1): they write what the body decided.
RECORDERS = frozenset({KOMMUNSEKRETERARE, NAMNDSEKRETERARE})
NAMND_POLITICIANS = frozenset({NAMNDORDFORANDE, PRESIDIUM, NAMNDLEDAMOT})
# Medarbetarplaner are read only along the line of management (G10); the employee reads
# their own through goals/selectors.py, not through this table.
LINE_MANAGERS = frozenset({ENHETSCHEF, FORVALTNINGSCHEF, KOMMUNDIREKTOR})
# Those who answer for a förvaltning's texts: the förvaltningschef, the kommundirektör for KS.
FORVALTNING_HEADS = frozenset({FORVALTNINGSCHEF, KOMMUNDIREKTOR})
# Those who record a nämnd's own decision: its ordförande or its nämndsekreterare.
NAMND_DECIDERS = frozenset({NAMNDORDFORANDE, NAMNDSEKRETERARE})


# The table: each kind of object with the roles that may do each action to it, within the
# reach of their assignment (P5). Grouped by the app whose objects they are.
TABLE: tuple[tuple[ObjectKind, dict[Action, frozenset[str]]], ...] = (
    # --- The organisation, people, years and the calendar (styrmodell) ------------------------
    (ObjectKind("organisation", "Organisationsenhet", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
        Action.DELETE: ADMINISTRATION,
    }),
    (ObjectKind("person", "Person", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
    }),
    (ObjectKind("role_assignment", "Rolltilldelning", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
    }),
    (ObjectKind("mandate_period", "Mandatperiod", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION,
        Action.CHANGE: ADMINISTRATION,
    }),
    (ObjectKind("budget_year", "Budgetår", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION | FINANCE_OFFICE,
        Action.CHANGE: ADMINISTRATION | FINANCE_OFFICE,
    }),
    # The dated steps of the cycle (B1) and report deadlines (F1): the finance office keeps them.
    (ObjectKind("calendar_event", "Kalenderhändelse", Side.NEITHER,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION | FINANCE_OFFICE,
        Action.CHANGE: ADMINISTRATION | FINANCE_OFFICE,
        Action.DELETE: ADMINISTRATION | FINANCE_OFFICE,
    }),
    # A body's meetings: also its own secretary, within the nämnd (P5).
    (ObjectKind("meeting", "Sammanträde", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: ADMINISTRATION | FINANCE_OFFICE | {NAMNDSEKRETERARE},
        Action.CHANGE: ADMINISTRATION | FINANCE_OFFICE | {NAMNDSEKRETERARE},
        Action.DELETE: ADMINISTRATION | FINANCE_OFFICE | {NAMNDSEKRETERARE},
    }),
    # The golden zone (P3): both sides write; revisorer read everything and write nothing (P4).
    # A thread is read within the reach of its host's owning unit, like a draft (P5).
    (ObjectKind("dialogue", "Dialoginlägg", Side.NEITHER), {
        Action.VIEW: EVERYONE,
        Action.COMMENT: POLITICAL_ROLES | OFFICIAL_ROLES,
    }),

    # --- Goals (goals) ------------------------------------------------------------------------
    # KF's goals (G1-G3, G11): proposed by KS and the budgetberedning, adopted by KF and recorded
    # by the kommunsekreterare; locked once adopted.
    (ObjectKind("kf_goal", "Vision, övergripande och finansiella mål, uppdrag från KF",
                Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({KS_LEDAMOT, BUDGETBEREDNING, KOMMUNSEKRETERARE}),
        Action.CHANGE: frozenset({KS_LEDAMOT, BUDGETBEREDNING, KOMMUNSEKRETERARE}),
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # Nämndmål (G4-G6, G8): the nämnd's politicians draft, the nämnd adopts; KF may set them too.
    (ObjectKind("namndmal", "Nämndmål", Side.POLITICS, draft=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: NAMND_POLITICIANS | RECORDERS,
        Action.CHANGE: NAMND_POLITICIANS | RECORDERS,
        Action.APPROVE: frozenset({NAMNDORDFORANDE}) | RECORDERS,
    }),
    # The verksamhetsplan's how (G7) is the förvaltning's; the nämnd adopts it.
    (ObjectKind("verksamhetsplan", "Verksamhetsplan", Side.OFFICIALS, draft=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FORVALTNING_HEADS,
        Action.CHANGE: FORVALTNING_HEADS,
        Action.APPROVE: NAMND_DECIDERS,
    }),
    # Enhetsmål are set and followed up within the förvaltning (G9, A7).
    (ObjectKind("enhetsmal", "Enhetsmål och deras uppföljning", Side.OFFICIALS), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({ENHETSCHEF, FORVALTNINGSCHEF}),
        Action.CHANGE: frozenset({ENHETSCHEF, FORVALTNINGSCHEF}),
    }),
    (ObjectKind("medarbetarplan", "Medarbetarplan", Side.OFFICIALS), {
        Action.VIEW: LINE_MANAGERS,
        Action.ADD: frozenset({ENHETSCHEF, FORVALTNINGSCHEF}),
        Action.CHANGE: frozenset({ENHETSCHEF, FORVALTNINGSCHEF}),
    }),
    (ObjectKind("nyckeltal", "Nyckeltal och deras värden", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE | FORVALTNING_HEADS,
        Action.CHANGE: FINANCE_OFFICE | FORVALTNING_HEADS,
    }),
    # The fetch from Kolada ("Hämta nu") and the comparison municipalities: the finance office.
    (ObjectKind("kolada", "Hämtning från Kolada och jämförelsekommuner", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE,
    }),
    # Assessments are officials' texts (A3-A6, P2): politicians read, comment and decide.
    (ObjectKind("malbedomning", "Målbedömning", Side.OFFICIALS), {
        Action.VIEW: EVERYONE,
        Action.ADD: FORVALTNING_HEADS,
        Action.CHANGE: FORVALTNING_HEADS,
    }),
    # Uppdrag from KF (G11, goals/services.py): the nämnd's report-back on each uppdrag is the
    # förvaltning's text (P1, P2), written by the nämnd's förvaltningschef (the kommundirektör
    # for KS); politicians read it, comment in the uppdrag's thread and see it in the
    # årsredovisning.
    (ObjectKind("uppdrag_report", "Återrapport av uppdrag från KF", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FORVALTNING_HEADS,
    }),

    # --- Budget: frames and the budget cycle (budget; B1-B6) ----------------------------------
    # Frames are KF's (B2); the finance office computes the preliminary ones from its
    # assumptions (B4-B6). The budgetberedning turns a preliminary frame into its proposal; the
    # kommunsekreterare records KF's decision (B1).
    (ObjectKind("frame", "Driftbudgetram", Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({BUDGETBEREDNING}),
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # Indices, cost shares, population, kronor per inhabitant and change requirements (B4-B6)
    # are the finance office's calculation.
    (ObjectKind("budget_assumption", "Index, befolkningsprognos och ramberäkning",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE,
    }),
    # Political priorities and earmarked allocations (B3) are the politicians' (P1): the
    # budgetberedning enters them itself on the assumption page, the finance office does not
    # write them for it.
    (ObjectKind("frame_priority", "Politisk prioritering och specificerat budgettillskott",
                Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({BUDGETBEREDNING}),
        Action.CHANGE: frozenset({BUDGETBEREDNING}),
        Action.DELETE: frozenset({BUDGETBEREDNING}),
    }),
    # The budgetunderlag (B1) is the förvaltning's text (P2): the förvaltningschef (or the
    # kommundirektör for KS) writes it; the nämnd adopts it, recorded by its ordförande or
    # nämndsekreterare, and it is locked from then on. Read within the nämnd and by those who
    # reach the whole municipality (budgetberedning, finance office, KS, revisorer).
    (ObjectKind("budgetunderlag", "Budgetunderlag", Side.OFFICIALS, draft=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FORVALTNING_HEADS,
        Action.CHANGE: FORVALTNING_HEADS,
        Action.APPROVE: NAMND_DECIDERS,
    }),
    # The distribution of the decided frame over the verksamheter (B2) is the nämnd's decision:
    # recorded by its ordförande or nämndsekreterare.
    (ObjectKind("fordelning", "Fördelning av ramen på verksamheter", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: NAMND_DECIDERS,
    }),

    # --- Budget: ofördelad budget (B7), lönerörelse (B10), skattesats (B11), bokslut (F4, B3) --
    # KS's pot, its amount set in KF's budget (political; recorded by the kommunsekreterare).
    (ObjectKind("pot", "Ofördelad budget", Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # The application is prepared and filed by the nämnd's förvaltning (officials).
    (ObjectKind("pot_application", "Ansökan ur ofördelad budget", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({FORVALTNINGSCHEF}),
        Action.CHANGE: frozenset({FORVALTNINGSCHEF}),
    }),
    # The ekonomiavdelning's yttrande on an application (officials, P2).
    (ObjectKind("pot_statement", "Yttrande över ansökan ur ofördelad budget", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE,
    }),
    # KS's decision on an application (political; recorded by the kommunsekreterare).
    (ObjectKind("pot_decision", "KS beslut om ansökan ur ofördelad budget", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # The salary reserve and KSAU's distribution of it (political; recorded).
    (ObjectKind("salary_reserve", "Lönerörelse", Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: frozenset({KOMMUNSEKRETERARE}),
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # KF's tax rate; proposed in the budget by the budgetberedning (political; recorded).
    (ObjectKind("tax_rate", "Skattesats", Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({BUDGETBEREDNING, KOMMUNSEKRETERARE}),
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # The finance office's proposal for a nämnd's year-end result (officials).
    (ObjectKind("year_end_proposal", "Förslag om disposition av resultat", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE,
    }),
    # KF's decision on a nämnd's year-end result (political; recorded).
    (ObjectKind("year_end", "KF:s beslut om disposition av resultat", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # How an earmarked allocation was used, written by the förvaltning in the bokslut (B3;
    # officials): the nämnd's förvaltningschef for their own nämnd, the finance office for
    # every one; politicians read it, in the bokslut and the årsredovisning.
    (ObjectKind("earmark_accounting", "Redovisning av specificerade budgettillskott",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {FORVALTNINGSCHEF},
    }),

    # --- Budget: investments (B8, B9) ---------------------------------------------------------
    # KF decides the appropriations and any ombudgetering (B9); the kommunsekreterare records
    # those decisions.
    (ObjectKind("investment", "Investeringsbudget: KF:s beslut om anslag och ombudgetering",
                Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
        Action.CHANGE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # The finance office prepares projects and proposed appropriations for KF (like the
    # preliminary frames); a decided appropriation is locked and moves only by KF's decision.
    (ObjectKind("investment_proposal", "Investeringsprojekt och förslag till anslag",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE,
        Action.CHANGE: FINANCE_OFFICE,
    }),
    # Outcome and final-cost forecast: the finance office and the nämnd's förvaltningschef.
    (ObjectKind("investment_followup", "Investeringsutfall och prognos slutkostnad",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {FORVALTNINGSCHEF},
    }),

    # --- Budget: outcomes, forecasts and volumes (budget; F1) ---------------------------------
    # Outcomes imported from the ledger (budget/outcomes.py): everyone reads them; the finance
    # office imports them (ADD) and maps ledger objects to nämnder (CHANGE).
    (ObjectKind("outcome", "Utfall, utfallsimport och objektkoppling", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE,
        Action.CHANGE: FINANCE_OFFICE,
    }),
    # Forecasts (budget/forecasts.py) are officials' objects (P1, P2): the finance office for
    # every nämnd, the förvaltningschef for their own; politicians read and comment in the
    # dialogue thread of the forecast.
    (ObjectKind("forecast", "Prognos", Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE | {FORVALTNINGSCHEF},
        Action.CHANGE: FINANCE_OFFICE | {FORVALTNINGSCHEF},
    }),
    # Verksamhetens volymer (F1, budget/volumes.py): like forecasts, the förvaltningschef keeps
    # their own nämnd's measures, budgeted volumes, outcomes and forecasts, the finance office
    # every nämnd's; everyone reads.
    (ObjectKind("volume", "Volymmått, budgeterad volym, utfall och prognos", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FINANCE_OFFICE | {FORVALTNINGSCHEF},
        Action.CHANGE: FINANCE_OFFICE | {FORVALTNINGSCHEF},
        Action.DELETE: FINANCE_OFFICE | {FORVALTNINGSCHEF},
    }),

    # --- Deviation cases, §7 (deviations): KS's uppsikt reads every nämnd's cases --------------
    # Cases open by themselves (D1, D7, D8); the finance office or the kommundirektör closes one
    # with a note when the forecast is back within the limit or at year-end.
    (ObjectKind("deviation", "Avvikelseärende", Side.NEITHER, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {KOMMUNDIREKTOR},
    }),
    # Measures (D2), the minuted opinion (D4) and effect reports (D6) are the förvaltning's.
    (ObjectKind("deviation_measure",
                "Åtgärder, yttranden och effektrapporter i avvikelseärenden",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: FORVALTNING_HEADS,
    }),
    # The nämnd's decision on measures (D3) and that the nämnd was told of an investment
    # overrun (D7): recorded by the nämnd's secretary or ordförande.
    (ObjectKind("deviation_decision", "Nämndens beslut i avvikelseärenden", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: NAMND_DECIDERS,
    }),
    # The ordförande informs KSAU (D5, D7).
    (ObjectKind("deviation_ksau", "Information till KSAU om avvikelser", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({NAMNDORDFORANDE}),
    }),
    # Anmälan to KS (D3, D4) and the report back to KF (D8): recorded by the kommunsekreterare.
    (ObjectKind("deviation_report", "Anmälan av avvikelser till KS och KF", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({KOMMUNSEKRETERARE}),
    }),

    # --- Reporting, F1-F3 (reporting): the follow-up reports and their workflow ----------------
    # A nämnd's section of a report (reporting/reports.py): the förvaltning's texts (officials,
    # P2), the nämnd's own until it approves the section (P5).
    (ObjectKind("report_section", "Rapportavsnitt (förvaltningens text)", Side.OFFICIALS,
                draft=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FORVALTNING_HEADS,
    }),
    # The nämnd approves or returns its section (political; recorded by its secretary).
    (ObjectKind("report_approval", "Nämndens godkännande av rapportavsnitt", Side.POLITICS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.APPROVE: NAMND_DECIDERS,
    }),
    # The ekonomiavdelning compiles the municipality's report (officials).
    (ObjectKind("report_compilation", "Sammanställning av kommunens rapport", Side.OFFICIALS,
                readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE,
    }),
    # KSAU's extra follow-ups (F2), KS's handling and KF's approval: recorded.
    (ObjectKind("report_decision", "KSAU:s, KS:s och KF:s beslut om rapporter",
                Side.POLITICS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({KOMMUNSEKRETERARE}),
        Action.APPROVE: frozenset({KOMMUNSEKRETERARE}),
    }),
    # The municipality's own part of the compiled report (reporting/municipality.py): the
    # financial goals' outcome and assessment in each report (G3, A3, A4) are officials' texts,
    # the finance office's for every goal, and for a nämnd's own financial goal also that
    # nämnd's förvaltningschef's (the goal's unit scopes it, P5).
    (ObjectKind("financial_outcome", "Utfall och bedömning av finansiella mål",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE | {FORVALTNINGSCHEF},
    }),
    # The companies' and foundations' year-end figures behind the consolidated accounts (F1)
    # are entered by the finance office alone.
    (ObjectKind("company_accounts", "Bokslutsuppgifter för bolag och stiftelser",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.CHANGE: FINANCE_OFFICE,
    }),
    # F3 (reporting/meeting_status.py): the economic status presented at a nämnd's meeting is
    # the förvaltning's; the förvaltningschef who presents it or the nämndsekreterare who keeps
    # the minutes records that it was presented. Everyone reads; revisorer write nothing.
    (ObjectKind("meeting_presentation",
                "Ekonomisk lägesrapport föredragen vid nämndens sammanträde",
                Side.OFFICIALS, readable_everywhere=True), {
        Action.VIEW: EVERYONE,
        Action.ADD: frozenset({FORVALTNINGSCHEF, NAMNDSEKRETERARE}),
    }),
)

KINDS: dict[str, ObjectKind] = {kind.code: kind for kind, _grants in TABLE}
# kind -> action -> roles that may do it (within the reach of their assignment, P5).
PERMISSION_TABLE: dict[str, dict[Action, frozenset[str]]] = {
    kind.code: grants for kind, grants in TABLE
}


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


def can(user, action: Action, kind: str, unit: OrganisationUnit | None = None,
        obj=None) -> bool:
    """May this user do this action to an object of this kind owned by this unit?

    An object without an owning unit belongs to the municipality as a whole: only assignments
    that reach the whole municipality cover it. Where the roles do not allow it, `obj` (the
    object itself) may: a person appointed to answer for it writes it while the appointment
    is in its period (styrmodell.appointments).
    """
    reaches = allowed_reach(user, kind, action)
    if reaches is None:
        return True
    if unit is not None and any(reach.covers(unit) for reach in reaches):
        return True
    return obj is not None and _answers_for(user, action, kind, obj)


def _answers_for(user, action: Action, kind: str, obj) -> bool:
    from . import appointments

    return (Action(action) in APPOINTED_ACTIONS and appointments.grants_kind(obj, kind)
            and appointments.answers_for(user, obj))


# What an appointment lets its person do to the one object (and only that object).
APPOINTED_ACTIONS = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})


def require(user, action: Action, kind: str, unit: OrganisationUnit | None = None,
            obj=None) -> None:
    """Raise PermissionDenied (and log it) unless the user may do this."""
    if can(user, action, kind, unit, obj):
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
                             published: bool, obj=None) -> None:
    """A draft (P5) is read within its nämnd's reach (or by the person appointed to answer for
    it); once published, by everyone who reads this kind of object at all."""
    if published:
        require_somewhere(user, Action.VIEW, kind)
    else:
        require(user, Action.VIEW, kind, unit, obj=obj)


def user_roles(user) -> set[str]:
    return {assignment.role.code for assignment in active_assignments(user)}


def user_side(user) -> str:
    """The side a user speaks from (P1); politics wins when a person holds both."""
    sides = {assignment.role.side for assignment in active_assignments(user)}
    for side in (Side.POLITICS, Side.OFFICIALS):
        if side in sides:
            return side
    return Side.NEITHER
