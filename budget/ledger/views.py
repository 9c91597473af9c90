"""Pages of outcomes: the import log and upload, one import's result, object mappings, and a
year's outcome per nämnd and month (with its Excel export)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from budget.ledger import outcomes
from budget.ledger import selectors as outcomes_selectors
from budget.ledger.forms import MappingForm, OutcomeImportForm
from budget.models import Objektkoppling, Utfallsimport
from styrmodell import uploads
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.lookups import namnd_or_404
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind
from styrmodell.permissions import Action, can, require, require_somewhere
from styrmodell.versioning import check_version, current_version
from styrmodell.views import show_domain_error

DEMO_FILE = "demo/sie/ekbacka-2026-11.se"


@login_required
def outcome_imports(request: HttpRequest) -> HttpResponse:
    """The import log; the finance office uploads a file here."""
    require_somewhere(request.user, Action.VIEW, "outcome")
    may_import = can(request.user, Action.ADD, "outcome")
    form = OutcomeImportForm(request.POST or None, request.FILES or None)
    unmapped = None
    if request.method == "POST":
        require(request.user, Action.ADD, "outcome")
        if uploads.upload_too_large(request):
            form = uploads.refused_form(OutcomeImportForm, request)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = outcomes.import_outcomes(
                    file=upload.file, file_name=upload.name, user=request.user,
                    format=form.cleaned_data["format"] or None)
            except outcomes.UnmappedObjectsError as error:
                unmapped = error
                show_domain_error(form, DomainError(error.message, field="file"))
            except DomainError as error:
                error.field = error.field or "file"
                show_domain_error(form, error)
            else:
                messages.success(request, f"{result.file_name} är inläst: {result.rows_written} "
                                          f"utfallsrader för {result.months_label} {result.year}.")
                return redirect(result)
    return render(request, "budget/ledger/imports.html", {
        "form": form, "may_import": may_import, "unmapped": _unmapped_links(unmapped),
        "imports": outcomes_selectors.import_log(user=request.user),
        "years": outcomes_selectors.outcome_years(), "demo_file": DEMO_FILE,
        "may_map": can(request.user, Action.CHANGE, "outcome"),
        **_municipality_context(request),
    })


def _municipality_context(request: HttpRequest) -> dict:
    kommun = OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).first()
    may_edit = kommun is not None and can(request.user, Action.CHANGE, "organisation", kommun)
    return {"municipality_orgnr": outcomes.municipality_organisation_number(),
            "municipality_url": reverse("unit_edit", args=[kommun.pk]) if may_edit else ""}


def _unmapped_links(error: outcomes.UnmappedObjectsError | None) -> list[dict] | None:
    if error is None:
        return None
    base = reverse("budget:outcome_mappings")
    return [{"object": item, "url": f"{base}?" + urlencode({
        "dimension": item.dimension, "objekt": item.object_id, "namn": item.name})}
        for item in error.objects[:outcomes.MAX_LISTED]]


@login_required
def outcome_import(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: per nämnd the months and totals it wrote."""
    utfallsimport = get_object_or_404(
        Utfallsimport.objects.select_related("imported_by", "replaced_by"), pk=pk)
    require_somewhere(request.user, Action.VIEW, "outcome")
    return render(request, "budget/ledger/import.html", {
        "imp": utfallsimport, "notes": [n for n in utfallsimport.source_note.splitlines() if n],
        "table": outcomes_selectors.import_result(utfallsimport=utfallsimport,
                                                  user=request.user),
        "replaced": utfallsimport.replaced.all(),
    })


def _year_or_404(year: int) -> None:
    """A budget year, or a year of which outcomes were imported (an older ledger year)."""
    if not (BudgetYear.objects.filter(year=year).exists()
            or year in outcomes_selectors.outcome_years()):
        raise Http404


@login_required
def outcome_year(request: HttpRequest, year: int) -> HttpResponse:
    _year_or_404(year)
    require_somewhere(request.user, Action.VIEW, "outcome")
    years = sorted(set(outcomes_selectors.outcome_years()) | {year}, reverse=True)
    return render(request, "budget/ledger/year.html", {
        "year": year, "years": years,
        "table": outcomes_selectors.outcome_by_month(year=year, user=request.user),
    })


def _sheet(table: outcomes_selectors.MonthTable, *, title: str, first: str,
           caption: str) -> Sheet:
    rows = [[str(row.label), *row.cells, row.total] for row in table.rows]
    rows.append(["Summa", *table.month_totals, table.total])
    return Sheet(title=title, headers=[first, *table.month_labels, "Summa"], rows=rows,
                 caption=[f"{caption} (kr; kostnader positiva, intäkter negativa)",
                          f"Uttaget {timezone.localtime():%Y-%m-%d %H:%M}"])


