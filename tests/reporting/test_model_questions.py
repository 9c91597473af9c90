"""What report templates ask of a period, a section and a PDF: one question per choice value."""

import pytest

from reporting.models import (
    PdfRendering,
    PeriodStatus,
    Rapportavsnitt,
    Rapportperiod,
    RenderingStatus,
    SectionStatus,
)
from styrmodell.models import FollowUpPeriod


@pytest.mark.parametrize("period", [*FollowUpPeriod.values, ""])
def test_a4_only_the_august_follow_up_forecasts_goal_attainment(period):
    report = Rapportperiod(period=period)
    assert report.forecasts_goal_attainment is (period == FollowUpPeriod.AUGUST)


@pytest.mark.parametrize("status", PeriodStatus.values)
def test_f1_a_report_awaits_kf_once_ks_has_dealt_with_it(status):
    assert Rapportperiod(status=status).awaits_kf_decision is (status == PeriodStatus.KS)


@pytest.mark.parametrize("status", SectionStatus.values)
def test_f1_a_section_is_approved_only_when_the_namnd_approved_it(status):
    assert Rapportavsnitt(status=status).is_approved is (status == SectionStatus.APPROVED)


@pytest.mark.parametrize("status", SectionStatus.values)
def test_f1_a_section_is_returned_only_when_the_namnd_sent_it_back(status):
    assert Rapportavsnitt(status=status).is_returned is (status == SectionStatus.RETURNED)


@pytest.mark.parametrize("status", RenderingStatus.values)
def test_a_pdf_is_done_only_when_its_rendering_finished(status):
    assert PdfRendering(status=status).is_done is (status == RenderingStatus.DONE)


@pytest.mark.parametrize("status", RenderingStatus.values)
def test_a_pdf_has_failed_only_when_its_rendering_failed(status):
    assert PdfRendering(status=status).has_failed is (status == RenderingStatus.FAILED)
