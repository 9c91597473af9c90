"""G1, G2 and G11 in their less common paths: a vision of another mandate period, copying goals
into a new period, KF's yearly re-affirmation, many övergripande mål, the uppdrag report-back."""

import datetime as dt

import pytest

from goals import services
from goals.models import (
    DecisionStatus,
    Faststallelse,
    Namndmal,
    OvergripandeMal,
    Uppdrag,
    Vision,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, MandatePeriod, User
from styrmodell.versioning import current_version

# --- G1: one vision in force; replaced at a new (or the same) mandate period, never by an
# earlier one.


def _vision(period: MandatePeriod, text: str) -> Vision:
    return Vision.objects.create(mandate_period=period, text=text)


def _in_force_text() -> str:
    return Vision.objects.get(status=DecisionStatus.ADOPTED).text


def test_g1_vision_for_earlier_period_does_not_replace_the_one_in_force(municipality):
    in_force = Vision.objects.get(status=DecisionStatus.ADOPTED)
    earlier = MandatePeriod.objects.create(name="2018–2022", starts_on=dt.date(2018, 10, 15),
                                           ends_on=dt.date(2022, 10, 14))
    old = services.adopt_vision(vision=_vision(earlier, "Ekbacka 2030"),
                                decided_on=dt.date(2027, 3, 1), paragraph="12")
    assert old.decided_on == dt.date(2027, 3, 1) and old.decided_by.short_name == "KF"
    assert old.status == DecisionStatus.REPLACED  # its period's vision, since replaced
    in_force.refresh_from_db()
    assert in_force.status == DecisionStatus.ADOPTED
    assert services.vision_in_force() == in_force


def test_g1_a_second_vision_recorded_for_the_previous_period_leaves_the_current_in_force(
        municipality, login, client):
    previous = MandatePeriod.objects.get(name="2022–2026")
    draft = _vision(previous, "Ekbacka – rättad lydelse")
    login("kommunsekreterare")
    client.post(f"/mal/kf/vision/{draft.pk}/beslut/",
                {"decided_on": "2027-01-20", "paragraph": "3", "case_number": ""})
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.REPLACED
    assert _in_force_text().startswith("Ekbacka 2035")
    tree = client.get("/mal/?ar=2027").content.decode()
    assert "Ekbacka 2035" in tree and "rättad lydelse" not in tree


def test_g1_vision_for_the_same_period_replaces_the_one_in_force(municipality):
    in_force = Vision.objects.get(status=DecisionStatus.ADOPTED)
    same = services.adopt_vision(vision=_vision(in_force.mandate_period, "Omprövad vision"),
                                 decided_on=dt.date(2027, 6, 1), paragraph="40")
    in_force.refresh_from_db()
    assert in_force.status == DecisionStatus.REPLACED
    assert same.status == DecisionStatus.ADOPTED and same.replaces == in_force
    assert _in_force_text() == "Omprövad vision"


def test_g1_vision_for_a_later_period_replaces_the_one_in_force(municipality):
    in_force = Vision.objects.get(status=DecisionStatus.ADOPTED)
    later = MandatePeriod.objects.create(name="2030–2034", starts_on=dt.date(2030, 10, 15),
                                         ends_on=dt.date(2034, 10, 14))
    new = services.adopt_vision(vision=_vision(later, "Ekbacka 2045"),
                                decided_on=dt.date(2030, 11, 25), paragraph="88")
    in_force.refresh_from_db()
    assert in_force.status == DecisionStatus.REPLACED
    assert new.status == DecisionStatus.ADOPTED and new.replaces == in_force
    assert Vision.objects.filter(status=DecisionStatus.ADOPTED).count() == 1


# --- G2: copying last year's goals into the year of a new mandate period.


@pytest.fixture
def periods(municipality):
    return (MandatePeriod.objects.get(name="2022–2026"),
            MandatePeriod.objects.get(name="2026–2030"))


def _adopted_goal(namnd, budget_year, overarching, title):
    goal = services.create_namndmal(
        namnd=namnd, budget_year=budget_year, overgripande_mal=overarching, title=title,
        what="Något blir bättre", how_measured="Enkät", target="80 %",
        by_when=dt.date(budget_year.year, 12, 31)).obj
    return services.adopt_namndmal(goal=goal, decided_on=dt.date(budget_year.year - 1, 12, 10),
                                   paragraph="7")


def _overarching(period, number, title, **extra):
    goal = OvergripandeMal.objects.create(mandate_period=period, number=number, title=title,
                                          **extra)
    return services.adopt_overarching_goal(goal=goal, decided_on=period.starts_on,
                                           paragraph="1")


@pytest.fixture
def new_period(unit, periods):
    """A 2029 goal of SN under the current period, and 2030 opening a new period."""
    current = periods[1]
    y2029 = BudgetYear.objects.create(year=2029, mandate_period=current)
    later = MandatePeriod.objects.create(name="2030–2034", starts_on=dt.date(2030, 10, 15),
                                         ends_on=dt.date(2034, 10, 14))
    y2030 = BudgetYear.objects.create(year=2030, mandate_period=later)
    old = OvergripandeMal.objects.get(mandate_period=current, number=2)
    _adopted_goal(unit("sn"), y2029, old, "Tryggare hemtjänst")
    return {"old": old, "period": later, "year": y2030}


def test_g2_copy_within_the_same_period_keeps_the_overarching_goal(unit, periods):
    y2025, y2026 = BudgetYear.objects.get(year=2025), BudgetYear.objects.get(year=2026)
    old = OvergripandeMal.objects.get(mandate_period=periods[0], number=2)
    _adopted_goal(unit("sn"), y2025, old, "Fler mötesplatser för äldre")
    assert services.copy_last_year(namnd=unit("sn"), budget_year=y2026) == 1
    copy = Namndmal.objects.get(namnd=unit("sn"), budget_year=y2026,
                                title="Fler mötesplatser för äldre")
    assert copy.overgripande_mal == old and copy.status == DecisionStatus.DRAFT


def test_g2_copy_into_a_new_period_with_one_overarching_goal_links_to_it(unit, new_period):
    only = _overarching(new_period["period"], 1, "Ett tryggt Ekbacka")
    assert services.copy_last_year(namnd=unit("sn"), budget_year=new_period["year"]) == 1
    copy = Namndmal.objects.get(namnd=unit("sn"), budget_year=new_period["year"])
    assert copy.overgripande_mal == only


def test_g2_copy_into_a_new_period_with_several_goals_asks_which_and_saves_nothing(
        unit, new_period):
    _overarching(new_period["period"], 1, "Ett tryggt Ekbacka")
    same_title = _overarching(new_period["period"], 2, new_period["old"].title)
    with pytest.raises(services.OverarchingChoiceNeeded) as asked:
        services.copy_last_year(namnd=unit("sn"), budget_year=new_period["year"])
    [choice] = asked.value.choices
    assert choice.old == new_period["old"] and len(choice.candidates) == 2
    assert choice.suggested == same_title
    assert not Namndmal.objects.filter(budget_year=new_period["year"]).exists()


def test_g2_the_answer_links_the_copies_to_the_chosen_goal(unit, new_period):
    chosen = _overarching(new_period["period"], 1, "Ett tryggt Ekbacka")
    _overarching(new_period["period"], 2, "Ett växande Ekbacka")
    copied = services.copy_last_year(namnd=unit("sn"), budget_year=new_period["year"],
                                     links={new_period["old"].pk: chosen})
    assert copied == 1
    assert Namndmal.objects.get(budget_year=new_period["year"]).overgripande_mal == chosen


def test_g2_an_answer_outside_the_new_period_is_refused(unit, new_period, periods):
    _overarching(new_period["period"], 1, "Ett tryggt Ekbacka")
    _overarching(new_period["period"], 2, "Ett växande Ekbacka")
    with pytest.raises(DomainError, match="antagit för mandatperioden"):
        services.copy_last_year(namnd=unit("sn"), budget_year=new_period["year"],
                                links={new_period["old"].pk: new_period["old"]})
    assert not Namndmal.objects.filter(budget_year=new_period["year"]).exists()


def test_g2_a_goal_kf_decided_replaces_the_old_one_needs_no_question(unit, new_period):
    _overarching(new_period["period"], 1, "Ett tryggt Ekbacka")
    successor = _overarching(new_period["period"], 2, "Omsorg med kvalitet",
                             replaces=new_period["old"])
    services.copy_last_year(namnd=unit("sn"), budget_year=new_period["year"])
    assert Namndmal.objects.get(budget_year=new_period["year"]).overgripande_mal == successor


def test_g2_copy_into_a_new_period_without_overarching_goals_is_refused(unit, new_period):
    with pytest.raises(DomainError, match="inte antagit några övergripande mål"):
        services.copy_last_year(namnd=unit("sn"), budget_year=new_period["year"])
    assert not Namndmal.objects.filter(budget_year=new_period["year"]).exists()


def test_g2_the_copy_question_on_the_page_and_the_copies_in_the_goal_tree(login, client, unit,
                                                                          periods):
    old = OvergripandeMal.objects.get(mandate_period=periods[0], number=2)
    new = OvergripandeMal.objects.get(mandate_period=periods[1], number=2)
    login("sn.ordforande")
    url = f"/mal/namnd/{unit('sn').pk}/2027/kopiera/"
    page = client.post(url).content.decode()
    assert f'<label for="id_link_{old.pk}">' in page  # a labelled choice per old goal
    assert f'<option value="{new.pk}" selected>' in page  # the same title is suggested
    assert not Namndmal.objects.filter(namnd=unit("sn"), budget_year__year=2027).exists()
    response = client.post(url, {"choose": "1", f"link_{old.pk}": new.pk})
    assert response.status_code == 302
    tree = client.get(f"/mal/?ar=2027&namnd={unit('sn').pk}").content.decode()
    assert "Hemtjänsten ger kontinuitet" in tree  # under the new period's goal, not lost
    listing = client.get(f"/mal/namnd/{unit('sn').pk}/2027/").content.decode()
    assert "mandatperioden 2022–2026" not in listing


def test_g2_the_demo_2027_drafts_fall_under_the_new_periods_goals(login, client, unit, periods):
    drafts = Namndmal.objects.filter(namnd=unit("bun"), budget_year__year=2027)
    assert drafts.exists()
    assert {g.overgripande_mal.mandate_period for g in drafts} == {periods[1]}
    login("bun.ordforande")
    tree = client.get(f"/mal/?ar=2027&namnd={unit('bun').pk}").content.decode()
    for draft in drafts:
        assert draft.title in tree


# --- G2: fastställt for a year only by KF's decision with that year's budget.


@pytest.fixture
def y2028(periods):
    return BudgetYear.objects.create(year=2028, mandate_period=periods[1])


def test_g2_a_goal_is_not_faststallt_for_a_year_kf_has_not_decided(login, client, periods,
                                                                   y2028):
    goal = OvergripandeMal.objects.create(mandate_period=periods[1], number=5,
                                          title="Attraktiv arbetsgivare")
    login("kommunsekreterare")
    client.post(f"/mal/kf/overgripande/{goal.pk}/beslut/", {
        "decided_on": "2026-11-23", "paragraph": "99",
        "budget_year": BudgetYear.objects.get(year=2027).pk})
    goal.refresh_from_db()
    assert goal.status == DecisionStatus.ADOPTED
    assert list(goal.affirmed_for.values_list("year", flat=True)) == [2027]
    assert not OvergripandeMal.objects.filter(affirmed_for=y2028).exists()
    page = client.get("/mal/kf/?ar=2028").content.decode()
    assert "inte fastställt för 2028" in page
    assert "/mal/kf/faststall/2028/" in page


def test_g2_kf_reaffirms_the_goals_for_the_year_once_recorded_by_its_decision(
        login, client, y2028):
    login("kommunsekreterare")
    response = client.post("/mal/kf/faststall/2028/", {
        "decided_on": "2027-11-22", "paragraph": "131", "case_number": "KS 2027/280"})
    assert response.status_code == 302
    affirmation = Faststallelse.objects.get(budget_year=y2028)
    assert affirmation.decision_reference.endswith("§ 131, dnr KS 2027/280")
    assert OvergripandeMal.objects.filter(affirmed_for=y2028).count() == 4
    again = client.post("/mal/kf/faststall/2028/", {"decided_on": "2027-12-01",
                                                    "paragraph": "140"})
    assert "redan registrerat" in again.content.decode()
    assert Faststallelse.objects.filter(budget_year=y2028).count() == 1
    page = client.get("/mal/kf/?ar=2028").content.decode()
    assert "inte fastställt för 2028" not in page and "§ 131" in page


def test_g2_only_the_recorder_of_kfs_decisions_records_the_reaffirmation(login, client, y2028):
    for username in ("ks.ordforande", "ekonomichef", "bun.ordforande"):
        login(username)
        assert client.get("/mal/kf/faststall/2028/").status_code == 403
        assert client.post("/mal/kf/faststall/2028/", {
            "decided_on": "2027-11-22", "paragraph": "1"}).status_code == 403
    assert not Faststallelse.objects.filter(budget_year=y2028).exists()


def test_g2_a_budget_year_of_another_period_is_refused_and_nothing_adopted(periods):
    goal = OvergripandeMal.objects.create(mandate_period=periods[1], number=5, title="Nytt")
    with pytest.raises(DomainError, match="hör inte till mandatperioden"):
        services.adopt_overarching_goal(goal=goal, decided_on=dt.date(2026, 11, 23),
                                        paragraph="1",
                                        budget_year=BudgetYear.objects.get(year=2026))
    goal.refresh_from_db()
    assert goal.status == DecisionStatus.DRAFT and not goal.affirmed_for.exists()


def _propose(client, period, number):
    return client.post("/mal/kf/ny/overgripande/", {
        "mandate_period": period.pk, "number": str(number), "title": f"Mål nummer {number}",
        "description": ""}, follow=True).content.decode()


def test_g2_a_fifth_overarching_goal_gives_no_warning_a_sixth_does(login, client, periods):
    login("ks.ordforande")
    fifth = _propose(client, periods[1], 5)
    assert "begränsade till antalet" not in fifth
    sixth = _propose(client, periods[1], 6)
    assert "har nu 6 övergripande mål" in sixth and "begränsade till antalet" in sixth
    assert OvergripandeMal.objects.filter(title="Mål nummer 6").exists()  # "bör": saved


def test_g2_a_goal_that_replaces_another_does_not_count_twice(periods):
    for number in (5,):
        _overarching(periods[1], number, f"Mål {number}")
    replaced = OvergripandeMal.objects.get(mandate_period=periods[1], number=1)
    successor = OvergripandeMal.objects.create(mandate_period=periods[1], number=6,
                                               title="Ersättare", replaces=replaced)
    assert services.overarching_count_warning(goal=successor) is None
    extra = OvergripandeMal.objects.create(mandate_period=periods[1], number=7, title="Extra")
    assert "har nu 6" in services.overarching_count_warning(goal=extra)


# --- G11: the nämnd's report-back on KF's uppdrag.


@pytest.fixture
def bun_uppdrag(unit):
    return Uppdrag.objects.get(namnd=unit("bun"), budget_year__year=2026)


def _report_url(uppdrag):
    return f"/mal/uppdrag/{uppdrag.pk}/aterrapport/"


def _report(client, uppdrag, text="Utredningen är klar och redovisad för nämnden.",
            completed=True):
    data = {"version": current_version(uppdrag), "report": text}
    if completed:
        data["completed"] = "on"
    return client.post(_report_url(uppdrag), data)


def test_g11_the_namnds_forvaltningschef_writes_the_report_back(login, client, bun_uppdrag):
    chief = login("bun.forvaltningschef")
    assert client.get(_report_url(bun_uppdrag)).status_code == 200
    assert _report(client, bun_uppdrag).status_code == 302
    bun_uppdrag.refresh_from_db()
    assert bun_uppdrag.completed and bun_uppdrag.report.startswith("Utredningen är klar")
    assert bun_uppdrag.reported_by == chief and bun_uppdrag.reported_at is not None
    page = client.get(f"/mal/uppdrag/{bun_uppdrag.pk}/").content.decode()
    assert "Utredningen är klar" in page and "Uppdraget är genomfört." in page


def test_g11_another_namnds_forvaltningschef_is_refused(login, client, bun_uppdrag):
    login("sn.forvaltningschef")
    assert client.get(_report_url(bun_uppdrag)).status_code == 403
    assert _report(client, bun_uppdrag).status_code == 403
    bun_uppdrag.refresh_from_db()
    assert bun_uppdrag.report == "" and not bun_uppdrag.completed


@pytest.mark.parametrize("username", ["bun.ordforande", "bun.ledamot", "kommunsekreterare",
                                      "ks.ordforande", "revisor"])
def test_g11_politicians_and_others_read_but_do_not_write_the_report_back(
        login, client, bun_uppdrag, username):
    login(username)
    assert _report(client, bun_uppdrag).status_code == 403
    bun_uppdrag.refresh_from_db()
    assert bun_uppdrag.report == ""
    page = client.get(f"/mal/uppdrag/{bun_uppdrag.pk}/").content.decode()
    assert "Nämndens återrapport" in page and _report_url(bun_uppdrag) not in page


def test_g11_the_namnds_politicians_comment_in_the_uppdrags_thread(login, client, bun_uppdrag):
    login("bun.ordforande")
    client.post(f"/dialog/goals.uppdrag/{bun_uppdrag.pk}/", {"body": "Hur går utredningen?"})
    login("bun.forvaltningschef")
    page = client.get(f"/mal/uppdrag/{bun_uppdrag.pk}/").content.decode()
    assert "Hur går utredningen?" in page


def test_g11_an_empty_report_and_a_stale_form_are_refused(login, client, bun_uppdrag):
    login("bun.forvaltningschef")
    empty = client.post(_report_url(bun_uppdrag), {"version": current_version(bun_uppdrag),
                                                   "report": "  "})
    assert empty.status_code == 200
    stale = current_version(bun_uppdrag)
    services.report_on_uppdrag(uppdrag=bun_uppdrag, report="Första", completed=False,
                               author=User.objects.get(username="bun.forvaltningschef"),
                               version=stale)
    again = client.post(_report_url(bun_uppdrag), {"version": stale, "report": "Andra"})
    assert "Någon annan har ändrat" in again.content.decode()
    bun_uppdrag.refresh_from_db()
    assert bun_uppdrag.report == "Första"


def test_g11_a_draft_uppdrag_is_not_reported_on(unit):
    draft = Uppdrag.objects.create(namnd=unit("bun"), budget_year=BudgetYear.objects.get(
        year=2027), title="Förslag till uppdrag")
    with pytest.raises(DomainError, match="KF har beslutat"):
        services.report_on_uppdrag(uppdrag=draft, report="Klart", completed=True,
                                   author=User.objects.get(username="bun.forvaltningschef"),
                                   version=current_version(draft))


def test_g11_the_namnds_goal_page_lists_its_uppdrag_with_the_report_link(login, client, unit,
                                                                         bun_uppdrag):
    login("bun.forvaltningschef")
    page = client.get(f"/mal/namnd/{unit('bun').pk}/2026/").content.decode()
    assert bun_uppdrag.title in page and _report_url(bun_uppdrag) in page
    login("bun.ordforande")
    page = client.get(f"/mal/namnd/{unit('bun').pk}/2026/").content.decode()
    assert bun_uppdrag.title in page and _report_url(bun_uppdrag) not in page


def test_g11_the_kf_page_asks_no_query_per_uppdrag(login, client, unit,
                                                   django_assert_max_num_queries):
    year = BudgetYear.objects.get(year=2026)
    login("bun.forvaltningschef")
    with django_assert_max_num_queries(40) as few:
        client.get("/mal/kf/?ar=2026")
    for number in range(12):
        Uppdrag.objects.create(namnd=unit("sn" if number % 2 else "kfn"), budget_year=year,
                               title=f"Uppdrag {number}", status="antaget",
                               decided_on=dt.date(2025, 11, 24), paragraph="9")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/mal/kf/?ar=2026").content.decode()
    assert "Uppdrag 11" in page


def test_g2_seeding_again_relinks_drafts_copied_under_the_old_period(unit, periods):
    """A demo seeded before the fix kept 2027's drafts under 2022–2026's goals."""
    from goals import demo as goals_demo

    draft = Namndmal.objects.filter(namnd=unit("bun"), budget_year__year=2027).first()
    number = draft.overgripande_mal.number
    old = OvergripandeMal.objects.get(mandate_period=periods[0], number=number)
    Namndmal.objects.filter(pk=draft.pk).update(overgripande_mal=old)
    goals_demo.seed()
    goals_demo.seed()
    draft.refresh_from_db()
    assert draft.overgripande_mal == OvergripandeMal.objects.get(mandate_period=periods[1],
                                                                 number=number)
    adopted = Namndmal.objects.filter(budget_year__year=2026, status=DecisionStatus.ADOPTED,
                                      overgripande_mal__isnull=False)
    assert {g.overgripande_mal.mandate_period for g in adopted} == {periods[0]}
