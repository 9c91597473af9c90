"""The assessment of a nämndmål (A3, A5) and its dialogue thread (P3), at their edges."""

import pytest

from goals import services
from goals.models import DecisionStatus, Level, Malbedomning, Namndmal, ReportPeriod
from styrmodell import dialogue
from styrmodell.errors import DomainError
from styrmodell.models import DialogueComment, User
from styrmodell.versioning import current_version

QUESTIONS_AT_JA = ("activities_helped", "external_factors", "resources")
QUESTIONS_AT_DELVIS_AND_NEJ = ("activities_helped", "activities_missing", "external_factors",
                               "resources")
CONCLUSION_PARTS = ("conclusion", "priorities", "recommendation")


def _answers(**overrides):
    answers = dict(level=Level.PARTLY, forecast="",
                   activities_helped="Läsfrämjande insatser i alla klasser",
                   activities_missing="Fler speciallärare",
                   external_factors="Fler nyanlända elever än väntat",
                   resources="500 tkr avsatta, 480 tkr använda",
                   conclusion="Målet nås delvis", priorities="Läsgrupper i årskurs 3",
                   recommendation="Behåll målet och skärp styrtalen", future_challenges="")
    answers.update(overrides)
    return answers


@pytest.fixture
def goal(municipality):
    """An adopted BUN goal of 2026 without an October assessment in the demo."""
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, namnd__short_name="BUN",
                                   budget_year__year=2026).first()
    goal.assessments.filter(period=ReportPeriod.OCTOBER).delete()
    return goal


@pytest.fixture
def chief(municipality):
    return User.objects.get(username="bun.forvaltningschef")


def _save(goal, chief, period=ReportPeriod.OCTOBER, **overrides):
    return services.save_assessment(namndmal=goal, period=period, author=chief, version=None,
                                    **_answers(**overrides))


def _fields(error: DomainError) -> list[str | None]:
    return [field for field, _message in error.errors]


@pytest.mark.parametrize("question", QUESTIONS_AT_JA)
def test_a3_ja_requires_each_of_its_guiding_questions(goal, chief, question):
    with pytest.raises(DomainError) as refused:
        _save(goal, chief, level=Level.YES, activities_missing="", **{question: ""})
    assert _fields(refused.value) == [question]
    assert not goal.assessments.filter(period=ReportPeriod.OCTOBER).exists()


def test_a3_ja_requires_the_external_factors_by_name(goal, chief):
    with pytest.raises(DomainError, match="omvärldsfaktorer"):
        _save(goal, chief, level=Level.YES, external_factors="")


def test_a3_ja_does_not_ask_which_activities_were_missing(goal, chief):
    saved = _save(goal, chief, level=Level.YES, activities_missing="")
    assert saved.level == Level.YES and saved.activities_missing == ""


@pytest.mark.parametrize("level", [Level.PARTLY, Level.NO])
@pytest.mark.parametrize("question", QUESTIONS_AT_DELVIS_AND_NEJ)
def test_a3_delvis_and_nej_require_each_of_their_guiding_questions(goal, chief, level, question):
    with pytest.raises(DomainError) as refused:
        _save(goal, chief, level=level, **{question: ""})
    assert _fields(refused.value) == [question]
    assert not goal.assessments.filter(period=ReportPeriod.OCTOBER).exists()


def test_a3_a_whitespace_only_answer_is_no_answer(goal, chief):
    with pytest.raises(DomainError) as refused:
        _save(goal, chief, external_factors="  \n\t ")
    assert _fields(refused.value) == ["external_factors"]
    assert not goal.assessments.filter(period=ReportPeriod.OCTOBER).exists()


def test_a3_answers_are_stored_without_surrounding_whitespace(goal, chief):
    saved = _save(goal, chief, external_factors="  Fler nyanlända elever \n")
    assert saved.external_factors == "Fler nyanlända elever"


def test_a3_a5_every_missing_answer_is_said_at_once_and_nothing_is_saved(goal, chief):
    blank = {name: " " for name in (*QUESTIONS_AT_DELVIS_AND_NEJ, *CONCLUSION_PARTS)}
    with pytest.raises(DomainError) as refused:
        _save(goal, chief, level=Level.NO, **blank)
    assert set(_fields(refused.value)) == set(blank)
    assert not goal.assessments.filter(period=ReportPeriod.OCTOBER).exists()


