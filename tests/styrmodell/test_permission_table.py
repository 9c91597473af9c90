"""The permission table walked against the real URLs, for every demo role (P1, P2, P4, P5).

For each demo user and each (object kind, action) the table names, the page that does it
answers 200/302 when the permission layer allows it and 403 when it does not — never 500.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from budget.models import (
    Driftbudgetram,
    FrameAdjustment,
    Investeringsprojekt,
    Objektkoppling,
    Utfallsfil,
    Utfallsimport,
)
from deviations.models import Avvikelse, CaseKind
from goals.models import DecisionStatus, Enhetsmal, Namndmal, Nyckeltal, Vision
from goals.plans import create_plan
from styrmodell.demo import DEMO_LOGINS
from styrmodell.models import (
    BudgetYear,
    CalendarEvent,
    EventKind,
    MandatePeriod,
    RoleAssignment,
    User,
)
from styrmodell.permissions import (
    KINDS,
    OFFICIAL_ROLES,
    PERMISSION_TABLE,
    POLITICAL_ROLES,
    RECORDERS,
    WRITE_ACTIONS,
    Action,
    can,
    forget_assignments,
    may_somewhere,
)


@dataclass(frozen=True)
class Case:
    kind: str
    action: Action
    method: str
    url: Callable[[dict], str]
    unit: Callable[[dict], object] = lambda objects: None
    data: Callable[[dict], dict] = lambda objects: {}
    allowed_status: int = 200
    # A page that opens when the user may act in some unit (the form then offers only those).
    anywhere: bool = False
    # The object itself, where a person appointed to answer for it may act (appointments).
    obj: Callable[[dict], object] = lambda objects: None


def _objects(municipality) -> dict:
    bun = municipality["bun"]
    return {
        "bun": bun,
        "assignment": RoleAssignment.objects.get(user__username="bun.ledamot", unit=bun),
        "person": User.objects.get(username="bun.ledamot"),
        "period": MandatePeriod.objects.get(name="2026–2030"),
        "step": CalendarEvent.objects.filter(budget_year__year=2026, code="b1-kf-beslut").get(),
        "bun_meeting": CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=bun).first(),
        "enhet": municipality["ekbackaskolan"],
        "sbn": municipality["sbn"],
        "preliminary": Driftbudgetram.objects.get(
            namnd=bun, budget_year__year=2027, stage="preliminar"
        ),
        "proposal": Driftbudgetram.objects.get_or_create(
            namnd=bun, budget_year=BudgetYear.objects.get(year=2027), stage="forslag"
        )[0],
        "enhetsmal": Enhetsmal.objects.filter(enhet=municipality["ekbackaskolan"]).first(),
        "kf_common": Nyckeltal.objects.get(kolada_kpi="N01951"),
        "kf_bun": Nyckeltal.objects.get(kolada_kpi="N15436"),
        "plan": create_plan(namnd=bun, budget_year=BudgetYear.objects.get(year=2027)),
        "draft_vision": Vision.objects.create(
            mandate_period=MandatePeriod.objects.get(name="2026–2030"), text="Förslag"
        ),
        "bun_draft": Namndmal.objects.filter(namnd=bun, status=DecisionStatus.DRAFT).first(),
        "bun_case": Avvikelse.objects.get_or_create(
            kind=CaseKind.DEFICIT, namnd=bun, budget_year=BudgetYear.objects.get(year=2026),
            status="oppen", defaults={"period": "okt", "opened_on": "2026-11-16",
                                      "budget_amount": 324900000, "forecast_amount": 330000000},
        )[0],
        # A case whose measures the nämnd has decided: now it is reported to KS (D3).
        "bun_decided_case": Avvikelse.objects.get_or_create(
            kind=CaseKind.DEFICIT, namnd=bun, budget_year=BudgetYear.objects.get(year=2027),
            status="oppen", defaults={"period": "okt", "opened_on": "2026-11-16",
                                      "budget_amount": 324900000, "forecast_amount": 330000000,
                                      "decided_on": "2026-11-20", "paragraph": "12"},
        )[0],
        # The demo's målansvarig answers for the first of these, not the last.
        "bun_adopted": Namndmal.objects.filter(
            namnd=bun, status=DecisionStatus.ADOPTED, budget_year__year=2026
        ).order_by("pk").first(),
        "bun_adopted_other": Namndmal.objects.filter(
            namnd=bun, status=DecisionStatus.ADOPTED, budget_year__year=2026
        ).order_by("pk").last(),
        # Investments (B8, B9): a decided BUN project and an SN proposal awaiting KF.
        "school": Investeringsprojekt.objects.get(name="Ny F–6-skola i Norrby"),
        "sn_proposal": Investeringsprojekt.objects.get(name="Tillbyggnad av trygghetsboende"),
        # Outcomes (budget/outcomes.py): a logged import and a demo mapping.
        "utfallsimport": Utfallsimport.objects.create(
            file_name="nov.se", sha256="0" * 64, format="sie", year=2026, months=[11],
            total_amount=0, imported_by=User.objects.get(username="ekonom")
        ),
        "mapping": Objektkoppling.objects.get(dimension=1, object_id="410"),
        # An upload refused by its reading: its page, and the actions on it.
        "upload": Utfallsfil.objects.create(
            file_name="nov.se", format="sie", status="avvisad", message="Filen lästes inte in.",
            uploaded_by=User.objects.get(username="ekonom")),
        "sn": municipality["sn"],
        "kfn": municipality["kfn"],
        "priority": FrameAdjustment.objects.get(reason="Förstärkt hemtjänst nattetid"),
    }


def _appoint_the_malansvarig_more(objects) -> dict:
    """The demo's målansvarig also answers for BUN's October section, one BUN volume measure
    and the open BUN case's measures: the walk then checks each object's grant for her, and
    that it reaches nothing beside it (the case's opinion, the measure's edit page, submitting
    the section)."""
    from reporting.models import Rapportavsnitt
    from styrmodell import appointments

    chief, ida = (User.objects.get(username=name)
                  for name in ("bun.forvaltningschef", "bun.malansvarig"))
    objects["bun_section"] = Rapportavsnitt.objects.get(
        period__budget_year__year=2026, period__code="okt", namnd=objects["bun"])
    objects["bun_volume"] = _bun_volume()
    today = dt.date.today()
    for obj in (objects["bun_section"], objects["bun_volume"], objects["bun_case"]):
        appointments.appoint(by=chief, person=ida, obj=obj, starts_on=today,
                             ends_on=today + dt.timedelta(days=30), reason="Walk")
    return objects


CASES = [
    Case("organisation", Action.VIEW, "get", lambda o: "/organisation/"),
    Case(
        "organisation",
        Action.VIEW,
        "get",
        lambda o: f"/organisation/{o['bun'].pk}/",
        lambda o: o["bun"],
    ),
    Case(
        "organisation",
        Action.ADD,
        "get",
        lambda o: f"/organisation/ny/?parent={o['bun'].pk}",
        lambda o: o["bun"],
    ),
    Case(
        "organisation",
        Action.CHANGE,
        "get",
        lambda o: f"/organisation/{o['bun'].pk}/andra/",
        lambda o: o["bun"],
    ),
    Case(
        "role_assignment",
        Action.ADD,
        "get",
        lambda o: f"/organisation/{o['bun'].pk}/roller/ny/",
        lambda o: o["bun"],
    ),
    Case(
        "role_assignment",
        Action.CHANGE,
        "get",
        lambda o: f"/rolltilldelning/{o['assignment'].pk}/avsluta/",
        lambda o: o["bun"],
    ),
    Case("person", Action.VIEW, "get", lambda o: "/personer/"),
    Case("person", Action.VIEW, "get", lambda o: f"/personer/{o['person'].pk}/"),
    Case("person", Action.ADD, "get", lambda o: "/personer/ny/"),
    Case("person", Action.CHANGE, "get", lambda o: f"/personer/{o['person'].pk}/andra/"),
    Case("person", Action.CHANGE, "post", lambda o: f"/personer/{o['person'].pk}/nytt-losenord/",
         allowed_status=302),
    Case("role_assignment", Action.VIEW, "get", lambda o: f"/personer/{o['person'].pk}/"),
    Case("mandate_period", Action.VIEW, "get", lambda o: "/mandatperioder/"),
    Case(
        "mandate_period",
        Action.ADD,
        "post",
        lambda o: "/mandatperioder/",
        data=lambda o: {"name": ""},
    ),
    Case(
        "mandate_period", Action.CHANGE, "get", lambda o: f"/mandatperioder/{o['period'].pk}/andra/"
    ),
    Case("budget_year", Action.VIEW, "get", lambda o: "/budgetar/"),
    Case("budget_year", Action.CHANGE, "get", lambda o: "/budgetar/2026/andra/"),
    Case("budget_year", Action.VIEW, "get", lambda o: "/budgetar/2026/"),
    Case(
        "budget_year", Action.ADD, "post", lambda o: "/budgetar/", data=lambda o: {"year": "2026"}
    ),
    Case("calendar_event", Action.VIEW, "get", lambda o: f"/kalender/{o['step'].pk}/"),
    Case("calendar_event", Action.CHANGE, "get", lambda o: f"/kalender/{o['step'].pk}/andra/"),
    Case(
        "calendar_event",
        Action.ADD,
        "post",
        lambda o: "/budgetar/2026/forifyll/",
        allowed_status=302,
    ),
    Case("meeting", Action.VIEW, "get", lambda o: f"/kalender/{o['bun_meeting'].pk}/"),
    Case(
        "meeting",
        Action.CHANGE,
        "get",
        lambda o: f"/kalender/{o['bun_meeting'].pk}/andra/",
        lambda o: o["bun"],
    ),
    Case(
        "meeting",
        Action.ADD,
        "post",
        lambda o: "/budgetar/2026/sammantraden/ny/",
        lambda o: o["bun"],
        data=lambda o: {"unit": o["bun"].pk, "date": "2026-12-28"},
        allowed_status=302,
    ),
    Case("kf_goal", Action.VIEW, "get", lambda o: "/mal/kf/"),
    Case("kf_goal", Action.ADD, "get", lambda o: "/mal/kf/ny/vision/"),
    Case(
        "kf_goal", Action.APPROVE, "get", lambda o: f"/mal/kf/vision/{o['draft_vision'].pk}/beslut/"
    ),
    Case(
        "kf_goal", Action.CHANGE, "get", lambda o: f"/mal/kf/vision/{o['draft_vision'].pk}/andra/"
    ),
    Case(
        "namndmal",
        Action.VIEW,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_draft'].pk}/",
        lambda o: o["bun"],
    ),
    Case(
        "namndmal",
        Action.ADD,
        "get",
        lambda o: f"/mal/namnd/{o['bun'].pk}/2027/nytt/",
        lambda o: o["bun"],
    ),
    Case(
        "namndmal",
        Action.CHANGE,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_draft'].pk}/andra/",
        lambda o: o["bun"],
    ),
    Case(
        "namndmal",
        Action.APPROVE,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_draft'].pk}/anta/",
        lambda o: o["bun"],
    ),
    Case(
        "enhetsmal",
        Action.ADD,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_adopted'].pk}/enhetsmal/nytt/",
        lambda o: o["enhet"],
    ),
    Case(
        "enhetsmal",
        Action.CHANGE,
        "get",
        lambda o: f"/mal/enhetsmal/{o['enhetsmal'].pk}/uppfoljning/",
        lambda o: o["enhet"],
    ),
    Case("medarbetarplan", Action.ADD, "get", lambda o: "/mal/medarbetarplaner/ny/", anywhere=True),
    Case(
        "malbedomning",
        Action.ADD,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_adopted'].pk}/bedomning/okt/",
        lambda o: o["bun"],
        obj=lambda o: o["bun_adopted"],
    ),
    Case(
        "malbedomning",
        Action.CHANGE,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_adopted'].pk}/bedomning/feb/",
        lambda o: o["bun"],
        obj=lambda o: o["bun_adopted"],
    ),
    Case(
        "malbedomning",
        Action.CHANGE,
        "get",
        lambda o: f"/mal/namndmal/{o['bun_adopted_other'].pk}/bedomning/feb/",
        lambda o: o["bun"],
        obj=lambda o: o["bun_adopted_other"],
    ),
    Case("kolada", Action.VIEW, "get", lambda o: "/mal/nyckeltal/jamforelsekommuner/"),
    # An empty code: the form answers with its message, nothing is fetched or saved.
    Case("kolada", Action.CHANGE, "post", lambda o: "/mal/nyckeltal/jamforelsekommuner/",
         data=lambda o: {"code": "", "name": ""}),
    Case("nyckeltal", Action.VIEW, "get", lambda o: "/mal/nyckeltal/"),
    Case(
        "nyckeltal",
        Action.VIEW,
        "get",
        lambda o: f"/mal/nyckeltal/{o['kf_bun'].pk}/",
        lambda o: o["bun"],
    ),
    Case(
        "nyckeltal",
        Action.ADD,
        "post",
        lambda o: "/mal/nyckeltal/nytt/",
        lambda o: o["bun"],
        data=lambda o: {"name": "", "good_direction": "upp", "namnd": o["bun"].pk},
    ),
    Case("nyckeltal", Action.CHANGE, "get", lambda o: f"/mal/nyckeltal/{o['kf_common'].pk}/andra/"),
    Case(
        "nyckeltal",
        Action.CHANGE,
        "get",
        lambda o: f"/mal/nyckeltal/{o['kf_bun'].pk}/varde/",
        lambda o: o["bun"],
    ),
    Case(
        "verksamhetsplan",
        Action.VIEW,
        "get",
        lambda o: f"/mal/verksamhetsplan/{o['bun'].pk}/2027/",
        lambda o: o["bun"],
    ),
    Case(
        "verksamhetsplan",
        Action.ADD,
        "get",
        lambda o: f"/mal/verksamhetsplan/{o['sbn'].pk}/2027/skapa/",
        lambda o: o["sbn"],
    ),
    Case(
        "verksamhetsplan",
        Action.CHANGE,
        "get",
        lambda o: f"/mal/verksamhetsplan/{o['bun'].pk}/2027/andra/",
        lambda o: o["bun"],
    ),
    Case(
        "verksamhetsplan",
        Action.APPROVE,
        "get",
        lambda o: f"/mal/verksamhetsplan/{o['bun'].pk}/2027/anta/",
        lambda o: o["bun"],
    ),
    Case("frame", Action.VIEW, "get", lambda o: "/budget/ramar/2027/"),
    Case("frame", Action.VIEW, "get", lambda o: f"/budget/ramar/2027/{o['bun'].pk}/"),
    Case(
        "frame",
        Action.ADD,
        "post",
        lambda o: f"/budget/ram/{o['preliminary'].pk}/nasta-skede/",
        lambda o: o["bun"],
        allowed_status=302,
    ),
    Case(
        "frame",
        Action.APPROVE,
        "post",
        lambda o: f"/budget/ram/{o['proposal'].pk}/nasta-skede/",
        lambda o: o["bun"],
        allowed_status=302,
    ),
    Case(
        "frame",
        Action.APPROVE,
        "post",
        lambda o: "/budget/ramar/2027/kf-beslut/",
        allowed_status=302,
    ),
    Case(
        "budget_assumption",
        Action.CHANGE,
        "post",
        lambda o: "/budget/ramar/2027/rakna-om/",
        allowed_status=302,
    ),
    Case("deviation", Action.VIEW, "get", lambda o: "/avvikelser/"),
    Case("deviation", Action.VIEW, "get", lambda o: f"/avvikelser/{o['bun_case'].pk}/",
         lambda o: o["bun"]),
    Case("deviation", Action.CHANGE, "get",
         lambda o: f"/avvikelser/{o['bun_case'].pk}/avsluta/", lambda o: o["bun"]),
    Case("deviation_measure", Action.ADD, "get",
         lambda o: f"/avvikelser/{o['bun_case'].pk}/atgard/", lambda o: o["bun"],
         obj=lambda o: o["bun_case"]),
    # The minuted opinion is the förvaltningschef's own (D4): no appointment reaches it.
    Case("deviation_measure", Action.ADD, "get",
         lambda o: f"/avvikelser/{o['bun_case'].pk}/yttrande/", lambda o: o["bun"]),
    Case("deviation_decision", Action.ADD, "get",
         lambda o: f"/avvikelser/{o['bun_case'].pk}/beslut/", lambda o: o["bun"]),
    Case("deviation_ksau", Action.ADD, "get",
         lambda o: f"/avvikelser/{o['bun_case'].pk}/ksau/", lambda o: o["bun"]),
    Case("deviation_report", Action.ADD, "get",
         lambda o: f"/avvikelser/{o['bun_decided_case'].pk}/anmalan-ks/", lambda o: o["bun"]),
    # Investments (B8, B9).
    Case("investment", Action.VIEW, "get", lambda o: "/budget/investeringar/2026/"),
    Case("investment", Action.VIEW, "get", lambda o: "/budget/investeringar/2026/excel/"),
    Case(
        "investment",
        Action.VIEW,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['school'].pk}/",
        lambda o: o["bun"],
    ),
    Case(
        "investment",
        Action.APPROVE,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['sn_proposal'].pk}/beslut/",
        lambda o: o["sn_proposal"].namnd,
    ),
    Case(
        "investment",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['school'].pk}/ombudgetering/",
        lambda o: o["bun"],
    ),
    Case(
        "investment_proposal",
        Action.VIEW,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['sn_proposal'].pk}/",
        lambda o: o["sn_proposal"].namnd,
    ),
    Case(
        "investment_proposal",
        Action.ADD,
        "get",
        lambda o: "/budget/investeringar/projekt/nytt/",
        anywhere=True,
    ),
    Case(
        "investment_proposal",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['sn_proposal'].pk}/andra/",
        lambda o: o["sn_proposal"].namnd,
    ),
    Case(
        "investment_proposal",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['sn_proposal'].pk}/anslag/?ar=2027",
        lambda o: o["sn_proposal"].namnd,
    ),
    Case(
        "investment_followup",
        Action.VIEW,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['school'].pk}/",
        lambda o: o["bun"],
    ),
    Case(
        "investment_followup",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/investeringar/projekt/{o['school'].pk}/uppfoljning/",
        lambda o: o["bun"],
    ),
    # The budget cycle (B1-B6): assumptions, priorities, budgetunderlag, distribution.
    Case("budget_assumption", Action.VIEW, "get", lambda o: "/budget/antaganden/2027/"),
    Case("budget_assumption", Action.CHANGE, "get", lambda o: "/budget/antaganden/2027/index/"),
    Case("frame_priority", Action.VIEW, "get", lambda o: "/budget/antaganden/2027/"),
    Case(
        "frame_priority",
        Action.ADD,
        "post",
        lambda o: "/budget/antaganden/2027/justering/ny/",
        data=lambda o: {"kind": "prioritering"},
    ),
    Case(
        "frame_priority",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/justering/{o['priority'].pk}/",
    ),
    Case(
        "budgetunderlag",
        Action.VIEW,
        "get",
        lambda o: f"/budget/underlag/2027/{o['sn'].pk}/",
        lambda o: o["sn"],
    ),
    Case(
        "budgetunderlag",
        Action.ADD,
        "get",
        lambda o: f"/budget/underlag/2027/{o['kfn'].pk}/andra/",
        lambda o: o["kfn"],
    ),
    Case(
        "budgetunderlag",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/underlag/2027/{o['sn'].pk}/andra/",
        lambda o: o["sn"],
    ),
    Case(
        "budgetunderlag",
        Action.APPROVE,
        "get",
        lambda o: f"/budget/underlag/2027/{o['sn'].pk}/anta/",
        lambda o: o["sn"],
    ),
    Case("fordelning", Action.VIEW, "get", lambda o: f"/budget/ramar/2026/{o['bun'].pk}/"),
    Case(
        "fordelning",
        Action.CHANGE,
        "get",
        lambda o: f"/budget/fordelning/2026/{o['bun'].pk}/",
        lambda o: o["bun"],
    ),
    Case(
        "dialogue",
        Action.COMMENT,
        "post",
        lambda o: f"/dialog/styrmodell.organisationunit/{o['bun'].pk}/",
        lambda o: o["bun"],
        data=lambda o: {"body": "En fråga till förvaltningen."},
        allowed_status=302,
    ),
]

# Forecasts (budget/followup_views.py): an empty form is re-rendered with its error (200).
CASES += [
    Case("forecast", Action.VIEW, "get", lambda o: "/budget/uppfoljning/2026/"),
    Case("forecast", Action.VIEW, "get", lambda o: f"/budget/uppfoljning/2026/{o['bun'].pk}/",
         lambda o: o["bun"]),
    Case("forecast", Action.ADD, "post",
         lambda o: f"/budget/uppfoljning/2026/{o['bun'].pk}/prognos/ar/", lambda o: o["bun"]),
    Case("forecast", Action.CHANGE, "post",
         lambda o: f"/budget/uppfoljning/2026/{o['bun'].pk}/prognos/okt/", lambda o: o["bun"]),
]

# Outcomes imported from the ledger (budget/outcomes.py): everyone reads, the finance office
# imports (ADD) and maps ledger objects (CHANGE).
CASES += [
    Case("outcome", Action.VIEW, "get", lambda o: "/budget/utfall/"),
    Case("outcome", Action.VIEW, "get", lambda o: "/budget/utfall/2026/"),
    Case("outcome", Action.VIEW, "get", lambda o: "/budget/utfall/2026/excel/"),
    Case("outcome", Action.VIEW, "get",
         lambda o: f"/budget/utfall/import/{o['utfallsimport'].pk}/"),
    Case("outcome", Action.VIEW, "get", lambda o: "/budget/utfall/kopplingar/"),
    Case("outcome", Action.VIEW, "get", lambda o: f"/budget/utfall/2026/{o['bun'].pk}/",
         lambda o: o["bun"]),
    Case("outcome", Action.ADD, "post", lambda o: "/budget/utfall/"),
    Case("outcome", Action.ADD, "get", lambda o: f"/budget/utfall/fil/{o['upload'].pk}/"),
    Case("outcome", Action.ADD, "post", lambda o: f"/budget/utfall/fil/{o['upload'].pk}/",
         data=lambda o: {"action": "okand"}, allowed_status=302),
    Case("outcome", Action.CHANGE, "get",
         lambda o: f"/budget/utfall/kopplingar/{o['mapping'].pk}/andra/"),
    Case("outcome", Action.CHANGE, "post", lambda o: "/budget/utfall/kopplingar/",
         data=lambda o: {"object_id": ""}),
    Case("outcome", Action.VIEW, "get", lambda o: "/budget/utfall/kopplingar/export/"),
    Case("outcome", Action.CHANGE, "post", lambda o: "/budget/utfall/kopplingar/okopplade/",
         data=lambda o: {"okopplade-TOTAL_FORMS": 0, "okopplade-INITIAL_FORMS": 0},
         allowed_status=302),
]


def test_every_kind_and_action_in_the_table_has_a_page_in_the_walk():
    walked = {(case.kind, case.action) for case in CASES}
    in_table = {
        (kind, action)
        for kind, actions in PERMISSION_TABLE.items()
        for action in actions
        if action != Action.DELETE
    }
    # Read inside another page, or walked by their own tests: a thread (test_dialogue),
    # enhetsmål and assessments (on the nämndmål page), medarbetarplaner (G10 in
    # tests/goals/test_goal_rules.py, every role).
    shown_inside_other_pages = {
        ("dialogue", Action.VIEW),
        ("enhetsmal", Action.VIEW),
        ("malbedomning", Action.VIEW),
        ("budget_assumption", Action.VIEW),
        ("medarbetarplan", Action.VIEW),
        ("medarbetarplan", Action.CHANGE),
        # The steps of a deviation case are read on the case's page.
        ("deviation_measure", Action.VIEW),
        ("deviation_decision", Action.VIEW),
        ("deviation_ksau", Action.VIEW),
        ("deviation_report", Action.VIEW),
    }
    assert in_table - walked - shown_inside_other_pages == set()


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_p5_the_table_walked_against_real_urls_for_every_demo_role(client, municipality, username):
    objects = _appoint_the_malansvarig_more(_objects(municipality))
    user = User.objects.get(username=username)
    client.force_login(user)
    failures = []
    for case in CASES:
        forget_assignments(user)
        if case.anywhere:
            expected = may_somewhere(user, case.kind, case.action)
        else:
            expected = can(user, case.action, case.kind, case.unit(objects), case.obj(objects))
        response = getattr(client, case.method)(case.url(objects), case.data(objects))
        assert response.status_code != 500
        want = case.allowed_status if expected else 403
        if response.status_code != want:
            failures.append(
                f"{case.kind}/{case.action} {case.url(objects)}: "
                f"got {response.status_code}, expected {want}"
            )
    assert failures == []


def test_p1_each_side_writes_only_its_own_kinds_of_object():
    for kind_code, actions in PERMISSION_TABLE.items():
        side = KINDS[kind_code].side
        for action, roles in actions.items():
            if action not in WRITE_ACTIONS:
                continue
            if side == "politik":
                assert roles <= POLITICAL_ROLES | RECORDERS, (kind_code, action)
            elif side == "tjansteperson":
                assert roles <= OFFICIAL_ROLES, (kind_code, action)


def test_p4_revisor_reads_everything_and_writes_nothing():
    for kind_code, actions in PERMISSION_TABLE.items():
        for action, roles in actions.items():
            if action == Action.VIEW and kind_code != "medarbetarplan":  # personal data, G10
                assert "revisor" in roles, kind_code
            else:
                assert "revisor" not in roles, (kind_code, action)


def test_p3_both_sides_may_write_in_a_dialogue_thread():
    commenters = PERMISSION_TABLE["dialogue"][Action.COMMENT]
    assert POLITICAL_ROLES <= commenters
    assert OFFICIAL_ROLES <= commenters


# --- Budget: ofördelad budget (B7), lönerörelse (B10), skattesats (B11), bokslut (F4). ---
def _pot_application(status: str):
    """The demo's pending BUN application (with its yttrande), or a fresh one just filed."""
    from decimal import Decimal

    from budget.models import Ansokan, OfordeladBudget
    from styrmodell.models import OrganisationUnit

    found = Ansokan.objects.filter(status=status, namnd__name="Barn- och "
                                          "utbildningsnämnden").first()
    if found is None:
        found = Ansokan.objects.create(
            pot=OfordeladBudget.objects.get(budget_year__year=2026),
            namnd=OrganisationUnit.objects.get(name="Barn- och utbildningsnämnden"),
            title="Prov", amount=Decimal("100000"), criterion="a", motivation="Prov",
            filed_by=User.objects.get(username="bun.forvaltningschef"), status=status)
    return found


