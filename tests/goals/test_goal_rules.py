"""The goal rules G1-G11 and the assessment rules A3-A7, each named by its id."""

import datetime as dt

import pytest

from goals import services
from goals.models import (
    DecisionStatus,
    Enhetsmal,
    Level,
    Malbedomning,
    Namndmal,
    OvergripandeMal,
    ReportPeriod,
    Vision,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, MandatePeriod, User


@pytest.fixture
def year2026(municipality):
    return BudgetYear.objects.get(year=2026)


@pytest.fixture
def barn_och_unga(municipality):
    return OvergripandeMal.objects.get(mandate_period__name="2022–2026", number=1)


def _goal(namnd, budget_year, overarching, **overrides):
    fields = dict(namnd=namnd, budget_year=budget_year, overgripande_mal=overarching,
                  title="Nytt mål", what="Fler elever läser", how_measured="Enkät",
                  target="80 %", by_when=dt.date(budget_year.year, 12, 31))
    fields.update(overrides)
    return services.create_namndmal(**fields)


def test_g1_one_vision_in_force_and_a_new_decision_replaces_the_old(municipality):
    current = MandatePeriod.objects.get(name="2026–2030")
    in_force = Vision.objects.get(status=DecisionStatus.ADOPTED)
    newer = Vision.objects.create(mandate_period=current, text="En ny vision")
    services.adopt_vision(vision=newer, decided_on=dt.date(2027, 6, 1), paragraph="5")
    in_force.refresh_from_db()
    assert in_force.status == DecisionStatus.REPLACED
    assert Vision.objects.filter(status=DecisionStatus.ADOPTED).get().text == "En ny vision"
    assert Vision.objects.get(text="En ny vision").replaces == in_force


def test_g1_an_adopted_vision_cannot_be_adopted_again(municipality):
    vision = Vision.objects.get(status=DecisionStatus.ADOPTED)
    with pytest.raises(DomainError, match="låst"):
        services.adopt_vision(vision=vision, decided_on=dt.date(2027, 1, 1), paragraph="1")


def test_g2_overarching_goals_are_reaffirmed_for_each_budget_year(municipality):
    year = BudgetYear.objects.create(year=2028, mandate_period=MandatePeriod.objects.get(
        name="2026–2030"))
    assert not OvergripandeMal.objects.filter(affirmed_for=year).exists()
    affirmation = services.affirm_overarching_goals(budget_year=year,
                                                    decided_on=dt.date(2027, 11, 22),
                                                    paragraph="130")
    assert affirmation.decided_by.short_name == "KF"
    assert OvergripandeMal.objects.filter(affirmed_for=year).count() == 4


def test_g5_a_namndmal_must_say_what_how_target_and_when(unit, year2026, barn_och_unga):
    with pytest.raises(DomainError, match="hur det mäts"):
        _goal(unit("bun"), year2026, barn_och_unga, how_measured=" ")
    with pytest.raises(DomainError, match="ett datum under 2026"):
        _goal(unit("bun"), year2026, barn_och_unga, by_when=dt.date(2027, 3, 1))
    with pytest.raises(DomainError, match="övergripande mål"):
        _goal(unit("bun"), year2026, None)
    assert not Namndmal.objects.filter(title="Nytt mål").exists()


def test_g5_the_form_shows_the_message_and_saves_nothing(login, client, unit, barn_och_unga):
    login("bun.ordforande")
    response = client.post(f"/mal/namnd/{unit('bun').pk}/2026/nytt/", {
        "overgripande_mal": barn_och_unga.pk, "title": "Mål utan mätning", "what": "Något",
        "how_measured": "", "target": "10", "by_when": "2026-12-31"})
    assert response.status_code == 200
    assert "Hur mäts det?" in response.content.decode()
    assert not Namndmal.objects.filter(title="Mål utan mätning").exists()


def test_g6_a_fourth_goal_under_one_overarching_goal_warns_but_is_saved(unit, year2026,
                                                                        barn_och_unga):
    saved = _goal(unit("bun"), year2026, barn_och_unga, title="Fjärde målet")
    assert Namndmal.objects.filter(title="Fjärde målet").exists()
    assert saved.warnings and "högst 3" in saved.warnings[0]


def test_g6_the_third_goal_gives_no_warning(unit, year2026):
    hallbart = OvergripandeMal.objects.get(mandate_period__name="2022–2026", number=3)
    assert _goal(unit("sbn"), year2026, hallbart, title="Tredje").warnings == []


def test_g8_an_own_goal_needs_no_overarching_goal(unit, year2026):
    saved = _goal(unit("kfn"), year2026, None, title="Nämndens eget", own_goal=True)
    assert saved.obj.own_goal and saved.obj.overgripande_mal is None


def test_g4_a_goal_kf_sets_at_namnd_level_is_adopted_by_kf(unit, year2026, barn_och_unga):
    goal = _goal(unit("bun"), year2026, barn_och_unga, title="KF:s mål", set_by_kf=True).obj
    goal = services.adopt_namndmal(goal=goal, decided_on=dt.date(2025, 11, 20), paragraph="9")
    assert goal.decided_by == unit("kf")


def test_g4_only_kf_recorder_may_mark_a_goal_as_set_by_kf(login, client, unit, barn_och_unga):
    login("bun.ordforande")
    page = client.get(f"/mal/namnd/{unit('bun').pk}/2026/nytt/").content.decode()
    assert "set_by_kf" not in page
    login("kommunsekreterare")
    page = client.get(f"/mal/namnd/{unit('bun').pk}/2026/nytt/").content.decode()
    assert "set_by_kf" in page


def test_p1_an_adopted_goal_is_locked(municipality):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED).first()
    with pytest.raises(DomainError, match="låst"):
        services.update_namndmal(goal=goal, version=None, title="Ändrad")


