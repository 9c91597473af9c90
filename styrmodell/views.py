"""Pages of the core: start page, organisation, people, periods, budget years and calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import dialogue, notifications, passwords, selectors, services, start_page
from .calendar import prefill_calendar
from .errors import DomainError
from .filtersets import PersonFilter, UnitFilter
from .forms import (
    AssignmentForm,
    BudgetYearEditForm,
    BudgetYearForm,
    CommentForm,
    EndAssignmentForm,
    EventForm,
    MandatePeriodEditForm,
    MandatePeriodForm,
    MeetingForm,
    PersonEditForm,
    PersonForm,
    UnitForm,
)
from .models import (
    BudgetYear,
    CalendarEvent,
    EventKind,
    MandatePeriod,
    Notification,
    OrganisationUnit,
    Role,
    RoleAssignment,
    User,
)
from .paging import page_of, query_without_page
from .permissions import (
    ACTION_LABELS,
    KINDS,
    PERMISSION_TABLE,
    Action,
    active_assignments,
    can,
    may_somewhere,
    require,
)
from .versioning import current_version


def show_domain_error(form, error: DomainError) -> None:
    for field, message in error.errors:
        form.add_error(field if field in form.fields else None, message)


def no_budget_year(request: HttpRequest, *, title: str) -> HttpResponse:
    """The page every view that opens on a budget year answers while none exists yet."""
    return render(request, "styrmodell/no_budget_year.html", {
        "title": title, "may_add_budget_year": can(request.user, Action.ADD, "budget_year"),
    })


@login_required
def start(request: HttpRequest) -> HttpResponse:
    assignments = active_assignments(request.user)
    return render(
        request,
        "styrmodell/start.html",
        {
            "panels": start_page.panels_for(request.user, timezone.localdate(), assignments),
            "notifications": notifications.unread_for(request.user),
            "assignments": assignments,
            "my_namnder": selectors.my_namnder(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(user=request.user, notification_id=pk)
    return redirect("start")


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "organisation")
    filters = UnitFilter(request.GET, queryset=selectors.organisation_units())
    chosen_namnd = filters.chosen_namnd
    page = page_of(request, filters.qs)
    page.object_list = selectors.with_holder_counts(page.object_list)
    return render(
        request,
        "styrmodell/organisation.html",
        {
            "filters": filters,
            "chosen_namnd": chosen_namnd,
            "page": page,
            "query": query_without_page(request),
            "group_companies": None if chosen_namnd else selectors.group_companies(),
            "may_add": can(request.user, Action.ADD, "organisation"),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrganisationUnit, pk=pk)
    require(request.user, Action.VIEW, "organisation", unit)
    today = timezone.localdate()
    return render(
        request,
        "styrmodell/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": unit.children.order_by("sort_order", "name"),
            "current_page": page_of(request, selectors.current_unit_assignments(unit, today)),
            "query": query_without_page(request),
            "past_assignments": selectors.other_unit_assignments(unit, today),
            "past_shown": selectors.OTHER_ASSIGNMENTS_SHOWN,
            "change_log": selectors.change_log(unit),
            "may_change": can(request.user, Action.CHANGE, "organisation", unit),
            "may_assign": can(request.user, Action.ADD, "role_assignment", unit),
            **dialogue_context(request, unit),
        },
    )


def _comment_form(subject, data=None) -> CommentForm:
    """Field ids of their own where one page shows several threads."""
    if dialogue.is_nested(subject):
        return CommentForm(data, auto_id=f"{dialogue.anchor(subject)}-%s")
    return CommentForm(data)


def dialogue_context(request: HttpRequest, subject, form: CommentForm | None = None) -> dict:
    if not dialogue.may_read(request.user, subject):
        return {}
    return {
        "dialogue_subject": subject,
        "dialogue_host": dialogue.host_key(type(subject)),
        "dialogue_anchor": dialogue.anchor(subject),
        "dialogue_nested": dialogue.is_nested(subject),
        "dialogue_thread": dialogue.thread(subject),
        "dialogue_may_write": dialogue.may_write(request.user, subject),
        "dialogue_form": form or _comment_form(subject),
    }


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = OrganisationUnit.objects.filter(pk=request.GET["parent"]).first()
    require(request.user, Action.ADD, "organisation", parent)
    form = UnitForm(request.POST or None, initial={"parent": parent, "is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(**form.unit_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("%(unit)s har lagts till.") % {"unit": unit})
            return redirect(unit)
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Ny organisationsenhet"),
            "back_url": "/organisation/",
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrganisationUnit, pk=pk)
    require(request.user, Action.CHANGE, "organisation", unit)
    initial = {
        "version": current_version(unit),
        **{name: getattr(unit, name) for name in UnitForm.base_fields if name != "version"},
    }
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(
                unit=unit, version=form.cleaned_data["version"], **form.unit_fields()
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(unit)
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Ändra %(what)s") % {"what": unit},
            "back_url": unit.get_absolute_url(),
        },
    )


@login_required
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrganisationUnit, pk=pk)
    require(request.user, Action.ADD, "role_assignment", unit)
    form = AssignmentForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_role(unit=unit, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Rollen är tilldelad."))
            return redirect(unit)
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Tilldela roll i %(unit)s") % {"unit": unit},
            "back_url": unit.get_absolute_url(),
        },
    )


@login_required
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("unit"), pk=pk)
    require(request.user, Action.CHANGE, "role_assignment", assignment.unit)
    form = EndAssignmentForm(request.POST or None, initial={"last_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_assignment(assignment=assignment, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Uppdraget är avslutat."))
            return redirect(assignment.unit)
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Avsluta %(assignment)s") % {"assignment": assignment},
            "back_url": assignment.unit.get_absolute_url(),
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "person")
    filters = PersonFilter(request.GET, queryset=selectors.people())
    page = page_of(request, filters.qs)
    page.object_list = selectors.with_current_roles(list(page.object_list))
    return render(
        request,
        "styrmodell/person_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query_without_page(request),
            "may_add": can(request.user, Action.ADD, "person"),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    require(request.user, Action.VIEW, "person")
    today = timezone.localdate()
    assignments = person.assignments.select_related("role", "unit", "mandate_period").order_by(
        "-valid_from"
    )
    current, past = selectors.split_current(assignments, today)
    return render(
        request,
        "styrmodell/person_detail.html",
        {
            "person": person,
            "current_assignments": current,
            "past_assignments": past,
            "change_log": selectors.change_log(person)
            if can(request.user, Action.CHANGE, "person")
            else None,
            "may_change": can(request.user, Action.CHANGE, "person"),
        },
    )


@login_required
@require_POST
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The administrator e-mails a person a link to choose a new local password."""
    person = get_object_or_404(User, pk=pk)
    require(request.user, Action.CHANGE, "person")
    try:
        passwords.send_reset_link(person=person, base_url=request.build_absolute_uri("/"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("En länk för att välja nytt lösenord har skickats till "
                                    "%(email)s.") % {"email": person.email})
    return redirect("person_detail", pk=person.pk)


def edit_page(request, *, obj, form_class, kind: str, unit=None, title: str):
    """The one shape of every plain edit page: check, show with version, save or explain."""
    require(request.user, Action.CHANGE, kind, unit)
    fields = [name for name in form_class.base_fields if name != "version"]
    initial = {"version": current_version(obj), **{n: getattr(obj, n) for n in fields}}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_fields(obj=obj, version=version, **data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(obj)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": title, "back_url": obj.get_absolute_url(),
    })


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    return edit_page(request, obj=person, form_class=PersonEditForm, kind="person",
                     title=_("Ändra %(what)s") % {"what": person})


