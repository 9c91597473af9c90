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

from budget.ledger import mappings as mapping_rules
from budget.ledger import outcomes, preview, upload_jobs
from budget.ledger import selectors as outcomes_selectors
from budget.ledger.forms import (
    Choices,
    MappingFileForm,
    MappingForm,
    MappingTableFormSet,
    OutcomeImportForm,
    RulesForm,
    UnmappedFormSet,
)
from budget.models import (
    MappingKind,
    Objektkoppling,
    Utfallsfil,
    Utfallsimport,
    Utfallsregler,
)
from styrmodell import uploads
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.formatting import date_short, moment_short
from styrmodell.lookups import namnd_or_404
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind
from styrmodell.permissions import Action, can, require, require_somewhere
from styrmodell.versioning import check_version, current_version
from styrmodell.views import show_domain_error

DEMO_FILE = "demo/sie/ekbacka-2026-11.se"
POLL_SECONDS = 1


@login_required
def outcome_imports(request: HttpRequest) -> HttpResponse:
    """The import log; the finance office uploads a file here, and it is read in the
    background (its progress, preview or refusal on its own page)."""
    require_somewhere(request.user, Action.VIEW, "outcome")
    may_import = can(request.user, Action.ADD, "outcome")
    form = OutcomeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.user, Action.ADD, "outcome")
        if uploads.upload_too_large(request):
            form = uploads.refused_form(OutcomeImportForm, request)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                received = upload_jobs.receive(file=upload, file_name=upload.name,
                                               user=request.user,
                                               format=form.cleaned_data["format"] or None)
            except DomainError as error:
                error.field = error.field or "file"
                show_domain_error(form, error)
            else:
                return redirect(received)
    return render(request, "budget/ledger/imports.html", {
        "form": form, "may_import": may_import,
        "open_uploads": outcomes_selectors.open_uploads() if may_import else [],
        "imports": outcomes_selectors.import_log(user=request.user),
        "years": outcomes_selectors.outcome_years(), "demo_file": DEMO_FILE,
        **_municipality_context(request),
    })


def _upload_or_404(request: HttpRequest, pk: int) -> Utfallsfil:
    upload = get_object_or_404(Utfallsfil.objects.select_related(
        "uploaded_by", "confirmed_by", "result"), pk=pk)
    require(request.user, Action.ADD, "outcome")
    return upload