@login_required
def outcome_year_excel(request: HttpRequest, year: int) -> HttpResponse:
    _year_or_404(year)
    require_somewhere(request.user, Action.VIEW, "outcome")
    table = outcomes_selectors.outcome_by_month(year=year, user=request.user)
    return xlsx_response(f"utfall-{year}", [_sheet(
        table, title=f"Utfall {year}", first="Nämnd",
        caption=f"Utfall {year} per nämnd och månad")])


@login_required
def outcome_namnd(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    """One nämnd's outcome of a year per verksamhet and per account."""
    _year_or_404(year)
    namnd = namnd_or_404(namnd_id)
    require(request.user, Action.VIEW, "outcome", namnd)
    by_verksamhet, by_account = outcomes_selectors.outcome_of_namnd(year=year, namnd=namnd)
    return render(request, "budget/ledger/namnd.html", {
        "year": year, "namnd": namnd, "by_verksamhet": by_verksamhet,
        "by_account": by_account})


@login_required
def outcome_namnd_excel(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    _year_or_404(year)
    namnd = namnd_or_404(namnd_id)
    require(request.user, Action.VIEW, "outcome", namnd)
    by_verksamhet, by_account = outcomes_selectors.outcome_of_namnd(year=year, namnd=namnd)
    name = namnd.short_name or namnd.name
    return xlsx_response(f"utfall-{year}-{name}", [
        _sheet(by_verksamhet, title="Per verksamhet", first="Verksamhet",
               caption=f"Utfall {year} {namnd} per verksamhet och månad"),
        _sheet(by_account, title="Per konto", first="Konto",
               caption=f"Utfall {year} {namnd} per konto och månad"),
    ])


@login_required
def outcome_import_excel(request: HttpRequest, pk: int) -> HttpResponse:
    utfallsimport = get_object_or_404(Utfallsimport, pk=pk)
    require_somewhere(request.user, Action.VIEW, "outcome")
    table = outcomes_selectors.import_result(utfallsimport=utfallsimport, user=request.user)
    return xlsx_response(f"utfallsimport-{utfallsimport.pk}", [_sheet(
        table, title="Inläst utfall", first="Nämnd",
        caption=f"Inläst från {utfallsimport.file_name} {utfallsimport.imported_at:%Y-%m-%d}")])


@login_required
def outcome_mappings(request: HttpRequest) -> HttpResponse:
    """Which nämnd each ledger object belongs to; the finance office adds mappings here."""
    require_somewhere(request.user, Action.VIEW, "outcome")
    may_change = can(request.user, Action.CHANGE, "outcome")
    initial = {"dimension": request.GET.get("dimension") or 1,
               "object_id": request.GET.get("objekt", ""), "name": request.GET.get("namn", "")}
    form = MappingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(request.user, Action.CHANGE, "outcome")
        if form.is_valid():
            try:
                mapping = outcomes.save_mapping(**_mapping_fields(form))
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"Objekt {mapping.object_id} är kopplat till "
                                          f"{mapping.namnd}.")
                return redirect("budget:outcome_mappings")
    return render(request, "budget/ledger/mappings.html", {
        "form": form, "may_change": may_change, "mappings": outcomes_selectors.mappings(),
        "prefilled": bool(request.GET.get("objekt")),
    })


def _mapping_fields(form: MappingForm) -> dict:
    data = form.changes()
    return {"dimension": data["dimension"], "object_id": data["object_id"],
            "name": data["name"], "namnd": data["namnd"], "verksamhet": data["verksamhet"]}


@login_required
def outcome_mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_object_or_404(Objektkoppling.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "outcome")
    form = MappingForm(request.POST or None, initial={
        "dimension": mapping.dimension, "object_id": mapping.object_id, "name": mapping.name,
        "namnd": mapping.namnd_id, "verksamhet": mapping.verksamhet_id,
        "version": current_version(mapping)})
    if request.method == "POST" and form.is_valid():
        try:
            check_version(mapping, form.cleaned_data["version"])
            outcomes.save_mapping(mapping=mapping, **_mapping_fields(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Kopplingen av objekt {mapping.object_id} är ändrad.")
            return redirect("budget:outcome_mappings")
    return render(request, "budget/ledger/mapping_form.html", {"form": form,
                                                                  "mapping": mapping})
