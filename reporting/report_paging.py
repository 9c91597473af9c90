"""The municipality's report read in the browser: a few nämnders' sections a page, each page
with the overview of every nämnd and contents that link to the page that has each section.
A big city's thirty sections on one page would cost its readers and the server alike; the PDF
has them all."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import HttpRequest

from styrmodell.paging import PAGE_PARAMETER, page_of

from .models import Rapportavsnitt, Rapportperiod
from .reports_content import (
    EconomyOverview,
    OutcomeRead,
    SectionContent,
    assemble,
    economies,
    economy_overview,
)

SECTIONS_PER_PAGE = 5


@dataclass
class ReportPage:
    page: Page  # of the sections
    overview: EconomyOverview  # every nämnd's economy, each row linking to its section
    contents: list[SectionContent]  # the sections of this page, whole


def report_page(request: HttpRequest, period: Rapportperiod, sections: list[Rapportavsnitt],
                *, user) -> ReportPage:
    """The page of the compiled report the address asks for (`?sida=2`): the outcome is read
    once for the overview and the page's sections."""
    page = page_of(request, sections, per_page=SECTIONS_PER_PAGE)
    outcome = OutcomeRead()
    every_namnd = _on_their_pages(economies(period, sections, outcome_read=outcome), page)
    contents = assemble(period, list(page.object_list), user=user, compiled=True,
                        outcome_read=outcome)
    return ReportPage(page=page, overview=economy_overview(every_namnd), contents=contents)


def _on_their_pages(contents: list[SectionContent], page: Page) -> list[SectionContent]:
    """Each section's link from the overview and the contents: to its place on this page, or
    to the report's page that shows it."""
    for index, content in enumerate(contents):
        number = index // page.paginator.per_page + 1
        content.page_query = "" if number == page.number else f"?{PAGE_PARAMETER}={number}"
    return contents
