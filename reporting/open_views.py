"""The municipality's open pages (no login): goals, budget, investments and the reports KF has
received, their open data as CSV and JSON with a Data Package descriptor, and the
accessibility statement. Everything shown is decided or approved (reporting.open_data); the
pages are the same for everyone and cached."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from styrmodell.formatting import date_text
from styrmodell.models import BudgetYear, BudgetYearStatus
from styrmodell.paging import page_of, query_without_page

from . import open_data
from .models import Rapportperiod
from .open_filters import OpenProjectFilter
from .pdf_documents import REPORT_PERIOD
from .report_paging import report_page


def _cached(view: Callable) -> Callable:
    return cache_page(settings.OPEN_PAGES_CACHE_SECONDS)(view)


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    latest = _latest_year()
    return render(request, template, {"latest_year": latest.year if latest else None,
                                      **context})


def _year_or_404(year: int) -> BudgetYear:
    years = {budget_year.year: budget_year for budget_year in open_data.public_years()}
    if year not in years:
        raise Http404(_("Det finns inget beslutat för %(year)s.") % {"year": year})
    return years[year]


def _latest_year() -> BudgetYear | None:
    years = open_data.public_years()
    running = [y for y in years if y.status == BudgetYearStatus.RUNNING]
    return (running or years or [None])[0]


@_cached
def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "oppen/index.html", {
        "years": open_data.public_years(), "latest": _latest_year(),
        "reports": open_data.received_reports()[:4],
    })


@_cached
def goals(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year_or_404(year)
    return _render(request, "oppen/goals.html", {
        "data": open_data.goals_of_year(budget_year), "years": open_data.public_years(),
    })


@_cached
def budget(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year_or_404(year)
    frames = open_data.decided_frames(budget_year)
    filters = OpenProjectFilter(request.GET, queryset=open_data.decided_projects(budget_year))
    return _render(request, "oppen/budget.html", {
        "budget_year": budget_year, "frames": frames, "total": open_data.frames_total(frames),
        "filters": filters, "projects": page_of(request, filters.qs),
        "query": query_without_page(request), "years": open_data.public_years(),
    })


@_cached
def reports(request: HttpRequest) -> HttpResponse:
    return _render(request, "oppen/reports.html", {"reports": open_data.received_reports()})


@_cached
def report(request: HttpRequest, year: int, code: str) -> HttpResponse:
    try:
        period = open_data.received_report(year, code)
    except Rapportperiod.DoesNotExist as missing:
        raise Http404 from missing
    # A published document: the same for every reader (user=None), as its PDF.
    shown = report_page(request, period, open_data.approved_sections(period), user=None)
    return _render(request, "oppen/report.html", {
        "period": period, "contents": shown.contents, "overview": shown.overview,
        "page": shown.page,
    })


def _finished_pdf(period: Rapportperiod):
    from .models import PdfRendering, RenderingStatus

    return (PdfRendering.objects.filter(kind=REPORT_PERIOD, object_id=period.pk,
                                        status=RenderingStatus.DONE)
            .defer("pdf").order_by("-finished_at").first())


def report_pdf(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The latest finished PDF of a report KF has received. Without one, the first reader's
    request has it rendered and the reader is asked to come back; while it is made nobody
    starts another."""
    from . import pdf_jobs
    from .models import PdfRendering, RenderingStatus

    try:
        period = open_data.received_report(year, code)
    except Rapportperiod.DoesNotExist as missing:
        raise Http404 from missing
    found = _finished_pdf(period)
    if found is None:
        under_way = PdfRendering.objects.filter(
            kind=REPORT_PERIOD, object_id=period.pk,
            status__in=[RenderingStatus.QUEUED, RenderingStatus.RUNNING]).exists()
        if not under_way:
            pdf_jobs.request_rendering(kind=REPORT_PERIOD, object_id=period.pk)
        response = _render(request, "oppen/report_pdf_pending.html", {"period": period})
        response.status_code = 202
        return response
    rendering = get_object_or_404(PdfRendering, pk=found.pk)
    response = HttpResponse(bytes(rendering.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{rendering.filename}"'
    return response


def accessibility(request: HttpRequest) -> HttpResponse:
    return _render(request, "oppen/accessibility.html", {
        "contact": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "assessed_on": date_text(dt.date.fromisoformat(settings.ACCESSIBILITY_ASSESSED_ON)),
    })


# --- Open data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema: integer, number, string
    title: str


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[str], list[list[object]]]  # given the site's address, for links


def _goal_rows(site: str) -> list[list[object]]:
    rows = []
    for budget_year in open_data.public_years():
        data = open_data.goals_of_year(budget_year)
        for branch in data.namnder:
            for entry in branch.goals:
                assessment = entry.assessment
                rows.append([budget_year.year, str(branch.namnd),
                             entry.goal.overgripande_mal.title if entry.goal.overgripande_mal_id
                             else "", entry.goal.title, entry.goal.target,
                             assessment.period if assessment else "",
                             assessment.get_level_display() if assessment else "",
                             assessment.get_forecast_display() if assessment and
                             assessment.forecast else ""])
    return rows


def _frame_rows(site: str) -> list[list[object]]:
    return [[budget_year.year, str(frame.namnd), frame.total]
            for budget_year in open_data.public_years()
            for frame in open_data.decided_frames(budget_year)]


def _frame_line_rows(site: str) -> list[list[object]]:
    return [[budget_year.year, str(frame.namnd), line.get_kind_display(), line.label, line.amount]
            for budget_year in open_data.public_years()
            for frame in open_data.decided_frames(budget_year)
            for line in frame.lines.all()]


def _project_rows(site: str) -> list[list[object]]:
    seen, rows = set(), []
    for budget_year in open_data.public_years():
        for project in open_data.decided_projects(budget_year):
            if project.pk in seen:
                continue
            seen.add(project.pk)
            rows.append([project.pk, str(project.namnd), project.name,
                         project.get_kind_display(), project.get_status_display(),
                         project.start_year, project.end_year, project.total_budget])
    return rows


def _report_rows(site: str) -> list[list[object]]:
    return [[str(period), period.budget_year.year, period.get_kind_display(),
             site + reverse("open:report", args=[period.budget_year.year, period.code])]
            for period in open_data.received_reports()]


RESOURCES = {resource.name: resource for resource in (
    Resource("namndmal", "Nämndmål och deras senast godkända bedömning", (
        Column("ar", "integer", "År"), Column("namnd", "string", "Nämnd"),
        Column("overgripande_mal", "string", "Övergripande mål"),
        Column("namndmal", "string", "Nämndmål"), Column("malvarde", "string", "Målvärde"),
        Column("uppfoljning", "string", "Uppföljning (feb, apr, aug, okt, ar)"),
        Column("bedomning", "string", "Bedömning"),
        Column("prognos", "string", "Prognos för helåret")), _goal_rows),
    Resource("ramar", "Driftbudgetramar beslutade av KF", (
        Column("ar", "integer", "År"), Column("namnd", "string", "Nämnd"),
        Column("ram_kr", "number", "Ram (kr)")), _frame_rows),
    Resource("ramrader", "Ramarnas delar", (
        Column("ar", "integer", "År"), Column("namnd", "string", "Nämnd"),
        Column("typ", "string", "Typ"), Column("rad", "string", "Rad"),
        Column("belopp_kr", "number", "Belopp (kr)")), _frame_line_rows),
    Resource("investeringar", "Investeringsprojekt beslutade av KF", (
        Column("id", "integer", "Id"), Column("namnd", "string", "Nämnd"),
        Column("projekt", "string", "Projekt"), Column("typ", "string", "Typ"),
        Column("status", "string", "Status"), Column("startar", "integer", "Startår"),
        Column("slutar", "integer", "Slutår"),
        Column("totalbudget_kr", "number", "Totalbudget (kr)")), _project_rows),
    Resource("rapporter", "Rapporter som KF har tagit emot", (
        Column("rapport", "string", "Rapport"), Column("ar", "integer", "År"),
        Column("typ", "string", "Typ"), Column("adress", "string", "Adress")), _report_rows),
)}


def _resource_or_404(name: str) -> Resource:
    if name not in RESOURCES:
        raise Http404
    return RESOURCES[name]


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _plain(value: object) -> object:
    return format(value, "f") if isinstance(value, Decimal) else value


@_cached
def data_index(request: HttpRequest) -> HttpResponse:
    return _render(request, "oppen/data.html", {
        "resources": RESOURCES.values(), "licence": open_data.LICENCE_TITLE,
        "licence_url": open_data.LICENCE_URL,
    })


@_cached
def data_csv(request: HttpRequest, name: str) -> HttpResponse:
    resource = _resource_or_404(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in resource.columns])
    writer.writerows([[_plain(value) for value in row] for row in resource.rows(_site(request))])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@_cached
