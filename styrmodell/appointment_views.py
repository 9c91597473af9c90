"""The pages of named responsibility (styrmodell.appointments), shared by every kind of object
a person can be appointed to answer for: appoint one, see who was, end one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import appointments
from .errors import DomainError
from .formatting import date_text
from .forms import AppointmentForm, CandidateSearchForm
from .models import Appointment
from .views import show_domain_error


def appointment_page(request: HttpRequest, obj, *, title: str, lead: str,
                     default_end) -> HttpResponse:
    """Appoint a person to answer for `obj` (the förvaltningschef of its nämnd only): a name
    search among the candidates (GET ?q=), then the choice, its period and reason (POST)."""
    if not appointments.may_appoint(request.user, obj):
        raise PermissionDenied(_("Bara förvaltningschefen för %(namnd)s kan utse en ansvarig.")
                               % {"namnd": obj.namnd})
    today = timezone.localdate()
    search_form = CandidateSearchForm(request.GET)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    form = AppointmentForm(request.POST or None,
                           initial={"starts_on": today, "ends_on": default_end})
    if request.method == "POST" and form.is_valid():
        try:
            appointment = appointments.appoint(by=request.user, obj=obj, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("%(person)s är ansvarig till och med %(day)s.") % {
                "person": appointment.user.get_full_name() or appointment.user,
                "day": date_text(appointment.ends_on)})
            return redirect(f"{obj.get_absolute_url()}#ansvarig")
    chosen = form.chosen()
    return render(request, "styrmodell/appointment_form.html", {
        "form": form, "obj": obj, "title": title, "lead": lead,
        "search_form": search_form, "query": query, "chosen": chosen,
        "search": appointments.search_candidates(
            obj, query, chosen=chosen.pk if chosen else None),
        "history": appointments.appointments_of(obj), "today": today,
    })


@login_required
@require_POST
def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment.objects.select_related("user"), pk=pk)
    obj = appointment.content_object
    try:
        appointments.end_appointment(by=request.user, appointment=appointment)
    except DomainError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("Ansvaret för %(person)s är avslutat.")
                     % {"person": appointment.user.get_full_name() or appointment.user})
    return redirect(f"{obj.get_absolute_url()}#ansvarig")
