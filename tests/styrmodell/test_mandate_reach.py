"""Roles within their mandate (P5): the reach of every demo user proved as a set, and the pages
of a nämnd's own decisions (B2, D3, D5, report approval, budgetunderlag, nämndmål) refused to
role holders in KF, KS and KSAU.

The expected reach is written out here by hand from the demo organisation (styrmodell/demo.py),
role by role and unit by unit, not computed by the permission layer it checks.
"""

import datetime as dt

import pytest

from budget.models import Budgetunderlag, Fordelning
from deviations.models import Avvikelse
from goals.models import DecisionStatus, Namndmal
from reporting.models import Rapportavsnitt, SectionStatus
from styrmodell import demo
from styrmodell.models import Role, RoleAssignment, User
from styrmodell.permissions import KINDS, PERMISSION_TABLE, Action, can, forget_assignments

# "The municipality as a whole": an object without an owning unit (kf_goal, tax rate, ...).
WHOLE = "(kommunen som helhet)"
EVERY_UNIT = frozenset(key for key, *_ in demo.UNITS)
EVERYWHERE = EVERY_UNIT | {WHOLE}

# The areas of the bodies that are nämnder (KS is one for its own material), from demo.UNITS.
KS_AREA = frozenset({"ks", "ksau", "klf", "ekonomi", "hr"})
BUN_AREA = frozenset({"bun", "buf", "ekbackaskolan", "aspaskolan", "ekorren"})
SN_AREA = frozenset({"sn", "sof", "hemtjanst", "lindgarden", "ifo"})
SBN_AREA = frozenset({"sbn", "sbf", "planbygg", "gatapark"})
KFN_AREA = frozenset({"kfn", "kff", "bibliotek", "fritid"})

# What each demo role assignment (role, unit it is held in) reaches.
MANDATE = {
    ("administrator", "kommun"): EVERYWHERE,
    # KF's ordförande chairs KF: KF itself, never the nämnder KF has below it in the tree.
    ("namndordforande", "kf"): frozenset({"kf"}),
    # A seat in KF, KS, KSAU or the budgetberedning: what that body decides, everywhere.
    ("kf_ledamot", "kf"): EVERYWHERE,
    ("ks_ledamot", "ks"): EVERYWHERE,
    ("ksau_ledamot", "ksau"): EVERYWHERE,
    ("budgetberedning", "ks"): EVERYWHERE,
    # KS's ordförande chairs a nämnd: KS's own area.
    ("namndordforande", "ks"): KS_AREA,
    ("namndordforande", "bun"): BUN_AREA,
    ("presidium", "bun"): BUN_AREA,
    ("namndledamot", "bun"): BUN_AREA,
    ("namndordforande", "sn"): SN_AREA,
    ("presidium", "sn"): SN_AREA,
    ("namndordforande", "sbn"): SBN_AREA,
    ("namndordforande", "kfn"): KFN_AREA,
    # Kommunövergripande officials keep the whole municipality.
    ("kommundirektor", "klf"): EVERYWHERE,
    ("ekonomichef", "ekonomi"): EVERYWHERE,
    ("ekonom", "ekonomi"): EVERYWHERE,
    ("kommunsekreterare", "klf"): EVERYWHERE,
    # A förvaltning's people serve their nämnd's whole area.
    ("forvaltningschef", "buf"): BUN_AREA,
    ("forvaltningschef", "sof"): SN_AREA,
    ("forvaltningschef", "sbf"): SBN_AREA,
    ("forvaltningschef", "kff"): KFN_AREA,
    ("namndsekreterare", "buf"): BUN_AREA,
    # An enhet's people: their own enhet.
    ("enhetschef", "ekbackaskolan"): frozenset({"ekbackaskolan"}),
    ("medarbetare", "ekbackaskolan"): frozenset({"ekbackaskolan"}),
    ("medarbetare", "hemtjanst"): frozenset({"hemtjanst"}),
    ("medarbetare", "aspaskolan"): frozenset({"aspaskolan"}),
    ("revisor", "revision"): EVERYWHERE,
}

# A nämnd's drafts are its own until it adopts or submits them: a seat in KF, KS, KSAU or the
# budgetberedning reads them only in its own body.
DRAFT_KINDS = frozenset({"namndmal", "verksamhetsplan", "budgetunderlag", "report_section"})
DRAFT_MANDATE = {
    ("kf_ledamot", "kf"): frozenset({"kf"}),
    ("ks_ledamot", "ks"): KS_AREA,
    ("ksau_ledamot", "ksau"): frozenset({"ksau"}),
    ("budgetberedning", "ks"): KS_AREA,
}
# Kinds read within the reader's reach rather than by everyone who may read them at all.
READ_WITHIN_REACH = DRAFT_KINDS | {"dialogue", "enhetsmal", "medarbetarplan", "malbedomning"}