def test_p1_official_changing_an_adopted_goal_gets_403(login, client):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN").first()
    login("bun.forvaltningschef")
    assert client.get(f"/mal/namndmal/{goal.pk}/andra/").status_code == 403
    assert client.post(f"/mal/namndmal/{goal.pk}/andra/", {"title": "x"}).status_code == 403


def test_p1_official_cannot_draft_a_namndmal(login, client, unit):
    login("bun.forvaltningschef")
    assert client.get(f"/mal/namnd/{unit('bun').pk}/2027/nytt/").status_code == 403


def test_p2_politician_editing_an_assessment_gets_403(login, client):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN").first()
    login("bun.ordforande")
    url = f"/mal/namndmal/{goal.pk}/bedomning/feb/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"level": "nej"}).status_code == 403
    assert goal.assessments.get(period="feb").level != Level.NO


def test_p5_forvaltningschef_cannot_assess_another_namnds_goal(login, client):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="SN").first()
    login("bun.forvaltningschef")
    assert client.get(f"/mal/namndmal/{goal.pk}/bedomning/feb/").status_code == 403


def test_p5_a_draft_of_another_namnd_is_not_readable(login, client):
    draft = Namndmal.objects.filter(status=DecisionStatus.DRAFT, namnd__short_name="BUN").first()
    login("sn.ordforande")
    assert client.get(f"/mal/namndmal/{draft.pk}/").status_code == 403
    login("bun.ledamot")
    assert client.get(f"/mal/namndmal/{draft.pk}/").status_code == 200


def test_p3_politicians_and_officials_talk_in_the_goals_thread(login, client):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN").first()
    login("bun.ordforande")
    client.post(f"/dialog/goals.namndmal/{goal.pk}/", {"body": "Varför Delvis?"})
    login("bun.forvaltningschef")
    client.post(f"/dialog/goals.namndmal/{goal.pk}/", {"body": "Bristen på lärare."})
    page = client.get(f"/mal/namndmal/{goal.pk}/").content.decode()
    assert "Varför Delvis?" in page and "Bristen på lärare." in page


def test_g9_enhetsmal_need_an_adopted_namndmal(unit):
    draft = Namndmal.objects.filter(status=DecisionStatus.DRAFT, namnd__short_name="BUN").first()
    with pytest.raises(DomainError, match="antaget"):
        services.create_enhetsmal(enhet=unit("ekbackaskolan"), namndmal=draft, title="X")


def test_g9_enhetsmal_belong_to_an_enhet_of_the_same_namnd(unit):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN").first()
    with pytest.raises(DomainError, match="inom Barn- och utbildningsnämnden"):
        services.create_enhetsmal(enhet=unit("hemtjanst"), namndmal=goal, title="X")