def _proposed_disposition():
    from decimal import Decimal

    from budget.models import Resultatdisposition
    from styrmodell.models import OrganisationUnit

    found = Resultatdisposition.objects.filter(status="forslag", budget_year__year=2025).first()
    if found is None:
        found = Resultatdisposition.objects.create(
            budget_year=BudgetYear.objects.get(year=2025),
            namnd=OrganisationUnit.objects.get(name="Socialnämnden"), kind="aterstallande",
            amount=Decimal("1000"), target_year=BudgetYear.objects.get(year=2027),
            motivation="Prov", frame_total=Decimal("0"), outcome=Decimal("1000"),
            proposed_by=User.objects.get(username="ekonomichef"))
    return found


CASES += [
    Case("pot", Action.VIEW, "get", lambda o: "/budget/ofordelad/2026/"),
    Case("pot", Action.CHANGE, "get", lambda o: "/budget/ofordelad/2026/belopp/"),
    Case("pot_application", Action.VIEW, "get",
         lambda o: f"/budget/ofordelad/ansokan/{_pot_application('yttrande').pk}/",
         lambda o: o["bun"]),
    Case("pot_application", Action.ADD, "get", lambda o: "/budget/ofordelad/2026/ansok/",
         anywhere=True),
    Case("pot_application", Action.CHANGE, "get",
         lambda o: f"/budget/ofordelad/ansokan/{_pot_application('inkommen').pk}/andra/",
         lambda o: o["bun"]),
    Case("pot_statement", Action.VIEW, "get",
         lambda o: f"/budget/ofordelad/ansokan/{_pot_application('yttrande').pk}/",
         lambda o: o["bun"]),
    Case("pot_statement", Action.ADD, "get",
         lambda o: f"/budget/ofordelad/ansokan/{_pot_application('inkommen').pk}/yttrande/",
         lambda o: o["bun"]),
    Case("pot_decision", Action.VIEW, "get", lambda o: "/budget/ofordelad/2026/"),
    Case("pot_decision", Action.APPROVE, "get",
         lambda o: f"/budget/ofordelad/ansokan/{_pot_application('yttrande').pk}/beslut/",
         lambda o: o["bun"]),
    Case("salary_reserve", Action.VIEW, "get", lambda o: "/budget/lonerorelse/2026/"),
    Case("salary_reserve", Action.CHANGE, "get", lambda o: "/budget/lonerorelse/2026/reserv/"),
    Case("salary_reserve", Action.APPROVE, "get",
         lambda o: "/budget/lonerorelse/2026/fordela/"),
    Case("tax_rate", Action.VIEW, "get", lambda o: "/budget/skattesats/"),
    Case("tax_rate", Action.ADD, "get", lambda o: "/budget/skattesats/2027/forslag/"),
    Case("tax_rate", Action.APPROVE, "get", lambda o: "/budget/skattesats/2027/beslut/"),
    Case("year_end_proposal", Action.VIEW, "get", lambda o: "/budget/bokslut/2025/"),
    Case("year_end_proposal", Action.ADD, "get",
         lambda o: f"/budget/bokslut/2025/{o['bun'].pk}/forslag/", lambda o: o["bun"]),
    Case("year_end", Action.VIEW, "get", lambda o: "/budget/bokslut/2025/"),
    Case("year_end", Action.APPROVE, "get",
         lambda o: f"/budget/bokslut/beslut/{_proposed_disposition().pk}/",
         lambda o: _proposed_disposition().namnd),
    Case("earmark_accounting", Action.VIEW, "get", lambda o: "/budget/bokslut/2025/"),
    Case("earmark_accounting", Action.CHANGE, "get",
         lambda o: f"/budget/bokslut/2025/tillskott/{_earmark_line(o['bun']).pk}/",
         lambda o: o["bun"]),
]


