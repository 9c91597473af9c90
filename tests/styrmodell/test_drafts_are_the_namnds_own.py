"""Drafts are the nämnd's own (P5): other nämnder and KF read a nämnd's report section,
nämndmål, verksamhetsplan and budgetunderlag once the nämnd has approved or adopted it, on the
detail pages and in the lists (restricted in the query); revisorer and the kommunövergripande
officials read everything."""

import pytest

from goals import services as goal_services
from goals.models import DecisionStatus, Namndmal
from goals.selectors import visible_namndmal
from styrmodell.models import BudgetYear, User

OTHERS = ["sn.ordforande", "kf.ordforande", "ks.ordforande", "ksau.ledamot"]
READ_EVERYTHING = ["revisor", "ekonomichef", "kommundirektor"]


def _section_url(code: str, namnd) -> str:
    return f"/rapporter/2026-{code}/{namnd.pk}/"


# --- report sections ---------------------------------------------------------------------


@pytest.mark.parametrize("username", OTHERS)
def test_p5_a_report_section_its_namnd_has_not_approved_is_not_read_by_others(
        login, client, unit, username):
    login(username)
    bun = unit("bun")  # October: BUN's section is a draft
    assert client.get(_section_url("okt", bun)).status_code == 403
    assert client.get(f"{_section_url('okt', bun)}andringar/").status_code == 403
    assert client.post(f"{_section_url('okt', bun)}pdf/").status_code == 403
    # August: SBN's section is submitted to its nämnd but not approved yet.
    assert client.get(_section_url("aug", unit("sbn"))).status_code == 403


@pytest.mark.parametrize("username", OTHERS)
def test_p5_a_section_its_namnd_has_approved_is_read_by_everyone(login, client, unit, username):
    login(username)
    assert client.get(_section_url("aug", unit("bun"))).status_code == 200


@pytest.mark.parametrize("username", [*READ_EVERYTHING, "bun.forvaltningschef",
                                      "bun.ledamot"])
def test_p5_the_namnd_and_those_who_read_everything_read_its_draft_section(
        login, client, unit, username):
    login(username)
    assert client.get(_section_url("okt", unit("bun"))).status_code == 200


def test_p5_the_report_list_links_another_namnds_section_only_once_approved(
        login, client, unit):
    login("sn.ordforande")
    page = client.get("/rapporter/").content.decode()
    assert f'href="{_section_url("aug", unit("bun"))}"' in page
    assert f'href="{_section_url("okt", unit("bun"))}"' not in page
    assert f'href="{_section_url("okt", unit("sn"))}"' in page


def test_p5_the_compiled_report_shows_another_namnds_section_only_once_approved(
        login, client, unit):
    login("sn.ordforande")
    october = client.get("/rapporter/2026-okt/").content.decode()
    assert f'href="{_section_url("okt", unit("bun"))}"' not in october
    assert f'href="{_section_url("okt", unit("sn"))}"' in october
    august = client.get("/rapporter/2026-aug/").content.decode()
    assert f'href="{_section_url("aug", unit("bun"))}"' in august
    assert f'href="{_section_url("aug", unit("sbn"))}"' not in august
    login("ekonomichef")
    assert f'href="{_section_url("okt", unit("bun"))}"' in client.get(
        "/rapporter/2026-okt/").content.decode()


# --- nämndmål ------------------------------------------------------------------------------


def _sn_drafts(unit) -> list[Namndmal]:
    year = BudgetYear.objects.get(year=2027)
    # 2027 opens a new mandate period: each copy goes under the suggested övergripande mål (G2).
    links = {choice.old.pk: choice.suggested
             for choice in goal_services.copy_choices(namnd=unit("sn"), budget_year=year)}
    goal_services.copy_last_year(namnd=unit("sn"), budget_year=year, links=links)
    return list(Namndmal.objects.filter(namnd=unit("sn"), status=DecisionStatus.DRAFT))


def test_p5_a_kf_seat_does_not_let_a_namnds_ordforande_read_another_namnds_draft_goals(
        login, client, unit):
    drafts = _sn_drafts(unit)
    assert drafts
    login("bun.ordforande")  # BUN's ordförande, who also sits in KF
    for goal in drafts:
        assert client.get(f"/mal/namndmal/{goal.pk}/").status_code == 403
    page = client.get(f"/mal/namnd/{unit('sn').pk}/2027/").content.decode()
    assert all(f'href="/mal/namndmal/{goal.pk}/"' not in page for goal in drafts)