@login_required
def outcome_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded file on its way in: its progress (polled), its preview to confirm, or why it
    was refused with one form that maps every unmapped object."""
    upload = _upload_or_404(request, pk)
    if request.method == "POST":
        return _act_on_upload(request, upload)
    if upload.is_done and upload.result_id:
        result = upload.result
        messages.success(request, f"{upload.file_name} är inläst: {result.rows_written} "
                                  f"utfallsrader för {result.months_label} {result.year}.")
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = upload.result.get_absolute_url()
            return response
        return redirect(upload.result)
    context = _upload_context(request, upload)
    template = ("budget/ledger/_upload_status.html" if _is_htmx(request)
                else "budget/ledger/upload.html")
    return render(request, template, context)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _upload_context(request: HttpRequest, upload: Utfallsfil) -> dict:
    unmapped = [outcomes.UnmappedObject(**item) for item in upload.unmapped]
    formset = UnmappedFormSet(initial=[{"object_id": item.object_id, "name": item.name}
                                       for item in unmapped], prefix="okopplade",
                              form_kwargs={"choices": Choices()}) if unmapped else None
    links = _unmapped_links(unmapped)
    return {
        "upload": upload, "abandoned": upload_jobs.is_abandoned(upload),
        "summary": preview.summary_of(upload.preview) if upload.is_preview else None,
        "unmapped_formset": formset,
        "unmapped_pairs": list(zip(links, formset.forms, strict=True)) if formset else [],
        "may_map": can(request.user, Action.CHANGE, "outcome"),
        "poll_seconds": POLL_SECONDS,
    }


def _act_on_upload(request: HttpRequest, upload: Utfallsfil) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        if action == "bekrafta":
            upload_jobs.confirm(upload=upload, user=request.user,
                                digest=request.POST.get("digest", ""))
        elif action == "las-igen":
            upload_jobs.read_again(upload=upload)
        elif action == "avbryt":
            upload_jobs.cancel(upload=upload)
            messages.success(request, f"Inläsningen av {upload.file_name} är avbruten. Inget "
                                      "utfall ändrades.")
            return redirect("budget:outcome_imports")
        else:
            raise DomainError("Okänd åtgärd.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(upload)


def _municipality_context(request: HttpRequest) -> dict:
    kommun = OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).first()
    may_edit = kommun is not None and can(request.user, Action.CHANGE, "organisation", kommun)
    return {"municipality_orgnr": outcomes.municipality_organisation_number(),
            "municipality_url": reverse("unit_edit", args=[kommun.pk]) if may_edit else ""}


def _unmapped_links(objects: list[outcomes.UnmappedObject]) -> list[dict]:
    base = reverse("budget:outcome_mappings")
    return [{"object": item, "url": f"{base}?" + urlencode({
        "dimension": item.dimension, "objekt": item.object_id, "namn": item.name})}
        for item in objects]


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
        "before_after": outcomes_selectors.replaced_by_import(utfallsimport=utfallsimport,
                                                             user=request.user),
        # The follow-up pages the import changed (an older ledger year may have none).
        "followup_year": BudgetYear.objects.filter(year=utfallsimport.year).exists(),
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
                          f"Uttaget {moment_short(timezone.localtime())}"])


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
        caption=f"Inläst från {utfallsimport.file_name} "
                f"{date_short(timezone.localdate(utfallsimport.imported_at))}")])


@login_required
def outcome_mappings(request: HttpRequest) -> HttpResponse:
    """The mapping rules as one table, the import's rules beside them, and the table as a file;
    the finance office also adds a single mapping here (from a refused file's link)."""
    require_somewhere(request.user, Action.VIEW, "outcome")
    may_change = can(request.user, Action.CHANGE, "outcome")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST":
        require(request.user, Action.CHANGE, "outcome")
    initial = {"dimension": request.GET.get("dimension") or 1,
               "object_id": request.GET.get("objekt", ""), "name": request.GET.get("namn", "")}
    form = MappingForm(request.POST if action == "" and request.method == "POST" else None,
                       initial=initial)
    rules = Utfallsregler.current()
    mappings = list(mapping_rules.current_mappings(rules))
    rules_form = RulesForm(request.POST if action == "regler" else None,
                           initial=_rules_initial(rules), prefix="regler")
    table = MappingTableFormSet(request.POST if action == "tabell" else None,
                                initial=_table_initial(mappings), prefix="tabell",
                                form_kwargs={"choices": Choices()})
    file_form = MappingFileForm(request.POST if action == "fil" else None,
                                request.FILES if action == "fil" else None, prefix="fil")
    table_errors: list[str] = []
    if request.method == "POST":
        saved = None
        if action == "regler" and rules_form.is_valid():
            saved = _save_rules(request, rules_form)
        elif action == "tabell" and table.is_valid():
            saved, table_errors = _save_table(request, table)
        elif action == "fil" and file_form.is_valid():
            saved, table_errors = _save_file(request, file_form)
        elif action == "" and form.is_valid():
            saved = _save_one(request, form)
        if saved:
            return redirect("budget:outcome_mappings")
    return render(request, "budget/ledger/mappings.html", {
        "form": form, "rules_form": rules_form, "table": table, "file_form": file_form,
        "table_errors": table_errors, "may_change": may_change,
        "mappings": mappings, "rules": rules,
        "prefilled": bool(request.GET.get("objekt")),
    })


def _rules_initial(rules: Utfallsregler) -> dict:
    return {"ansvar_dimension": rules.ansvar_dimension,
            "verksamhet_dimension": rules.verksamhet_dimension,
            "unplaced_namnd": rules.unplaced_namnd_id}


def _table_initial(mappings: list[Objektkoppling]) -> list[dict]:
    return [{"kind": mapping.kind, "object_id": mapping.object_id,
             "object_to": mapping.object_to, "name": mapping.name, "namnd": mapping.namnd_id,
             "verksamhet": mapping.verksamhet_id}
            for mapping in mappings]


def _save_rules(request: HttpRequest, form: RulesForm) -> bool:
    try:
        mapping_rules.save_rules(**form.cleaned_data)
    except DomainError as error:
        show_domain_error(form, error)
        return False
    messages.success(request, "Reglerna för utfallsimporten är sparade.")
    return True


def _table_rows(table: MappingTableFormSet) -> list[mapping_rules.MappingRow]:
    rows = []
    for number, row in enumerate(table.forms, 1):
        data = row.cleaned_data
        if not data or data.get("DELETE") or not (data.get("object_id") or data.get("namnd")):
            continue
        rows.append(mapping_rules.MappingRow(
            data["kind"], data["object_id"].strip(), data["object_to"].strip(),
            data["name"].strip(), data["namnd"], data["verksamhet"], number))
    return rows


def _save_table(request: HttpRequest, table) -> tuple[bool, list[str]]:
    try:
        saved = mapping_rules.replace_mappings(_table_rows(table))
    except mapping_rules.MappingTableError as error:
        return False, error.row_errors
    messages.success(request, f"Kopplingarna är sparade: {len(saved)} regler.")
    return True, []


def _save_file(request: HttpRequest, form: MappingFileForm) -> tuple[bool, list[str]]:
    upload = form.cleaned_data["file"]
    try:
        saved = mapping_rules.replace_mappings(
            mapping_rules.read_table(upload.file, upload.name))
    except mapping_rules.MappingTableError as error:
        return False, error.row_errors
    except DomainError as error:
        show_domain_error(form, error)
        return False, []
    messages.success(request, f"Kopplingarna är inlästa från {upload.name}: {len(saved)} regler "
                              "ersätter de tidigare.")
    return True, []


def _save_one(request: HttpRequest, form: MappingForm) -> bool:
    try:
        mapping = outcomes.save_mapping(**_mapping_fields(form))
    except DomainError as error:
        show_domain_error(form, error)
        return False
    messages.success(request, f"Objekt {mapping.object_id} är kopplat till {mapping.namnd}.")
    return True


@login_required
def outcome_mappings_export(request: HttpRequest) -> HttpResponse:
    """The mapping table as Excel (or CSV with ?format=csv), in the columns the import reads."""
    require_somewhere(request.user, Action.VIEW, "outcome")
    if request.GET.get("format") == "csv":
        response = HttpResponse(mapping_rules.csv_bytes(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="objektkopplingar.csv"'
        return response
    return xlsx_response("objektkopplingar", [Sheet(
        title="Objektkopplingar", headers=list(mapping_rules.COLUMNS),
        rows=mapping_rules.table_rows(),
        caption=[f"Objektkopplingar i dimension {Utfallsregler.current().ansvar_dimension}",
                 f"Uttaget {moment_short(timezone.localtime())}"])])


@login_required
def outcome_mappings_unmapped(request: HttpRequest) -> HttpResponse:
    """Map every object a refused file left unmapped, in one form; then the same file is read
    again (no new upload)."""
    require(request.user, Action.CHANGE, "outcome")
    if request.method != "POST":
        return redirect("budget:outcome_imports")
    upload = Utfallsfil.objects.filter(pk=_int_or_none(request.POST.get("fil"))).first()
    back = redirect(upload) if upload else redirect("budget:outcome_imports")
    formset = UnmappedFormSet(request.POST, prefix="okopplade",
                              form_kwargs={"choices": Choices()})
    if not formset.is_valid():
        messages.error(request, "Kopplingarna kunde inte läsas; läs in filen igen.")
        return back
    rows = [mapping_rules.MappingRow(MappingKind.EXACT, data["object_id"].strip(), "",
                                     data["name"], data["namnd"], None, number)
            for number, data in enumerate(formset.cleaned_data, 1) if data.get("namnd")]
    if not rows:
        messages.error(request, "Välj en nämnd för minst ett objekt.")
        return back
    try:
        mapping_rules.add_mappings(rows)
    except mapping_rules.MappingTableError as error:
        messages.error(request, error.message)
        return back
    if upload is not None and upload.is_refused:
        upload_jobs.read_again(upload=upload)
        messages.success(request, f"{len(rows)} objekt är kopplade, och filen läses in igen.")
    else:
        messages.success(request, f"{len(rows)} objekt är kopplade. Läs in filen igen.")
    return back


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


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