def _earmark_line(namnd):
    from budget.models import Ramrad

    return Ramrad.objects.get(frame__namnd=namnd, frame__budget_year__year=2025,
                                 frame__stage="beslutad", earmarked=True)

# F3, the nämnd meeting's economic status (reporting/pdf_views.py): everyone reads; the nämnd's
# förvaltningschef or nämndsekreterare records that it was presented (a held meeting: 302).
CASES += [
    Case("meeting_presentation", Action.VIEW, "get",
         lambda o: f"/rapporter/sammantrade/{o['bun_meeting'].pk}/", lambda o: o["bun"]),
    Case("meeting_presentation", Action.ADD, "post",
         lambda o: f"/rapporter/sammantrade/{o['bun_meeting'].pk}/foredragen/",
         lambda o: o["bun"], allowed_status=302),
    Case("meeting", Action.VIEW, "get", lambda o: f"/rapporter/sammantrade/namnd/{o['bun'].pk}/",
         lambda o: o["bun"], allowed_status=302),
]

# --- Reporting (F1, F2): the follow-up reports and their workflow. ---
def _report(code: str = "okt") -> str:
    return f"/rapporter/2026-{code}/"


CASES += [
    Case("report_section", Action.VIEW, "get", lambda o: f"{_report()}{o['bun'].pk}/",
         lambda o: o["bun"], obj=lambda o: o["bun_section"]),
    Case("report_section", Action.CHANGE, "get",
         lambda o: f"{_report()}{o['bun'].pk}/texter/", lambda o: o["bun"],
         obj=lambda o: o["bun_section"]),
    Case("report_section", Action.CHANGE, "get",
         lambda o: f"{_report()}{o['bun'].pk}/lamna-in/", lambda o: o["bun"]),
    # The nämnd's approval is read with its section once approved (P5): August's BUN section.
    Case("report_approval", Action.VIEW, "get", lambda o: f"{_report('aug')}{o['bun'].pk}/",
         lambda o: o["bun"]),
    Case("report_approval", Action.APPROVE, "get",
         lambda o: f"{_report()}{o['bun'].pk}/beslut/", lambda o: o["bun"]),
    Case("report_compilation", Action.VIEW, "get", lambda o: _report()),
    Case("report_compilation", Action.CHANGE, "get", lambda o: f"{_report()}sammanstall/"),
    Case("report_decision", Action.VIEW, "get", lambda o: "/rapporter/"),
    Case("report_decision", Action.ADD, "get", lambda o: "/rapporter/extra/ny/"),
    Case("report_decision", Action.APPROVE, "get", lambda o: f"{_report()}beslut/"),
]


