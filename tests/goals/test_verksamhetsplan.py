"""The verksamhetsplan of a nämnd (G7): rows per nämndmål, adoption, locking and permissions."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from goals import plans
from goals.models import DecisionStatus, Namndmal, Verksamhetsplan, VerksamhetsplanRad
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear
from styrmodell.versioning import STALE_MESSAGE, current_version

YEAR = 2027
ROW = {"method": "Läsfrämjande arbete i alla klasser.", "styrtal": "Andel elever med "
       "godtagbar läsförmåga", "follow_up": "Kartläggning i mars och oktober.",
       "reached_when": "Minst 85 % läser med godtagbar förmåga."}


@pytest.fixture
def bun(municipality):
    return municipality["bun"]


@pytest.fixture
def year(municipality):
    return BudgetYear.objects.get(year=YEAR)


def _goal(namnd, budget_year, title, **extra):
    return Namndmal.objects.create(
        namnd=namnd, budget_year=budget_year, title=title, what="Fler elever läser bra.",
        how_measured="Kartläggning", target="85 %", by_when=dt.date(budget_year.year, 12, 31),
        **extra,
    )


@pytest.fixture
def goals(bun, year):
    """Two nämndmål of BUN for the year, besides any the demo copied."""
    return [_goal(bun, year, "Ökad läsförmåga i åk 3 (test)"),
            _goal(bun, year, "Tryggare skolmiljö (test)")]


@pytest.fixture
def plan(bun, year, goals):
    return plans.create_plan(namnd=bun, budget_year=year, introduction="Så arbetar vi.",
                             dialogue_goals=[goals[1]], dialogue_with="KS och socialnämnden")


def _fill(plan):
    for goal in plans.plan_goals(plan.namnd, plan.budget_year):
        if not VerksamhetsplanRad.objects.filter(namndmal=goal).exists():
            plans.save_row(plan=plan, namndmal=goal, version="0", **ROW)


def _url(name, namnd, *args):
    return reverse(f"goals:{name}", args=[namnd.pk, YEAR, *args])


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_g7_page_shows_every_namndmal_with_its_row_and_the_dialogue_goals(login, client, bun,
                                                                          goals, plan):
    plans.save_row(plan=plan, namndmal=goals[0], version="0", **ROW)
    login("bun.ledamot")
    html = client.get(_url("verksamhetsplan", bun)).content.decode()
    assert f"Verksamhetsplan {YEAR}" in html
    for goal in goals:
        assert goal.title in html
    for text in ROW.values():
        assert text in html
    assert "Raden är inte skriven ännu." in html  # the second goal has no row yet
    assert "Mål nämnden vill ha dialog om med KS och andra nämnder" in html
    assert "KS och socialnämnden" in html
    assert "Ej antagen" in html
    assert "Utskrift" in html  # the print header


def test_g7_forvaltningschef_creates_the_plan_and_writes_a_row(login, client, bun, goals):
    login("bun.forvaltningschef")
    page = client.get(_url("verksamhetsplan", bun)).content.decode()
    assert "Skapa verksamhetsplan" in page
    response = client.post(_url("verksamhetsplan_create", bun), {
        "introduction": "Inledning", "dialogue_goals": [goals[0].pk], "dialogue_with": "KS"})
    assert response.status_code == 302
    plan = Verksamhetsplan.objects.get(namnd=bun, budget_year__year=YEAR)
    assert list(plan.dialogue_goals.all()) == [goals[0]]

    response = client.post(_url("verksamhetsplan_row", bun, goals[0].pk),
                           {**ROW, "version": "0"})
    assert response.status_code == 302
    row = VerksamhetsplanRad.objects.get(namndmal=goals[0])
    assert row.plan == plan and row.method == ROW["method"]


def test_g7_a_row_needs_method_follow_up_and_when_it_is_reached(plan, goals):
    with pytest.raises(DomainError, match="hur målet följs upp"):
        plans.save_row(plan=plan, namndmal=goals[0], version="0",
                       **{**ROW, "follow_up": "  "})
    assert not VerksamhetsplanRad.objects.filter(namndmal=goals[0]).exists()


def test_g7_row_edit_against_a_stale_version_is_refused(login, client, bun, plan, goals):
    row = plans.save_row(plan=plan, namndmal=goals[0], version="0", **ROW)
    old = current_version(row)
    login("bun.forvaltningschef")
    url = _url("verksamhetsplan_row", bun, goals[0].pk)
    assert client.post(url, {**ROW, "method": "Ny metod", "version": old}).status_code == 302
    response = client.post(url, {**ROW, "method": "Skriver över", "version": old})
    assert STALE_MESSAGE in response.content.decode()
    row.refresh_from_db()
    assert row.method == "Ny metod"
    # Two people starting the same new row: the second is refused too.
    with pytest.raises(DomainError):
        plans.save_row(plan=plan, namndmal=goals[1], version="17", **ROW)


def test_g7_adoption_needs_a_row_for_every_namndmal(plan, goals):
    plans.save_row(plan=plan, namndmal=goals[0], version="0", **ROW)
    with pytest.raises(DomainError, match="Tryggare skolmiljö"):
        plans.adopt_plan(plan=plan, adopted_on=dt.date(2026, 11, 20), paragraph="12")
    plan.refresh_from_db()
    assert plan.adopted_on is None


def test_g7_adoption_by_the_chair_locks_the_rows(login, client, bun, plan, goals):
    _fill(plan)
    login("bun.ordforande")
    response = client.post(_url("verksamhetsplan_adopt", bun),
                           {"adopted_on": "2026-11-20", "paragraph": "§ 142"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.adopted_on == dt.date(2026, 11, 20) and plan.paragraph == "142"
    html = client.get(_url("verksamhetsplan", bun)).content.decode()
    assert "Antagen 20 november 2026, § 142" in html

    login("bun.forvaltningschef")
    url = _url("verksamhetsplan_row", bun, goals[0].pk)
    response = client.post(url, {**ROW, "method": "Efter beslutet", "version": "0"})
    assert response.status_code == 302 and "låst" in _messages(response)
    assert VerksamhetsplanRad.objects.get(namndmal=goals[0]).method == ROW["method"]
    assert "Ändra raden" not in client.get(_url("verksamhetsplan", bun)).content.decode()
    with pytest.raises(DomainError, match="låst"):
        plans.save_row(plan=plan, namndmal=goals[0],
                       version=current_version(VerksamhetsplanRad.objects.get(
                           namndmal=goals[0])), **ROW)
    with pytest.raises(DomainError, match="låst"):
        plans.update_plan(plan=plan, version=current_version(plan), introduction="Ny")


def test_g7_secretary_records_adoption_after_december_with_a_warning(login, client, bun,
                                                                     municipality):
    year = BudgetYear.objects.get(year=2026)
    goal = _goal(bun, year, "Sent antagen plan (test)")
    late = Verksamhetsplan.objects.filter(namnd=bun, budget_year=year).first()
    if late is not None:  # the demo may already have adopted BUN's plan for 2026
        Verksamhetsplan.objects.filter(pk=late.pk).update(adopted_on=None, paragraph="")
    else:
        late = plans.create_plan(namnd=bun, budget_year=year)
    _fill(late)
    assert goal.plan_row.plan == late
    login("bun.sekreterare")
    response = client.post(reverse("goals:verksamhetsplan_adopt", args=[bun.pk, 2026]),
                           {"adopted_on": "2026-02-10", "paragraph": "9"})
    assert response.status_code == 302
    assert "ska antas senast i december året före" in _messages(response)


def test_g7_not_adopted_after_december_is_warned(login, client, municipality):
    assert plans.adoption_overdue(None, 2027, today=dt.date(2026, 12, 31)) is False
    assert plans.adoption_overdue(None, 2027, today=dt.date(2027, 1, 1)) is True
    adopted = Verksamhetsplan(adopted_on=dt.date(2026, 12, 10))
    assert plans.adoption_overdue(adopted, 2027, today=dt.date(2027, 3, 1)) is False

    sn = municipality["sn"]
    Verksamhetsplan.objects.filter(namnd=sn, budget_year__year=2026).update(adopted_on=None)
    login("sn.forvaltningschef")
    html = client.get(reverse("goals:verksamhetsplan", args=[sn.pk, 2026])).content.decode()
    assert "Verksamhetsplanen är inte antagen" in html
    assert "ska antas senast i december" in html
    assert "31 december 2025" in html


def test_g7_replaced_goals_are_not_part_of_the_plan(bun, year, goals):
    old = _goal(bun, year, "Ersatt mål (test)", status=DecisionStatus.REPLACED)
    assert old not in plans.plan_goals(bun, year)


def test_g7_list_of_plans_shows_status_per_namnd_and_year(login, client, bun, plan):
    login("revisor")
    html = client.get(reverse("goals:verksamhetsplan_list")).content.decode()
    assert "Barn- och utbildningsnämnden" in html and "Socialnämnden" in html
    assert f'href="/mal/verksamhetsplan/{bun.pk}/{YEAR}/"' in html


# --- permissions --------------------------------------------------------------------------


def test_politician_cannot_edit_a_row(login, client, bun, plan, goals):
    login("bun.ordforande")
    url = _url("verksamhetsplan_row", bun, goals[0].pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {**ROW, "version": "0"}).status_code == 403
    assert not VerksamhetsplanRad.objects.filter(namndmal=goals[0]).exists()
    assert client.get(_url("verksamhetsplan_edit", bun)).status_code == 403


def test_forvaltningschef_of_sn_cannot_edit_bun_plan(login, client, bun, plan, goals):
    login("sn.forvaltningschef")
    url = _url("verksamhetsplan_row", bun, goals[0].pk)
    assert client.post(url, {**ROW, "version": "0"}).status_code == 403
    assert client.get(_url("verksamhetsplan_edit", bun)).status_code == 403
    assert client.get(_url("verksamhetsplan_adopt", bun)).status_code == 403
    assert not VerksamhetsplanRad.objects.filter(namndmal=goals[0]).exists()


def test_forvaltningschef_cannot_adopt_the_plan(login, client, bun, plan):
    _fill(plan)
    login("bun.forvaltningschef")
    response = client.post(_url("verksamhetsplan_adopt", bun),
                           {"adopted_on": "2026-11-20", "paragraph": "1"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.adopted_on is None


def test_revisor_reads_the_plan_but_cannot_write(login, client, municipality, bun, plan, goals):
    login("revisor")
    assert client.get(_url("verksamhetsplan", bun)).status_code == 200
    for url in (_url("verksamhetsplan_row", bun, goals[0].pk), _url("verksamhetsplan_edit", bun),
                _url("verksamhetsplan_adopt", bun),
                reverse("goals:verksamhetsplan_create", args=[municipality["sbn"].pk, YEAR])):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {**ROW, "version": "0"}).status_code == 403, url