def _expected(person: demo.DemoPerson, kind: str, action: Action) -> frozenset[str]:
    roles = PERMISSION_TABLE.get(kind, {}).get(action, frozenset())
    reach: set[str] = set()
    for held in person.roles:
        if held[0] not in roles:
            continue
        if action == Action.VIEW and kind not in READ_WITHIN_REACH:
            reach |= EVERYWHERE
        elif action == Action.VIEW and kind in DRAFT_KINDS and held in DRAFT_MANDATE:
            reach |= DRAFT_MANDATE[held]
        else:
            reach |= MANDATE[held]
    return frozenset(reach)


def test_p5_every_demo_assignment_has_its_mandate_written_out():
    held = {assignment for person in demo.DEMO_PEOPLE for assignment in person.roles}
    assert held == set(MANDATE)


@pytest.mark.parametrize("person", demo.DEMO_PEOPLE, ids=lambda person: person.username)
def test_p5_reach_of_every_demo_user_is_the_set_its_mandate_gives(municipality, person):
    user = User.objects.get(username=person.username)
    forget_assignments(user)
    wrong = []
    for kind in KINDS:
        for action in Action:
            reached = {key for key, unit in municipality.items() if can(user, action, kind, unit)}
            if can(user, action, kind, None):
                reached.add(WHOLE)
            expected = _expected(person, kind, action)
            if reached != expected:
                wrong.append(f"{kind}/{action}: more {sorted(reached - expected)}, "
                             f"missing {sorted(expected - reached)}")
    assert wrong == []


def test_p5_kf_ordforande_reaches_kf_alone_for_her_namnd_role(municipality):
    karin = User.objects.get(username="kf.ordforande")
    assert can(karin, Action.APPROVE, "namndmal", municipality["kf"])
    for key in ("ks", "ksau", "bun", "buf", "sn", "sbn", "kfn"):
        assert not can(karin, Action.APPROVE, "namndmal", municipality[key]), key
        assert not can(karin, Action.CHANGE, "fordelning", municipality[key]), key


def test_p5_ks_ordforande_acts_for_ks_as_its_namnd_but_not_for_other_namnder(municipality):
    stefan = User.objects.get(username="ks.ordforande")
    assert can(stefan, Action.APPROVE, "report_approval", municipality["ks"])
    assert can(stefan, Action.CHANGE, "fordelning", municipality["klf"])
    assert not can(stefan, Action.APPROVE, "report_approval", municipality["bun"])
    assert not can(stefan, Action.CHANGE, "fordelning", municipality["sn"])


def test_p5_ksau_distributes_the_salary_reserve_and_ks_decides_pot_applications(municipality):
    """What KS and KSAU decide themselves stays reachable for everyone who records it."""
    klara = User.objects.get(username="kommunsekreterare")
    for key in ("bun", "sn", "ks"):
        assert can(klara, Action.APPROVE, "pot_decision", municipality[key])
    assert can(klara, Action.APPROVE, "salary_reserve")
    assert can(klara, Action.APPROVE, "namndmal", municipality["bun"])  # KF sets nämndmål


# --- The pages of a nämnd's own decisions refuse KF, KS and KSAU role holders. ---------------

KF_KS_KSAU = ["kf.ordforande", "ks.ordforande", "ksau.ledamot"]


def _today() -> str:
    return dt.date.today().isoformat()


@pytest.mark.parametrize("username", KF_KS_KSAU)
def test_b2_kf_ks_and_ksau_cannot_save_a_namnds_distribution_of_its_frame(
        login, client, unit, username):
    before = Fordelning.objects.get(namnd=unit("bun"), budget_year__year=2026).paragraph
    login(username)
    url = f"/budget/fordelning/2026/{unit('bun').pk}/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"version": "0", "adopted_on": _today(), "paragraph": "§ 99"})
    assert response.status_code == 403
    assert Fordelning.objects.get(namnd=unit("bun"), budget_year__year=2026).paragraph == before


def test_b2_the_namnds_own_ordforande_and_ks_for_its_own_area_may_distribute(
        login, client, unit):
    login("bun.ordforande")
    assert client.get(f"/budget/fordelning/2026/{unit('bun').pk}/").status_code == 200
    login("ks.ordforande")
    assert client.get(f"/budget/fordelning/2026/{unit('ks').pk}/").status_code == 200


def _sn_deficit_case() -> Avvikelse:
    return Avvikelse.objects.get(namnd__short_name="SN", kind="underskott", status="oppen")


