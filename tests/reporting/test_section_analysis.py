"""What a nämnd's section must say before it is submitted, per kind of report (A5, A6)."""

import datetime as dt

import pytest

from reporting import reports
from reporting.models import Rapportavsnitt, Rapportperiod, ReportKind, SectionStatus
from styrmodell.errors import DomainError
from styrmodell.models import CalendarEvent, User
from styrmodell.versioning import current_version

# The report fixtures are asked for by name inside the tests; the mark keeps these among the
# database tests, before any transactional test empties the demo.
pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
ANALYSIS = ("conclusion", "priorities", "recommendation", "future_challenges")
FULL = dict(summary="Verksamheten följer planen.", conclusion="Målen nås i huvudsak.",
            priorities="Läsgrupper och närvaroarbete.", recommendation="Skärp styrtalen.",
            future_challenges="Ny skollag och minskade statsbidrag.")


def _chief() -> User:
    return User.objects.get(username="bun.forvaltningschef")


def _draft_section(period: Rapportperiod) -> Rapportavsnitt:
    """BUN's section of the report, as a fresh draft with no texts."""
    section = Rapportavsnitt.objects.select_related("period", "namnd").get(
        period=period, namnd__short_name="BUN")
    section.status = SectionStatus.DRAFT
    section.submitted_on = None
    for name in reports.TEXT_FIELDS:
        setattr(section, name, "")
    section.save()
    return section


def _annual_2026() -> Rapportperiod:
    event = CalendarEvent.objects.get(budget_year__year=2026, code="f1-arsrapport",
                                      unit__isnull=True)
    return reports.open_period(event=event, today=TODAY)


@pytest.fixture
def uppfoljning(municipality):
    return Rapportperiod.objects.get(budget_year__year=2026, code="okt")


@pytest.fixture
def delar(municipality):
    return Rapportperiod.objects.get(budget_year__year=2026, code="aug")


@pytest.fixture
def arsredovisning(municipality):
    return _annual_2026()


def _write(section, **texts):
    return reports.save_texts(section=section, version=current_version(section), by=_chief(),
                              **texts)


def _submit(section):
    return reports.submit(section=section, by=_chief(), today=TODAY)


def _fields(error: DomainError) -> list[str | None]:
    return [field for field, _message in error.errors]


def test_a5_a6_an_uppfoljningsrapport_is_submitted_with_its_summary_alone(uppfoljning):
    assert uppfoljning.kind == ReportKind.UPPFOLJNING
    section = _write(_draft_section(uppfoljning), summary="Ekonomin i balans.")
    assert _submit(section).status == SectionStatus.SUBMITTED


def test_a5_a6_an_uppfoljningsrapport_still_needs_its_summary(uppfoljning):
    section = _write(_draft_section(uppfoljning), **{**FULL, "summary": "  "})
    with pytest.raises(DomainError) as refused:
        _submit(section)
    assert _fields(refused.value) == ["summary"]


@pytest.mark.parametrize("report", ["delar", "arsredovisning"])
def test_a5_a6_every_missing_analysis_text_is_said_at_once(request, report):
    period = request.getfixturevalue(report)
    section = _write(_draft_section(period), summary="Verksamheten följer planen.")
    with pytest.raises(DomainError) as refused:
        _submit(section)
    assert _fields(refused.value) == list(ANALYSIS)
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFT and section.submitted_on is None


@pytest.mark.parametrize("report", ["delar", "arsredovisning"])
@pytest.mark.parametrize("text", ["conclusion", "priorities", "recommendation"])
def test_a5_each_part_of_the_conclusion_is_required_in_delar_and_arsredovisning(request, report,
                                                                              text):
    period = request.getfixturevalue(report)
    section = _write(_draft_section(period), **{**FULL, text: ""})
    with pytest.raises(DomainError) as refused:
        _submit(section)
    assert _fields(refused.value) == [text]
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFT


@pytest.mark.parametrize("report", ["delar", "arsredovisning"])
def test_a6_future_challenges_are_required_before_submitting(request, report):
    period = request.getfixturevalue(report)
    section = _write(_draft_section(period), **{**FULL, "future_challenges": ""})
    with pytest.raises(DomainError, match="framtida utmaningarna") as refused:
        _submit(section)
    assert _fields(refused.value) == ["future_challenges"]


def test_a6_whitespace_only_future_challenges_count_as_none(delar):
    section = _draft_section(delar)
    for name, value in {**FULL, "future_challenges": " \n "}.items():
        setattr(section, name, value)  # as if stored before texts were trimmed
    section.save()
    with pytest.raises(DomainError) as refused:
        _submit(section)
    assert _fields(refused.value) == ["future_challenges"]


@pytest.mark.parametrize("report", ["delar", "arsredovisning"])
def test_a5_a6_a_section_with_every_text_is_submitted(request, report):
    period = request.getfixturevalue(report)
    section = _write(_draft_section(period), **FULL)
    assert _submit(section).status == SectionStatus.SUBMITTED


def test_a5_a6_the_submit_page_lists_every_missing_text(client, login, delar):
    section = _write(_draft_section(delar), summary="Verksamheten följer planen.")
    login("bun.forvaltningschef")
    response = client.post(f"/rapporter/2026-aug/{section.namnd_id}/lamna-in/",
                           {"confirm": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    for words in ("Skriv slutsatsen", "prioriteras under resten av året",
                  "rekommenderas inför nästa år", "framtida utmaningarna"):
        assert words in page
    assert "(A5)" not in page and "(A6)" not in page


def test_a5_a6_the_texts_form_carries_no_rule_ids(client, login, delar):
    login("bun.forvaltningschef")
    response = client.get(f"/rapporter/2026-aug/{_draft_section(delar).namnd_id}/texter/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Framtida utmaningar" in page
    assert "(A5)" not in page and "(A6)" not in page