def data_json(request: HttpRequest, name: str) -> JsonResponse:
    resource = _resource_or_404(name)
    names = [column.name for column in resource.columns]
    return JsonResponse({"name": resource.name, "title": resource.title,
                         "license": open_data.LICENCE,
                         "data": [dict(zip(names, (_plain(v) for v in row), strict=True))
                                  for row in resource.rows(_site(request))]},
                        json_dumps_params={"ensure_ascii": False})


@_cached
def datapackage(request: HttpRequest) -> HttpResponse:
    """The Data Package descriptor (Frictionless Data): the resources with their Table Schema,
    so the figures load into standard tools."""
    base = _site(request)
    descriptor = {
        "profile": "tabular-data-package",
        "name": "styrmodell-oppna-data",
        "title": _("Mål, budget och rapporter – %(municipality)s")
        % {"municipality": settings.MUNICIPALITY_NAME},
        "licenses": [{"name": open_data.LICENCE, "title": open_data.LICENCE_TITLE,
                      "path": open_data.LICENCE_URL}],
        "resources": [{
            "name": resource.name, "title": resource.title, "profile": "tabular-data-resource",
            "path": f"{base}{reverse('open:data_csv', args=[resource.name])}",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": c.name, "type": c.type, "title": c.title}
                                  for c in resource.columns]},
        } for resource in RESOURCES.values()],
    }
    return HttpResponse(json.dumps(descriptor, ensure_ascii=False, indent=2),
                        content_type="application/json; charset=utf-8")
