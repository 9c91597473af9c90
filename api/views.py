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
    """A list of what the person may read: `read` is the selector that restricts it in SQL."""

    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]

    def read(self, user):
        raise NotImplementedError

    def get_queryset(self):
        return self.read(self.request.user)


@extend_schema(tags=["OutcomeMonths"])
class OutcomeMonths(ReadList):
    """Outcome (net cost, kronor) per nämnd and month."""

    serializer_class = serializers.OutcomeMonthSerializer
    filterset_class = filters.OutcomeMonthFilter

    def read(self, user):
        return selectors.outcome_months(user)


@extend_schema(tags=["Frames"])
class Frames(ReadList):
    """Driftbudgetramar per nämnd, year and stage, with their lines."""

    serializer_class = serializers.FrameSerializer
    filterset_class = filters.FrameFilter

    def read(self, user):
        return selectors.frames(user)


@extend_schema(tags=["Forecasts"])
class Forecasts(ReadList):
    """Full-year forecasts per nämnd and follow-up, with lines per verksamhet."""

    serializer_class = serializers.ForecastSerializer
    filterset_class = filters.ForecastFilter

    def read(self, user):
        return selectors.forecasts(user)


@extend_schema(tags=["Goals"])
class Goals(ReadList):
    """Nämndmål with their assessments and the latest of them."""

    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter

    def read(self, user):
        return selectors.goals(user)


@extend_schema(tags=["DeviationCases"])
class DeviationCases(ReadList):
    """Deviation cases: forecast deficits and investment overruns (§7)."""

    serializer_class = serializers.DeviationCaseSerializer
    filterset_class = filters.DeviationCaseFilter

    def read(self, user):
        return selectors.deviation_cases(user)


@extend_schema(tags=["KeyFigures"])
class KeyFigures(ReadList):
    """Key figures: the municipality's common ones and each nämnd's own."""

    serializer_class = serializers.KeyFigureSerializer
    filterset_class = filters.KeyFigureFilter

    def read(self, user):
        return selectors.key_figures(user)


@extend_schema(tags=["KeyFigureValues"])
class KeyFigureValues(ReadList):
    """The key figures' values per organisation unit and year."""

    serializer_class = serializers.KeyFigureValueSerializer
    filterset_class = filters.KeyFigureValueFilter

    def read(self, user):
        return selectors.key_figure_values(user)


@extend_schema(tags=["Volumes"])
class Volumes(ReadList):
    """Volume measures with budgeted volume, outcome and forecast per follow-up."""

    serializer_class = serializers.VolumeSerializer
    filterset_class = filters.VolumeFilter

    def read(self, user):
        return selectors.volumes(user)


@extend_schema(tags=["InvestmentProjects"])
class InvestmentProjects(ReadList):
    """Investment projects with their appropriations per year."""

    serializer_class = serializers.InvestmentProjectSerializer
    filterset_class = filters.InvestmentProjectFilter

    def read(self, user):
        return selectors.investment_projects(user)


@extend_schema(tags=["Reports"])
class Reports(ReadList):
    """Reports with their status and each nämnd's section (P5: drafts only within it)."""

    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter

    def read(self, user):
        return selectors.reports(user)