# --- The municipality's own part of the report (reporting/municipality.py): the financial
# goals' outcomes (G3, A3, A4) and the companies' year-end figures (F1). ---
def _financial_goal(unit_name: str):
    from goals.models import FinansielltMal

    return FinansielltMal.objects.filter(budget_year__year=2026, unit__name=unit_name,
                                         status=DecisionStatus.ADOPTED).first()


def _company():
    from styrmodell.models import OrganisationUnit

    return OrganisationUnit.objects.get(name="Ekdalens Vatten AB")


CASES += [
    Case("financial_outcome", Action.VIEW, "get", lambda o: _report()),
    # The municipality's goal: the finance office; the nämnd's own goal: also its
    # förvaltningschef (the open October report).
    Case("financial_outcome", Action.CHANGE, "get",
         lambda o: f"{_report()}finansiella-mal/{_financial_goal('Ekbacka kommun').pk}/",
         lambda o: _financial_goal("Ekbacka kommun").unit),
    Case("financial_outcome", Action.CHANGE, "get",
         lambda o: f"{_report()}finansiella-mal/{_financial_goal('Socialnämnden').pk}/",
         lambda o: o["sn"]),
    Case("company_accounts", Action.VIEW, "get", lambda o: "/rapporter/2025-ar/"),
    # KF has approved 2025's årsredovisning: the finance office sees the page, locked (200).
    Case("company_accounts", Action.CHANGE, "get",
         lambda o: f"/rapporter/2025-ar/bolag/{_company().pk}/", lambda o: _company()),
]