def test_p5_draft_goals_are_left_out_of_the_list_query_not_row_by_row(
        unit, django_assert_num_queries):
    drafts = _sn_drafts(unit)
    user = User.objects.get(username="bun.ordforande")
    visible = visible_namndmal(user).filter(namnd=unit("sn"))
    with django_assert_num_queries(1):
        shown = set(visible.values_list("pk", flat=True))
    assert shown.isdisjoint(goal.pk for goal in drafts)
    assert Namndmal.objects.filter(namnd=unit("sn"), status=DecisionStatus.ADOPTED).exists()
    assert shown == set(Namndmal.objects.filter(namnd=unit("sn"), status=DecisionStatus.ADOPTED)
                        .values_list("pk", flat=True))


@pytest.mark.parametrize("username", ["sn.ordforande", *READ_EVERYTHING])
def test_p5_adopted_goals_are_read_by_everyone_drafts_by_the_namnd_and_officials(
        login, client, unit, username):
    bun = unit("bun")
    draft = Namndmal.objects.filter(namnd=bun, status=DecisionStatus.DRAFT).first()
    adopted = Namndmal.objects.filter(namnd=bun, status=DecisionStatus.ADOPTED).first()
    login(username)
    assert client.get(f"/mal/namndmal/{adopted.pk}/").status_code == 200
    expected = 403 if username == "sn.ordforande" else 200
    assert client.get(f"/mal/namndmal/{draft.pk}/").status_code == expected


# --- verksamhetsplan -----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["bun.ordforande", "kf.ordforande", "ks.ordforande"])
def test_p5_another_namnds_unadopted_verksamhetsplan_is_not_read(login, client, unit, username):
    login(username)
    assert client.get(f"/mal/verksamhetsplan/{unit('sn').pk}/2026/").status_code == 403
    page = client.get("/mal/verksamhetsplan/").content.decode()
    assert f'href="/mal/verksamhetsplan/{unit("sn").pk}/2026/"' not in page


@pytest.mark.parametrize("username", ["sn.ordforande", "kf.ordforande", "ks.ordforande"])
def test_p5_an_adopted_verksamhetsplan_is_read_by_everyone(login, client, unit, username):
    login(username)
    assert client.get(f"/mal/verksamhetsplan/{unit('bun').pk}/2026/").status_code == 200
    page = client.get("/mal/verksamhetsplan/").content.decode()
    assert f'href="/mal/verksamhetsplan/{unit("bun").pk}/2026/"' in page


@pytest.mark.parametrize("username", ["sn.ordforande", "sn.forvaltningschef", *READ_EVERYTHING])
def test_p5_the_namnd_and_those_who_read_everything_read_its_unadopted_plan(
        login, client, unit, username):
    login(username)
    assert client.get(f"/mal/verksamhetsplan/{unit('sn').pk}/2026/").status_code == 200


# --- budgetunderlag ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["bun.ordforande", "kf.ordforande", "ks.ordforande",
                                      "ksau.ledamot"])
def test_p5_another_namnds_unadopted_budgetunderlag_is_not_read(login, client, unit, username):
    login(username)
    sn = unit("sn")
    assert client.get(f"/budget/underlag/2027/{sn.pk}/").status_code == 403
    page = client.get("/budget/underlag/2027/").content.decode()
    assert f'href="/budget/underlag/2027/{sn.pk}/"' not in page


@pytest.mark.parametrize("username", ["sn.ordforande", "ks.ordforande", "ksau.ledamot"])
def test_p5_an_adopted_budgetunderlag_is_read_by_everyone(login, client, unit, username):
    login(username)
    bun = unit("bun")
    assert client.get(f"/budget/underlag/2027/{bun.pk}/").status_code == 200
    page = client.get("/budget/underlag/2027/").content.decode()
    assert f'href="/budget/underlag/2027/{bun.pk}/"' in page


@pytest.mark.parametrize("username", ["sn.ordforande", *READ_EVERYTHING])
def test_p5_the_namnd_and_those_who_read_everything_read_its_draft_budgetunderlag(
        login, client, unit, username):
    login(username)
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/").status_code == 200