def test_g9_enhetschef_adds_an_enhetsmal_for_their_own_enhet_only(login, client, unit):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN",
                                   budget_year__year=2026).first()
    login("enhetschef")
    response = client.post(f"/mal/namndmal/{goal.pk}/enhetsmal/nytt/",
                           {"enhet": unit("aspaskolan").pk, "title": "Inte min enhet"})
    assert response.status_code == 200
    assert not Enhetsmal.objects.filter(title="Inte min enhet").exists()
    client.post(f"/mal/namndmal/{goal.pk}/enhetsmal/nytt/",
                {"enhet": unit("ekbackaskolan").pk, "title": "Läslyft"})
    assert Enhetsmal.objects.filter(title="Läslyft", enhet=unit("ekbackaskolan")).exists()


@pytest.mark.parametrize("username, sees", [
    ("medarbetare", True), ("enhetschef", True), ("bun.forvaltningschef", True),
    ("kommundirektor", True), ("medarbetare2", False), ("sn.forvaltningschef", False),
    ("bun.ordforande", False), ("kf.ordforande", False), ("revisor", False), ("admin", False),
])
def test_g10_medarbetarplan_is_seen_only_by_the_employee_and_up_the_line(login, client,
                                                                         username, sees):
    from goals.models import Medarbetarplan

    plan = Medarbetarplan.objects.get(employee__username="medarbetare")
    login(username)
    response = client.get(f"/mal/medarbetarplaner/{plan.pk}/")
    assert response.status_code == (200 if sees else 403)
    listed = plan.employee.get_full_name() in client.get("/mal/medarbetarplaner/").content.decode()
    assert listed == sees


def test_g10_a_medarbetarmal_links_to_an_enhetsmal_of_the_own_enhet(municipality):
    from goals.models import Medarbetarplan

    plan = Medarbetarplan.objects.get(employee__username="medarbetare")
    other = Enhetsmal.objects.exclude(enhet=plan.enhet).first()
    with pytest.raises(DomainError, match="egna enheten"):
        services.add_medarbetarmal(plan=plan, enhetsmal=other, text="Mål")


def _answers(**overrides):
    answers = dict(level=Level.YES, forecast="", activities_helped="Läsfrämjande insatser",
                   activities_missing="", external_factors="Fler nyanlända elever",
                   resources="Enligt budget", conclusion="Nått",
                   priorities="Fortsatt läsfrämjande", recommendation="Behåll målet",
                   future_challenges="")
    answers.update(overrides)
    return answers


@pytest.fixture
def goal_without_october(municipality):
    return Namndmal.objects.filter(status=DecisionStatus.ADOPTED, budget_year__year=2026).first()


def test_a3_ja_needs_the_activities_and_resources(goal_without_october):
    author = User.objects.get(username="bun.forvaltningschef")
    with pytest.raises(DomainError, match="resurser"):
        services.save_assessment(namndmal=goal_without_october, period=ReportPeriod.OCTOBER,
                                 author=author, version=None, **_answers(resources=""))
    assert not Malbedomning.objects.filter(namndmal=goal_without_october, period="okt").exists()


def test_a3_delvis_also_asks_which_activities_were_missing(goal_without_october):
    author = User.objects.get(username="bun.forvaltningschef")
    with pytest.raises(DomainError, match="saknades"):
        services.save_assessment(namndmal=goal_without_october, period=ReportPeriod.OCTOBER,
                                 author=author, version=None, **_answers(level=Level.PARTLY))
    saved = services.save_assessment(
        namndmal=goal_without_october, period=ReportPeriod.OCTOBER, author=author, version=None,
        **_answers(level=Level.PARTLY, activities_missing="Fler speciallärare"))
    assert saved.level == Level.PARTLY


def test_a4_the_august_report_requires_a_forecast_and_others_refuse_one(municipality):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, budget_year__year=2027).first()
    if goal is None:
        goal = Namndmal.objects.filter(status=DecisionStatus.DRAFT).first()
        goal = services.adopt_namndmal(goal=goal, decided_on=dt.date(2026, 12, 10), paragraph="3")
    author = User.objects.get(username="bun.forvaltningschef")
    with pytest.raises(DomainError, match="prognos"):
        services.save_assessment(namndmal=goal, period=ReportPeriod.AUGUST, author=author,
                                 version=None, **_answers())
    with pytest.raises(DomainError, match="delårsrapporten"):
        services.save_assessment(namndmal=goal, period=ReportPeriod.APRIL, author=author,
                                 version=None, **_answers(forecast=Level.YES))
    saved = services.save_assessment(namndmal=goal, period=ReportPeriod.AUGUST, author=author,
                                     version=None, **_answers(forecast=Level.PARTLY))
    assert saved.forecast == Level.PARTLY