@login_required
def mandate_period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(MandatePeriod, pk=pk)
    return edit_page(request, obj=period, form_class=MandatePeriodEditForm,
                     kind="mandate_period",
                     title=_("Ändra mandatperiod %(period)s") % {"period": period})


@login_required
def budget_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    return edit_page(request, obj=budget_year, form_class=BudgetYearEditForm,
                     kind="budget_year", title=_("Ändra budgetår %(year)s") % {"year": budget_year})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ADD, "person")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(**form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            added = _("%(person)s har lagts till. Tilldela en roll på en enhet.")
            messages.success(request, added % {"person": person})
            return redirect(person)
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Ny person"),
            "back_url": "/personer/",
        },
    )


@login_required
def mandate_periods(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "mandate_period")
    may_add = can(request.user, Action.ADD, "mandate_period")
    form = MandatePeriodForm(request.POST or None) if may_add else None
    if request.method == "POST":
        require(request.user, Action.ADD, "mandate_period")
        if form.is_valid():
            form.save()
            messages.success(request, _("Mandatperioden är sparad."))
            return redirect("mandate_period_list")
    return render(
        request,
        "styrmodell/mandate_periods.html",
        {
            "periods": MandatePeriod.objects.all(),
            "form": form,
        },
    )


@login_required
def budget_years(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "budget_year")
    may_add = can(request.user, Action.ADD, "budget_year")
    form = BudgetYearForm(request.POST or None) if may_add else None
    if request.method == "POST":
        require(request.user, Action.ADD, "budget_year")
        if form.is_valid():
            try:
                year = services.create_budget_year(**form.cleaned_data)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                created = _("Budgetår %(year)s är skapat med styrmodellens kalender.")
                messages.success(request, created % {"year": year})
                return redirect(year)
    return render(
        request,
        "styrmodell/budget_years.html",
        {
            "years": selectors.budget_years().select_related("mandate_period"),
            "form": form,
        },
    )