# --- Verksamhetens volymer (F1, budget/volumes_views.py): everyone reads; the finance office for
# every nämnd and the förvaltningschef for their own add measures and enter outcome and
# forecast. An empty form is re-rendered with its error (200).
def _bun_volume():
    from budget.models import Volymmatt

    return Volymmatt.objects.filter(namnd__name="Barn- och utbildningsnämnden",
                                    budget_year__year=2026).order_by("position").first()


CASES += [
    Case("volume", Action.VIEW, "get", lambda o: "/budget/volymer/2026/"),
    Case("volume", Action.VIEW, "get", lambda o: "/budget/volymer/2026/?format=xlsx"),
    Case("volume", Action.VIEW, "get", lambda o: f"/budget/volymer/2026/{o['bun'].pk}/",
         lambda o: o["bun"]),
    Case("volume", Action.VIEW, "get",
         lambda o: f"/budget/volymer/2026/{o['bun'].pk}/?format=xlsx", lambda o: o["bun"]),
    Case("volume", Action.ADD, "post", lambda o: f"/budget/volymer/2026/{o['bun'].pk}/nytt-matt/",
         lambda o: o["bun"]),
    Case("volume", Action.VIEW, "get", lambda o: f"/budget/volymer/matt/{o['bun_volume'].pk}/",
         lambda o: o["bun"]),
    Case("volume", Action.CHANGE, "post",
         lambda o: f"/budget/volymer/2026/{o['bun'].pk}/uppfoljning/okt/", lambda o: o["bun"],
         obj=lambda o: o["bun_volume"]),
    Case("volume", Action.CHANGE, "get",
         lambda o: f"/budget/volymer/matt/{_bun_volume().pk}/andra/", lambda o: o["bun"]),
]