def test_a5_an_assessment_states_its_conclusion(goal_without_october):
    author = User.objects.get(username="bun.forvaltningschef")
    with pytest.raises(DomainError, match="slutsatsen"):
        services.save_assessment(namndmal=goal_without_october, period=ReportPeriod.OCTOBER,
                                 author=author, version=None, **_answers(conclusion=""))


def test_a6_future_challenges_are_shown_with_the_assessment(login, client):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN",
                                   budget_year__year=2026).first()
    login("bun.ledamot")
    page = client.get(f"/mal/namndmal/{goal.pk}/").content.decode()
    assert "Framtida utmaningar" in page and "Ny lagstiftning" in page


def test_a3_the_assessment_form_saves_and_a_stale_one_is_refused(login, client):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN",
                                   budget_year__year=2026).first()
    login("bun.forvaltningschef")
    url = f"/mal/namndmal/{goal.pk}/bedomning/feb/"
    from styrmodell.versioning import current_version

    existing = goal.assessments.get(period="feb")
    data = {**_answers(level="nej", activities_missing="Bemanning"),
            "version": current_version(existing)}
    data.pop("forecast")
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "conclusion": "Annan slutsats"})
    assert "Någon annan har ändrat" in stale.content.decode()
    assert goal.assessments.get(period="feb").conclusion == "Nått"


def test_a7_enhetsmal_are_followed_up_within_the_forvaltning(municipality):
    enhetsmal = Enhetsmal.objects.first()
    author = User.objects.get(username="enhetschef")
    follow_up = services.follow_up_enhetsmal(enhetsmal=enhetsmal, period=ReportPeriod.APRIL,
                                             level=Level.PARTLY, comment="På väg", author=author)
    assert enhetsmal.follow_ups.get() == follow_up


def test_g2_copy_last_years_goals_as_drafts_once(login, client, unit):
    before = Namndmal.objects.filter(namnd=unit("sn"), budget_year__year=2027).count()
    login("sn.ordforande")
    # 2027 opens a new mandate period with four övergripande mål: the page asks which.
    asked = client.post(f"/mal/namnd/{unit('sn').pk}/2027/kopiera/")
    assert asked.status_code == 200 and "utgår nu från" in asked.content.decode()
    old = OvergripandeMal.objects.get(mandate_period__name="2022–2026", number=2)
    new = OvergripandeMal.objects.get(mandate_period__name="2026–2030", number=2)
    answer = {"choose": "1", f"link_{old.pk}": new.pk}
    client.post(f"/mal/namnd/{unit('sn').pk}/2027/kopiera/", answer)
    client.post(f"/mal/namnd/{unit('sn').pk}/2027/kopiera/", answer)
    copies = Namndmal.objects.filter(namnd=unit("sn"), budget_year__year=2027)
    assert copies.count() == before + 2
    assert set(copies.values_list("status", flat=True)) == {DecisionStatus.DRAFT}
    assert set(copies.values_list("overgripande_mal", flat=True)) == {new.pk}


def test_g2_kf_goal_proposed_then_recorded_by_the_kommunsekreterare(login, client):
    login("ks.ordforande")
    period = MandatePeriod.objects.get(name="2026–2030")
    client.post("/mal/kf/ny/overgripande/", {"mandate_period": period.pk, "number": "5",
                                            "title": "Attraktiv arbetsgivare", "description": ""})
    goal = OvergripandeMal.objects.get(title="Attraktiv arbetsgivare")
    assert goal.status == DecisionStatus.DRAFT
    assert client.get(f"/mal/kf/overgripande/{goal.pk}/beslut/").status_code == 403
    login("kommunsekreterare")
    client.post(f"/mal/kf/overgripande/{goal.pk}/beslut/",
                {"decided_on": "2026-11-23", "paragraph": "99", "case_number": "KS 2026/1",
                 "budget_year": BudgetYear.objects.get(year=2027).pk})
    goal.refresh_from_db()
    assert goal.status == DecisionStatus.ADOPTED and goal.decided_by.short_name == "KF"
    assert list(goal.affirmed_for.values_list("year", flat=True)) == [2027]


def test_g11_kf_gives_a_namnd_an_uppdrag(login, client, unit):
    from goals.models import Uppdrag

    login("kommunsekreterare")
    year = BudgetYear.objects.get(year=2027)
    client.post("/mal/kf/ny/uppdrag/", {"namnd": unit("kfn").pk, "budget_year": year.pk,
                                        "title": "Utred ett kulturhus", "description": ""})
    uppdrag = Uppdrag.objects.get(title="Utred ett kulturhus")
    assert "Utred ett kulturhus" in client.get("/mal/kf/?ar=2027").content.decode()
    assert uppdrag.namnd == unit("kfn")