@login_required
def budget_year_detail(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "budget_year")
    events = list(selectors.budget_year_events(budget_year))
    return render(
        request,
        "styrmodell/budget_year_detail.html",
        {
            "budget_year": budget_year,
            "steps": [e for e in events if e.kind != EventKind.MEETING],
            "meetings": [e for e in events if e.kind == EventKind.MEETING],
            "may_edit": can(request.user, Action.CHANGE, "calendar_event"),
        "may_change_year": can(request.user, Action.CHANGE, "budget_year"),
            "may_add_meeting": can_add_any_meeting(request.user),
            "change_log": selectors.change_log(budget_year),
        },
    )


@login_required
@require_POST
def budget_year_prefill(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.ADD, "calendar_event")
    added = prefill_calendar(budget_year=budget_year)
    if added:
        # The Swedish reads the same for one step or many; the plural is for other languages.
        done = ngettext("%(count)s steg från styrmodellen har lagts till.",
                        "%(count)s steg från styrmodellen har lagts till.", added)
        messages.success(request, done % {"count": added})
    else:
        messages.info(request, _("Kalendern har redan alla styrmodellens steg."))
    return redirect(budget_year)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(CalendarEvent.objects.select_related("unit", "budget_year"), pk=pk)
    require(request.user, Action.VIEW, "calendar_event")
    kind = "meeting" if event.kind == EventKind.MEETING else "calendar_event"
    return render(
        request,
        "styrmodell/event_detail.html",
        {
            "event": event,
            "may_change": can(request.user, Action.CHANGE, kind, event.unit),
            "change_log": selectors.change_log(event),
        },
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(CalendarEvent.objects.select_related("budget_year"), pk=pk)
    kind = "meeting" if event.kind == EventKind.MEETING else "calendar_event"
    require(request.user, Action.CHANGE, kind, event.unit)
    initial = {
        "version": current_version(event),
        "title": event.title,
        "kind": event.kind,
        "date": event.date,
        "unit": event.unit,
        "description": event.description,
        "responsible_roles": list(event.responsible_roles.all()),
    }
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(
                event=event,
                budget_year=event.budget_year,
                version=form.cleaned_data["version"],
                **form.event_fields(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Händelsen är sparad."))
            return redirect(event)
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Ändra %(what)s") % {"what": event.title},
            "back_url": event.get_absolute_url(),
        },
    )


@login_required
def meeting_create(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["unit"]
        require(request.user, Action.ADD, "meeting", body)
        try:
            services.add_meeting(budget_year=budget_year, body=body, date=form.cleaned_data["date"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Sammanträdet är inlagt."))
            return redirect(budget_year)
    elif not can_add_any_meeting(request.user):
        require(request.user, Action.ADD, "meeting")
    return render(
        request,
        "styrmodell/form_page.html",
        {
            "form": form,
            "title": _("Nytt sammanträde %(year)s") % {"year": budget_year},
            "back_url": budget_year.get_absolute_url(),
        },
    )


def can_add_any_meeting(user) -> bool:
    return may_somewhere(user, "meeting", Action.ADD)


@login_required
@require_POST
def dialogue_post(request: HttpRequest, host: str, pk: int) -> HttpResponse:
    registered = dialogue.host_for(host)
    if registered is None:
        raise Http404
    subject = get_object_or_404(registered.model, pk=pk)
    require(request.user, Action.VIEW, registered.kind, subject.owner_unit)
    require(request.user, Action.COMMENT, "dialogue", subject.owner_unit)
    form = _comment_form(subject, request.POST)
    if form.is_valid():
        try:
            dialogue.post_comment(
                author=request.user, subject=subject, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            form = _comment_form(subject)
    context = dialogue_context(request, subject, form)
    if request.headers.get("HX-Request"):
        return render(request, "styrmodell/includes/dialogue.html", context)
    if form.errors:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    page = subject.get_absolute_url().split("#")[0]
    return redirect(f"{page}#{dialogue.anchor(subject)}")


@login_required
def permission_table(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.all())
    everyone = {role.code for role in roles}
    rows = []
    for code, actions in PERMISSION_TABLE.items():
        for action, allowed in actions.items():
            rows.append({
                "kind": KINDS[code], "action": ACTION_LABELS[action],
                "everyone": everyone <= allowed,
                "roles": [role for role in roles if role.code in allowed],
            })
    return render(request, "styrmodell/permission_table.html", {"roles": roles, "rows": rows})