@pytest.mark.parametrize("username", KF_KS_KSAU)
def test_d3_kf_ks_and_ksau_cannot_record_a_namnds_decision_on_measures(
        login, client, username):
    case = _sn_deficit_case()
    login(username)
    url = f"/avvikelser/{case.pk}/beslut/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"decided_on": _today(), "paragraph": "§ 12",
                                 "text": "Nämnden beslutar om åtgärderna."})
    assert response.status_code == 403
    assert Avvikelse.objects.get(pk=case.pk).decided_on is None


def test_d3_the_namnds_own_ordforande_may_record_its_decision(login, client):
    login("sn.ordforande")
    assert client.get(f"/avvikelser/{_sn_deficit_case().pk}/beslut/").status_code == 200


@pytest.mark.parametrize("username", KF_KS_KSAU)
def test_d5_kf_ks_and_ksau_cannot_record_that_a_namnd_informed_ksau(login, client, username):
    case = _sn_deficit_case()
    login(username)
    url = f"/avvikelser/{case.pk}/ksau/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"on": _today()}).status_code == 403
    assert Avvikelse.objects.get(pk=case.pk).ksau_informed_on is None


def test_d5_the_namnds_own_ordforande_informs_ksau(login, client):
    case = _sn_deficit_case()
    login("sn.ordforande")
    response = client.post(f"/avvikelser/{case.pk}/ksau/", {"on": _today()})
    assert response.status_code == 302
    assert Avvikelse.objects.get(pk=case.pk).ksau_informed_on == dt.date.today()


@pytest.mark.parametrize("username", KF_KS_KSAU)
def test_p2_kf_ks_and_ksau_cannot_approve_a_namnds_report_section(login, client, unit, username):
    sbn = unit("sbn")  # August: SBN's section is submitted and waits for its nämnd
    login(username)
    url = f"/rapporter/2026-aug/{sbn.pk}/beslut/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"decision": "godkann", "decided_on": _today(),
                                 "paragraph": "§ 5"})
    assert response.status_code == 403
    section = Rapportavsnitt.objects.get(period__budget_year__year=2026, period__code="aug",
                                         namnd=sbn)
    assert section.status == SectionStatus.SUBMITTED


def test_p2_the_namnds_own_ordforande_approves_its_section(login, client, unit):
    sbn = unit("sbn")
    login("sbn.ordforande")
    response = client.post(f"/rapporter/2026-aug/{sbn.pk}/beslut/", {
        "decision": "godkann", "decided_on": _today(), "paragraph": "§ 5"})
    assert response.status_code == 302
    section = Rapportavsnitt.objects.get(period__budget_year__year=2026, period__code="aug",
                                         namnd=sbn)
    assert section.status == SectionStatus.APPROVED


@pytest.mark.parametrize("username", KF_KS_KSAU)
def test_p5_kf_ks_and_ksau_cannot_adopt_a_namnds_budgetunderlag(login, client, unit, username):
    sn = unit("sn")
    login(username)
    url = f"/budget/underlag/2027/{sn.pk}/anta/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"version": "0", "adopted_on": _today(), "paragraph": "§ 3"})
    assert response.status_code == 403
    assert Budgetunderlag.objects.get(namnd=sn, budget_year__year=2027).adopted_on is None


def test_p5_the_namnds_own_ordforande_may_adopt_its_budgetunderlag(login, client, unit):
    login("sn.ordforande")
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/anta/").status_code == 200


def _bun_draft_goal() -> Namndmal:
    return Namndmal.objects.filter(namnd__short_name="BUN", status=DecisionStatus.DRAFT).first()


@pytest.mark.parametrize("username", KF_KS_KSAU)
def test_p5_kf_ks_and_ksau_cannot_approve_a_namnds_namndmal(login, client, username):
    goal = _bun_draft_goal()
    login(username)
    url = f"/mal/namndmal/{goal.pk}/anta/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"decided_on": _today(), "paragraph": "§ 7"}).status_code == 403
    assert Namndmal.objects.get(pk=goal.pk).status == DecisionStatus.DRAFT


def test_p5_the_namnds_own_ordforande_may_approve_its_namndmal(login, client):
    login("bun.ordforande")
    assert client.get(f"/mal/namndmal/{_bun_draft_goal().pk}/anta/").status_code == 200


def test_p5_a_namnd_role_held_in_ksau_reaches_ksau_alone_not_ks(municipality):
    chair = User.objects.create(username="ksau.ordforande")
    RoleAssignment.objects.create(user=chair, role=Role.objects.get(code="namndordforande"),
                                  unit=municipality["ksau"], valid_from=dt.date(2026, 10, 15))
    assert can(chair, Action.VIEW, "report_section", municipality["ksau"])
    for key in ("ks", "klf", "bun"):
        assert not can(chair, Action.APPROVE, "report_approval", municipality[key]), key
        assert not can(chair, Action.VIEW, "namndmal", municipality[key]), key