def test_a3_a4_a_missing_forecast_in_august_is_said_with_the_missing_answers(goal, chief):
    goal.assessments.filter(period=ReportPeriod.AUGUST).delete()
    with pytest.raises(DomainError) as refused:
        _save(goal, chief, period=ReportPeriod.AUGUST, forecast="", resources="")
    assert set(_fields(refused.value)) == {"forecast", "resources"}


@pytest.mark.parametrize("period", [ReportPeriod.FEBRUARY, ReportPeriod.AUGUST,
                                    ReportPeriod.YEAR])
@pytest.mark.parametrize("part", CONCLUSION_PARTS)
def test_a5_the_assessment_states_each_part_of_its_conclusion_in_every_report(goal, chief,
                                                                             period, part):
    existing = goal.assessments.filter(period=period).first()
    before = existing.conclusion if existing else None
    forecast = Level.PARTLY if period == ReportPeriod.AUGUST else ""
    with pytest.raises(DomainError) as refused:
        services.save_assessment(
            namndmal=goal, period=period, author=chief,
            version=current_version(existing) if existing else None,
            **_answers(forecast=forecast, **{part: "   "}))
    assert _fields(refused.value) == [part]
    after = goal.assessments.filter(period=period).first()
    assert (after.conclusion if after else None) == before


def test_a6_future_challenges_of_an_assessment_may_wait_for_the_reports_section(goal, chief):
    saved = _save(goal, chief, future_challenges="")
    assert saved.pk and saved.future_challenges == ""