# --- Uppdrag from KF (G11): everyone reads an uppdrag with its report-back; the nämnd's
# förvaltningschef (the kommundirektör) writes the report-back; the kommunsekreterare records
# KF's yearly re-affirmation of the övergripande mål (G2). An empty report re-renders (200).
def _bun_uppdrag():
    from goals.models import Uppdrag

    return Uppdrag.objects.filter(namnd__name="Barn- och utbildningsnämnden",
                                  status=DecisionStatus.ADOPTED).first()


def _year_to_affirm() -> int:
    year, _ = BudgetYear.objects.get_or_create(
        year=2028, defaults={"mandate_period": MandatePeriod.objects.get(name="2026–2030")})
    return year.year


CASES += [
    Case("uppdrag_report", Action.VIEW, "get", lambda o: f"/mal/uppdrag/{_bun_uppdrag().pk}/",
         lambda o: o["bun"]),
    Case("uppdrag_report", Action.CHANGE, "get",
         lambda o: f"/mal/uppdrag/{_bun_uppdrag().pk}/aterrapport/", lambda o: o["bun"]),
    Case("uppdrag_report", Action.CHANGE, "post",
         lambda o: f"/mal/uppdrag/{_bun_uppdrag().pk}/aterrapport/", lambda o: o["bun"],
         data=lambda o: {"report": ""}),
    Case("kf_goal", Action.APPROVE, "get", lambda o: f"/mal/kf/faststall/{_year_to_affirm()}/"),
]
