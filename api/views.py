"""The API's endpoints: read-only lists, each restricted by the permission layer (selectors)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination

from . import filters, selectors, serializers


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ReadList(ListAPIView):
    """A list of what the person may read; the selector restricts it in SQL."""

    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)


def _list(name: str, selector, serializer, filterset, description: str):
    view = type(name, (ReadList,), {
        "selector": staticmethod(selector),
        "serializer_class": serializer,
        "filterset_class": filterset,
        "__doc__": description,
    })
    return extend_schema(summary=description, tags=[name])(view)


OutcomeMonths = _list(
    "OutcomeMonths", selectors.outcome_months, serializers.OutcomeMonthSerializer,
    filters.OutcomeMonthFilter, "Utfall per nämnd och månad (nettokostnad, kr).")
Frames = _list(
    "Frames", selectors.frames, serializers.FrameSerializer, filters.FrameFilter,
    "Driftbudgetramar per nämnd, år och skede, med sina rader.")
Forecasts = _list(
    "Forecasts", selectors.forecasts, serializers.ForecastSerializer, filters.ForecastFilter,
    "Helårsprognoser per nämnd och uppföljning, med rader per verksamhet.")
Goals = _list(
    "Goals", selectors.goals, serializers.GoalSerializer, filters.GoalFilter,
    "Nämndmål med sina målbedömningar och den senaste bedömningen.")
DeviationCases = _list(
    "DeviationCases", selectors.deviation_cases, serializers.DeviationCaseSerializer,
    filters.DeviationCaseFilter, "Avvikelseärenden (underskott och investeringar).")
KeyFigures = _list(
    "KeyFigures", selectors.key_figures, serializers.KeyFigureSerializer,
    filters.KeyFigureFilter, "Nyckeltal, kommungemensamma och nämndernas egna.")
KeyFigureValues = _list(
    "KeyFigureValues", selectors.key_figure_values, serializers.KeyFigureValueSerializer,
    filters.KeyFigureValueFilter, "Nyckeltalens värden per organisation och år.")
Volumes = _list(
    "Volumes", selectors.volumes, serializers.VolumeSerializer, filters.VolumeFilter,
    "Volymmått med budgeterad volym, utfall och prognos per uppföljning.")
InvestmentProjects = _list(
    "InvestmentProjects", selectors.investment_projects,
    serializers.InvestmentProjectSerializer, filters.InvestmentProjectFilter,
    "Investeringsprojekt med sina anslag per år.")
Reports = _list(
    "Reports", selectors.reports, serializers.ReportSerializer, filters.ReportFilter,
    "Rapporter med sin status och nämndernas avsnitt.")
