"""A nämnd's report section reads its own nämnd's investment projects only (issue: big-city
scale): the section page, "Vad har ändrats", the approval and the PDF's content pay for one
nämnd, not the municipality, and show the same figures as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from budget.investments import services as investments
from budget.models import (
    Anslag,
    Investeringsprojekt,
    Investeringsutfall,
    ProjectKind,
    ProjectStatus,
)
from reporting import reports
from reporting.models import Rapportavsnitt, Rapportperiod, SectionStatus
from reporting.pdf_documents import report_section_document
from reporting.reports_content import assemble, figures_of
from styrmodell.models import User


@pytest.fixture
def october(municipality):
    return Rapportperiod.objects.get(budget_year__year=2026, code="okt")


@pytest.fixture
def bun_section(october, municipality):
    section = Rapportavsnitt.objects.select_related("period", "namnd").get(
        period=october, namnd=municipality["bun"])
    assert section.period.follows_investments
    return section


def other_namnders_projects(municipality, count: int = 150) -> None:
    """Many running projects with appropriations and outcome in nämnder other than BUN."""
    namnder = [municipality[key] for key in ("kfn", "sbn", "sn")]
    created = Investeringsprojekt.objects.bulk_create(
        Investeringsprojekt(namnd=namnder[number % 3], name=f"Annan nämnds projekt {number}",
                            kind=ProjectKind.NEW, status=ProjectStatus.DECIDED,
                            total_budget=Decimal("1000000"), start_year=2026, end_year=2026,
                            depreciation_years=10, consequences="Inga.")
        for number in range(count))
    Anslag.objects.bulk_create(Anslag(project=project, year=2026, amount=Decimal("1000000"))
                               for project in created)
    Investeringsutfall.objects.bulk_create(
        Investeringsutfall(project=project, year=2026, amount=Decimal("100"))
        for project in created)


class ProjectsRead:
    """The nämnder of every project row read from the database while the block runs."""

    def __init__(self):
        self.namnd_ids: list[int] = []

    def _seen(self, sender, instance, **kwargs):
        self.namnd_ids.append(instance.namnd_id)

    def __enter__(self):
        post_init.connect(self._seen, sender=Investeringsprojekt)
        return self

    def __exit__(self, *exc):
        post_init.disconnect(self._seen, sender=Investeringsprojekt)


def _line(row) -> tuple:
    return (row.project.pk, row.appropriation, row.spent, row.spent_to_date, row.forecast)


def test_the_sections_investments_are_the_namnds_rows_of_the_year_overview(bun_section):
    content = assemble(bun_section.period, [bun_section], user=None)[0]
    whole_city = [row for row in investments.year_overview(user=None, year=2026).rows
                  if row.project.namnd_id == bun_section.namnd_id]
    assert content.investments
    assert [_line(row) for row in content.investments] == [_line(row) for row in whole_city]


def test_the_sections_figures_and_rows_are_unchanged_by_other_namnders_projects(
        bun_section, municipality):
    before = assemble(bun_section.period, [bun_section], user=None)[0]
    other_namnders_projects(municipality)
    after = assemble(bun_section.period, [bun_section], user=None)[0]
    assert figures_of(after) == figures_of(before)
    assert [_line(row) for row in after.investments] == [_line(row) for row in before.investments]


def test_assembling_a_section_reads_no_other_namnds_project(bun_section, municipality):
    other_namnders_projects(municipality)
    with ProjectsRead() as read:
        assemble(bun_section.period, [bun_section], user=None)
    assert read.namnd_ids and set(read.namnd_ids) == {bun_section.namnd_id}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("tail", ["", "andringar/"])
def test_the_section_pages_cost_the_same_queries_and_read_only_their_namnd(
        client, login, bun_section, municipality, tail):
    login("bun.ordforande")
    url = f"/rapporter/2026-okt/{bun_section.namnd_id}/{tail}"
    _queries(client, url)  # the first request of a session reads a few rows once
    demo = _queries(client, url)
    other_namnders_projects(municipality)
    with ProjectsRead() as read:
        assert _queries(client, url) == demo
    assert set(read.namnd_ids) <= {bun_section.namnd_id}


def test_the_approval_reads_only_its_namnds_projects(bun_section, municipality):
    other_namnders_projects(municipality)
    Rapportavsnitt.objects.filter(pk=bun_section.pk).update(status=SectionStatus.SUBMITTED)
    with ProjectsRead() as read:
        approved = reports.decide(section=bun_section, approve=True,
                                  decided_on=bun_section.period.deadline, paragraph="§ 12",
                                  comment="", by=User.objects.get(username="bun.ordforande"))
    assert approved.status == SectionStatus.APPROVED
    assert set(read.namnd_ids) == {bun_section.namnd_id}


def test_the_section_pdf_reads_only_its_namnds_projects_in_the_same_queries(
        bun_section, municipality):
    report_section_document(bun_section.pk)  # reads a few settings once
    with CaptureQueriesContext(connection) as demo:
        before = report_section_document(bun_section.pk)
    other_namnders_projects(municipality)
    with ProjectsRead() as read, CaptureQueriesContext(connection) as grown:
        after = report_section_document(bun_section.pk)
    assert len(grown) == len(demo)
    assert set(read.namnd_ids) == {bun_section.namnd_id}
    assert after.content_hash == before.content_hash
