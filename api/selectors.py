"""What each endpoint lists: the rows the person may read in the browser, restricted in SQL by
the permission layer (styrmodell.permissions), with their related rows fetched up front.

Each function mirrors the list page of its kind; medarbetarplaner are personal (G10) and are
not in the API at all.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from budget.models import (
    Anslag,
    Driftbudgetram,
    Investeringsprojekt,
    Prognos,
    Prognosrad,
    Ramrad,
    UtfallManad,
    Volymmatt,
    Volymuppfoljning,
)
from deviations.models import Avvikelse
from deviations.selectors import readable_cases
from goals.models import Malbedomning, Namndmal, Nyckeltal, NyckeltalVarde
from goals.selectors import visible_namndmal
from reporting.models import Rapportavsnitt, Rapportperiod, SectionStatus
from styrmodell.appointments import answered_by
from styrmodell.permissions import Action, may_somewhere, restrict


def outcome_months(user) -> QuerySet[UtfallManad]:
    """A nämnd's net outcome per month (the outcome pages, budget/ledger)."""
    return (restrict(UtfallManad.objects.all(), user, "outcome", unit_field="namnd")
            .select_related("namnd").order_by("year", "namnd__path", "month", "pk"))


def frames(user) -> QuerySet[Driftbudgetram]:
    """Every nämnd's frame at each stage with its lines (the frame pages, B2)."""
    return (restrict(Driftbudgetram.objects.all(), user, "frame", unit_field="namnd")
            .select_related("namnd", "budget_year")
            .prefetch_related(Prefetch("lines", queryset=Ramrad.objects.order_by("position",
                                                                                   "pk")))
            .order_by("budget_year__year", "namnd__path", "stage", "pk"))


def forecasts(user) -> QuerySet[Prognos]:
    """The förvaltningar's full-year forecasts per follow-up, with their lines (F1)."""
    return (restrict(Prognos.objects.all(), user, "forecast", unit_field="namnd")
            .select_related("namnd", "budget_year")
            .prefetch_related(Prefetch("lines", queryset=Prognosrad.objects
                                       .select_related("verksamhet")
                                       .order_by("verksamhet__code", "pk")))
            .order_by("budget_year__year", "namnd__path", "period", "pk"))


def goals(user) -> QuerySet[Namndmal]:
    """Nämndmål with their assessments: adopted ones for everyone who reads goals, drafts only
    within their nämnd (P5), as on the goal pages."""
    return (visible_namndmal(user)
            .select_related("namnd", "budget_year", "overgripande_mal")
            .prefetch_related(Prefetch("assessments", queryset=Malbedomning.objects
                                       .order_by("pk")))
            .order_by("budget_year__year", "namnd__path", "pk"))


def deviation_cases(user) -> QuerySet[Avvikelse]:
    """The deviation cases (§7), as in the case register."""
    return (readable_cases(user).select_related("namnd", "budget_year")
            .order_by("budget_year__year", "namnd__path", "opened_on", "pk"))


def key_figures(user) -> QuerySet[Nyckeltal]:
    """The key figures (common and each nämnd's own), as on the key figure list."""
    return (restrict(Nyckeltal.objects.all(), user, "nyckeltal", unit_field="namnd")
            .select_related("namnd").order_by("name", "pk"))


def key_figure_values(user) -> QuerySet[NyckeltalVarde]:
    """The values of the key figures the person may read, per unit and year."""
    readable = restrict(Nyckeltal.objects.all(), user, "nyckeltal", unit_field="namnd")
    return (NyckeltalVarde.objects.filter(nyckeltal__in=readable)
            .select_related("nyckeltal", "unit")
            .order_by("nyckeltal__name", "nyckeltal_id", "unit__path", "period", "pk"))


def volumes(user) -> QuerySet[Volymmatt]:
    """Each nämnd's volume measures with their follow-ups (F1, budget/volumes)."""
    return (restrict(Volymmatt.objects.all(), user, "volume", unit_field="namnd")
            .select_related("namnd", "budget_year")
            .prefetch_related(Prefetch("followups", queryset=Volymuppfoljning.objects
                                       .order_by("period", "pk")))
            .order_by("budget_year__year", "namnd__path", "position", "pk"))


def investment_projects(user) -> QuerySet[Investeringsprojekt]:
    """The investment projects with their appropriations per year (B8, B9)."""
    return (restrict(Investeringsprojekt.objects.all(), user, "investment", unit_field="namnd")
            .select_related("namnd")
            .prefetch_related(Prefetch("appropriations", queryset=Anslag.objects
                                       .order_by("year", "pk")))
            .order_by("namnd__path", "start_year", "pk"))


def reports(user) -> QuerySet[Rapportperiod]:
    """The reports with their status and each nämnd's section: a nämnd's section only within
    the nämnd until the nämnd approves it (P5), as on the report's page, and to the person
    appointed to write it, as on the section's page."""
    if not may_somewhere(user, "report_compilation", Action.VIEW):
        return Rapportperiod.objects.none()
    # As on the section's own page, also a draft section the person is appointed to write.
    readable = (restrict(Rapportavsnitt.objects.all(), user, "report_section",
                         unit_field="namnd", published=Q(status=SectionStatus.APPROVED))
                | answered_by(user, Rapportavsnitt.objects.all()))
    sections = Rapportavsnitt.objects.filter(pk__in=readable.values("pk")).select_related("namnd")
    return (Rapportperiod.objects.select_related("budget_year")
            .prefetch_related(Prefetch("sections", queryset=sections.order_by("namnd__path",
                                                                               "pk")))
            .order_by("budget_year__year", "deadline", "pk"))