def test_g3_financial_goals_per_budget_year_are_shown(login, client):
    login("bun.ledamot")
    page = client.get("/mal/kf/?ar=2027").content.decode()
    assert "Resultatet ska uppgå till minst 2 procent av skatter och bidrag" in page


def test_p1_a_namnd_politician_cannot_propose_kf_goals(login, client):
    login("bun.ledamot")
    assert client.get("/mal/kf/ny/vision/").status_code == 403


def test_a7_enhetschef_follows_up_their_enhetsmal_through_the_page(login, client, unit):
    enhetsmal = Enhetsmal.objects.filter(enhet=unit("ekbackaskolan")).first()
    login("enhetschef")
    response = client.post(f"/mal/enhetsmal/{enhetsmal.pk}/uppfoljning/",
                           {"period": "okt", "level": "delvis", "comment": "Läsgrupper igång"})
    assert response.status_code == 302
    assert enhetsmal.follow_ups.get(period="okt").comment == "Läsgrupper igång"


def test_a7_politicians_do_not_follow_up_enhetsmal(login, client, unit):
    enhetsmal = Enhetsmal.objects.filter(enhet=unit("ekbackaskolan")).first()
    login("bun.ordforande")
    assert client.get(f"/mal/enhetsmal/{enhetsmal.pk}/uppfoljning/").status_code == 403


def test_g10_the_chef_records_a_plan_for_an_employee_of_the_enhet(login, client, unit):
    from goals.models import Medarbetarplan

    login("enhetschef")
    year = BudgetYear.objects.get(year=2027)
    employee = User.objects.get(username="medarbetare")
    response = client.post("/mal/medarbetarplaner/ny/", {
        "employee": employee.pk, "enhet": unit("ekbackaskolan").pk, "budget_year": year.pk,
        "agreed_on": "2027-02-01"})
    assert response.status_code == 302
    plan = Medarbetarplan.objects.get(employee=employee, budget_year=year)
    assert plan.chef.username == "enhetschef"
    again = client.post("/mal/medarbetarplaner/ny/", {
        "employee": employee.pk, "enhet": unit("ekbackaskolan").pk, "budget_year": year.pk})
    assert "har redan en medarbetarplan" in again.content.decode()


def test_g10_a_chef_cannot_make_plans_in_another_enhet(login, client, unit):
    login("enhetschef")
    year = BudgetYear.objects.get(year=2027)
    employee = User.objects.get(username="medarbetare2")
    response = client.post("/mal/medarbetarplaner/ny/", {
        "employee": employee.pk, "enhet": unit("hemtjanst").pk, "budget_year": year.pk})
    assert response.status_code == 200  # not a choice the form offers
    assert not employee.plans.filter(budget_year=year).exists()


def test_g2_a_new_decision_replaces_an_adopted_overarching_goal(login, client):
    old = OvergripandeMal.objects.get(mandate_period__name="2026–2030", number=4)
    login("kommunsekreterare")
    client.post("/mal/kf/ny/overgripande/", {
        "mandate_period": old.mandate_period_id, "number": "4", "replaces": old.pk,
        "title": "Kultur och fritid för alla åldrar", "description": ""})
    new = OvergripandeMal.objects.get(title="Kultur och fritid för alla åldrar")
    client.post(f"/mal/kf/overgripande/{new.pk}/beslut/",
                {"decided_on": "2027-03-01", "paragraph": "12"})
    old.refresh_from_db()
    assert old.status == DecisionStatus.REPLACED
    assert old.history.count() >= 2


def test_p1_a_kf_draft_can_be_edited_until_the_decision_is_recorded(login, client):
    login("ks.ordforande")
    period = MandatePeriod.objects.get(name="2026–2030")
    draft = Vision.objects.create(mandate_period=period, text="Första förslaget")
    response = client.post(f"/mal/kf/vision/{draft.pk}/andra/",
                           {"mandate_period": period.pk, "text": "Andra förslaget"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Andra förslaget"
    adopted = Vision.objects.get(status=DecisionStatus.ADOPTED)
    assert client.get(f"/mal/kf/vision/{adopted.pk}/andra/").status_code == 403
