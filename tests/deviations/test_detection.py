"""How cases come about in use: a saved forecast (D1 through budget's signal), the hourly scan
of forecasts and projects, and the demo's cases (D1-D8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from budget.followup.forecasts import save_forecast
from budget.models import Driftbudgetram, FrameStage, Prognos
from deviations import detection, services
from deviations.models import Avvikelse, CaseKind, CaseStatus
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, Notification, User
from styrmodell.versioning import current_version


@pytest.fixture
def kfn(municipality):
    Avvikelse.objects.filter(namnd=municipality["kfn"]).delete()
    return municipality["kfn"]


def _frame(namnd) -> Decimal:
    return Driftbudgetram.objects.get(namnd=namnd, budget_year__year=2026,
                                      stage=FrameStage.DECIDED).total


def _save(namnd, total, period="ar"):
    existing = Prognos.objects.filter(namnd=namnd, budget_year__year=2026, period=period).first()
    return save_forecast(namnd=namnd, budget_year=BudgetYear.objects.get(year=2026),
                         period=period, author=User.objects.get(username="ekonom"),
                         version=current_version(existing) if existing else "", total=total)


def test_d1_saving_a_forecast_over_the_limit_opens_a_case_once(
        kfn, django_capture_on_commit_callbacks):
    frame = _frame(kfn)
    with django_capture_on_commit_callbacks(execute=True):
        _save(kfn, frame + frame / 100)  # exactly 1,0 %
    assert not Avvikelse.objects.filter(namnd=kfn).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _save(kfn, frame + frame / 100 + 1)  # a krona more
    case = Avvikelse.objects.get(namnd=kfn)
    assert case.kind == CaseKind.DEFICIT and case.period == "ar"
    assert case.opened_on == timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _save(kfn, frame * Decimal("1.03"))  # saved again, worse: still one case
    assert Avvikelse.objects.filter(namnd=kfn).count() == 1
    assert Notification.objects.filter(key=f"avvikelse:{case.pk}:oppnat").exists()


def test_d1_the_hourly_scan_finds_a_forecast_that_came_without_the_signal(kfn):
    frame = _frame(kfn)
    Prognos.objects.filter(namnd=kfn, budget_year__year=2026, period="okt").update(
        total=frame * Decimal("1.02"))
    today = timezone.localdate()
    assert detection.scan_forecasts(today) == 1
    assert detection.scan_forecasts(today) == 0
    assert Avvikelse.objects.get(namnd=kfn).period == "okt"


def test_a_deficit_case_is_not_closed_while_the_forecast_is_still_over_the_limit(kfn):
    frame = _frame(kfn)
    Prognos.objects.filter(namnd=kfn, budget_year__year=2026, period="okt").update(
        total=frame * Decimal("1.02"))
    detection.scan_forecasts(timezone.localdate())
    case = Avvikelse.objects.get(namnd=kfn)
    chef = User.objects.get(username="ekonomichef")
    with pytest.raises(DomainError, match="fortfarande"):
        services.close_case(case=case, closer=chef, note="Klart", today=timezone.localdate())
    Prognos.objects.filter(namnd=kfn, budget_year__year=2026, period="okt").update(total=frame)
    services.close_case(case=case, closer=chef, note="Prognosen är i balans",
                        today=timezone.localdate())
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_demo_has_socialnamndens_case_awaiting_the_namnds_decision(municipality):
    case = Avvikelse.objects.get(kind=CaseKind.DEFICIT, namnd=municipality["sn"],
                                 status=CaseStatus.OPEN)
    assert case.period == "okt" and case.variance.percent < Decimal("-1")
    assert case.measures.count() == 3 and case.decided_on is None
    assert case.presented_meeting.date == dt.date(2026, 11, 16)
    assert case.decision_due > dt.date(2026, 11, 25)
    assert not Avvikelse.objects.filter(kind=CaseKind.DEFICIT,
                                        namnd=municipality["bun"]).exists()  # −0,90 %
    school = Avvikelse.objects.get(kind=CaseKind.INVESTMENT,
                                   project__name="Ny F–6-skola i Norrby")
    assert school.report_to_kf is True


def test_the_demo_keeps_socialnamndens_spring_case_closed_with_its_whole_course(municipality):
    spring = Avvikelse.objects.get(namnd=municipality["sn"], period="apr")
    assert spring.status == CaseStatus.CLOSED and spring.closing_note
    assert spring.decided_on == dt.date(2026, 6, 16) and spring.reported_to_ks_on
    assert spring.ksau_informed_on and spring.effect_reports.get().period == "aug"
    assert spring.history.filter(status=CaseStatus.CLOSED).exists()