def test_a3_a5_the_form_shows_every_missing_answer_at_once(login, client, goal):
    login("bun.forvaltningschef")
    data = {**_answers(external_factors="", priorities="", recommendation=""), "version": ""}
    data.pop("forecast")
    response = client.post(f"/mal/namndmal/{goal.pk}/bedomning/okt/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "omvärldsfaktorer" in page
    assert "prioriteras under resten av året" in page
    assert "rekommenderas inför nästa år" in page
    assert not goal.assessments.filter(period=ReportPeriod.OCTOBER).exists()


# --- P3: the assessment's own thread, on the page where it is read ----------------------------


@pytest.fixture
def assessment(municipality):
    return Malbedomning.objects.select_related("namndmal").filter(
        namndmal__namnd__short_name="BUN", namndmal__budget_year__year=2026,
        period=ReportPeriod.FEBRUARY).first()


def _thread_url(assessment):
    return f"/dialog/goals.malbedomning/{assessment.pk}/"


def test_p3_politician_and_official_write_in_an_assessments_thread(login, client, assessment):
    login("bun.ordforande")
    asked = client.post(_thread_url(assessment), {"body": "Varför saknas speciallärare?"})
    assert asked.status_code == 302
    assert asked.url == f"/mal/namndmal/{assessment.namndmal_id}/#dialog-bedomning-feb"
    login("bun.forvaltningschef")
    client.post(_thread_url(assessment), {"body": "Rekrytering pågår."})

    assert [c.body for c in dialogue.thread(assessment)] == [
        "Varför saknas speciallärare?", "Rekrytering pågår."]
    page = client.get(f"/mal/namndmal/{assessment.namndmal_id}/").content.decode()
    article = page[page.index('id="bedomning-feb"'):page.index('id="bedomning-apr"')]
    assert 'id="dialog-bedomning-feb"' in article
    assert "Varför saknas speciallärare?" in article and "Rekrytering pågår." in article


def test_p3_the_assessments_thread_is_its_own_not_the_goals(login, client, assessment):
    login("bun.ledamot")
    client.post(_thread_url(assessment), {"body": "En fråga om bedömningen"})
    assert not dialogue.thread(assessment.namndmal).exists()
    page = client.get(f"/mal/namndmal/{assessment.namndmal_id}/").content.decode()
    goal_thread = page[page.index('<section class="panel dialogue" id="dialog"'):]
    assert "En fråga om bedömningen" not in goal_thread


def test_p3_each_assessment_on_the_page_has_a_form_with_ids_of_its_own(login, client,
                                                                      assessment):
    login("bun.ledamot")
    page = client.get(f"/mal/namndmal/{assessment.namndmal_id}/").content.decode()
    periods = list(assessment.namndmal.assessments.values_list("period", flat=True))
    assert len(periods) > 1
    for period in periods:
        assert page.count(f'id="dialog-bedomning-{period}-body"') == 1
    assert page.count('id="id_body"') == 1  # the goal's own thread


def test_p3_htmx_post_returns_the_assessments_thread_only(login, client, assessment):
    login("bun.ledamot")
    response = client.post(_thread_url(assessment), {"body": "Fråga"}, HTTP_HX_REQUEST="true")
    html = response.content.decode().lstrip()
    assert html.startswith('<section class="dialogue dialogue--nested" '
                           'id="dialog-bedomning-feb"')
    assert 'hx-target="#dialog-bedomning-feb"' in html and "Fråga" in html


def test_p4_revisor_reads_an_assessments_thread_but_cannot_write(login, client, assessment):
    login("bun.ordforande")
    client.post(_thread_url(assessment), {"body": "Synpunkt"})
    login("revisor")
    page = client.get(f"/mal/namndmal/{assessment.namndmal_id}/").content.decode()
    assert "Synpunkt" in page
    assert 'id="dialog-bedomning-feb-body"' not in page
    assert client.post(_thread_url(assessment), {"body": "Hej"}).status_code == 403
    assert DialogueComment.objects.count() == 1


def test_p5_another_namnds_politician_cannot_write_in_the_thread(login, client, assessment):
    login("sn.ordforande")
    assert client.post(_thread_url(assessment), {"body": "Hej"}).status_code == 403
    assert not dialogue.thread(assessment).exists()


# --- The form helps: what each level requires, what it is written from, where it lands -------


def _help_of(page: str, field: str) -> str:
    start = page.index(f'id="id_{field}_helptext"')
    return page[start:page.index("</div>", start)]


def test_a3_a5_the_form_says_before_writing_which_answers_each_level_requires(
        login, client, goal):
    login("bun.forvaltningschef")
    page = client.get(f"/mal/namndmal/{goal.pk}/bedomning/okt/").content.decode()
    for field in (*QUESTIONS_AT_JA, *CONCLUSION_PARTS):  # asked at every level
        assert "Krävs alltid." in _help_of(page, field)
    assert "Krävs vid Delvis och Nej." in _help_of(page, "activities_missing")
    assert "Krävs" not in _help_of(page, "future_challenges")  # A6 may wait
    august = client.get(f"/mal/namndmal/{goal.pk}/bedomning/aug/").content.decode()
    assert "Krävs i delårsrapporten." in _help_of(august, "forecast")


def test_a3_the_requirements_shown_are_those_the_check_enforces(goal, chief):
    """The notes come from the same lists as the check: each "Krävs vid" level is refused
    without the answer, and no other level is."""
    for field, levels in services.required_by_level().items():
        for level in Level.values:
            with pytest.raises(DomainError) if level in levels else _no_error_on(field):
                _save(goal, chief, level=level, **{field: ""})
            goal.assessments.filter(period=ReportPeriod.OCTOBER).delete()


class _no_error_on:
    def __init__(self, field):
        self.field = field

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if isinstance(error, DomainError):
            assert self.field not in _fields(error)
            return True
        return False


def test_a3_the_form_shows_the_previous_assessment_and_the_goals_key_figures(
        login, client, goal):
    from goals.models import Nyckeltal

    figure = Nyckeltal.objects.first()
    goal.key_figures.add(figure)
    earlier = goal.assessments.filter(period__in=["feb", "apr", "aug"]).order_by("-pk")
    login("bun.forvaltningschef")
    page = client.get(f"/mal/namndmal/{goal.pk}/bedomning/okt/").content.decode()
    aside = page[page.index('class="form-aside"'):]
    assert "Förra bedömningen" in aside
    if earlier.exists():
        from goals.selectors import previous_assessment

        assert str(previous_assessment(goal, "okt").get_period_display()) in aside
    assert f'href="{figure.get_absolute_url()}"' in aside
    first = client.get(f"/mal/namndmal/{goal.pk}/bedomning/feb/").content.decode()
    assert "Ingen tidigare bedömning i år." in first


def test_a3_after_saving_the_page_lands_on_the_assessment_and_says_it_is_saved(
        login, client, goal):
    login("bun.forvaltningschef")
    data = {**_answers(), "version": ""}
    data.pop("forecast")
    response = client.post(f"/mal/namndmal/{goal.pk}/bedomning/okt/", data)
    assert response.url == f"/mal/namndmal/{goal.pk}/?sparad=okt#bedomning-okt"
    page = client.get(response.url).content.decode()
    article = page[page.index('id="bedomning-okt"'):]
    assert "Bedömningen är sparad." in article[:article.index("</article>")]
    assert "Bedömningen är sparad." not in page[:page.index('id="bedomning-okt"')]
