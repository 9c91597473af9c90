"""The filters of the API's lists: year, nämnd and follow-up where they apply. Numbers are
bounded, so an address with a number no column can hold answers 400, never a server error."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import (
    Driftbudgetram,
    FrameStage,
    Investeringsprojekt,
    Prognos,
    UtfallManad,
    Volymmatt,
)
from deviations.models import Avvikelse, CaseKind, CaseStatus
from goals.models import DecisionStatus, Namndmal, Nyckeltal, NyckeltalVarde
from reporting.models import PeriodStatus, Rapportperiod
from styrmodell.models import FollowUpPeriod

LARGEST_ID = 2**31 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def year_filter(field_name: str = "budget_year__year") -> WholeNumberFilter:
    return WholeNumberFilter(field_name=field_name, label=_("år"), min_value=1900,
                             max_value=9999)


def namnd_filter(field_name: str = "namnd") -> WholeNumberFilter:
    return WholeNumberFilter(field_name=field_name, label=_("nämnd (id)"), min_value=1,
                             max_value=LARGEST_ID)


def follow_up_filter(field_name: str = "period") -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(field_name=field_name, label=_("uppföljning"),
                                       choices=FollowUpPeriod.choices)


class OutcomeMonthFilter(django_filters.FilterSet):
    year = year_filter("year")
    namnd = namnd_filter()
    month = WholeNumberFilter(field_name="month", label=_("månad"), min_value=1, max_value=12)

    class Meta:
        model = UtfallManad
        fields = ["year", "namnd", "month"]


class FrameFilter(django_filters.FilterSet):
    year = year_filter()
    namnd = namnd_filter()
    stage = django_filters.ChoiceFilter(label=_("skede"), choices=FrameStage.choices)

    class Meta:
        model = Driftbudgetram
        fields = ["year", "namnd", "stage"]


class ForecastFilter(django_filters.FilterSet):
    year = year_filter()
    namnd = namnd_filter()
    period = follow_up_filter()

    class Meta:
        model = Prognos
        fields = ["year", "namnd", "period"]


class GoalFilter(django_filters.FilterSet):
    year = year_filter()
    namnd = namnd_filter()
    # A goal whose assessments include this follow-up.
    period = follow_up_filter("assessments__period")
    status = django_filters.ChoiceFilter(label=_("status"), choices=DecisionStatus.choices)

    class Meta:
        model = Namndmal
        fields = ["year", "namnd", "period", "status"]


class DeviationCaseFilter(django_filters.FilterSet):
    year = year_filter()
    namnd = namnd_filter()
    period = follow_up_filter()
    kind = django_filters.ChoiceFilter(label=_("typ"), choices=CaseKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=CaseStatus.choices)

    class Meta:
        model = Avvikelse
        fields = ["year", "namnd", "period", "kind", "status"]


class KeyFigureFilter(django_filters.FilterSet):
    namnd = namnd_filter()

    class Meta:
        model = Nyckeltal
        fields = ["namnd"]


class KeyFigureValueFilter(django_filters.FilterSet):
    year = year_filter("period")
    nyckeltal = WholeNumberFilter(field_name="nyckeltal", label=_("nyckeltal (id)"),
                                  min_value=1, max_value=LARGEST_ID)
    unit = WholeNumberFilter(field_name="unit", label=_("organisation (id)"), min_value=1,
                             max_value=LARGEST_ID)

    class Meta:
        model = NyckeltalVarde
        fields = ["year", "nyckeltal", "unit"]


class VolumeFilter(django_filters.FilterSet):
    year = year_filter()
    namnd = namnd_filter()

    class Meta:
        model = Volymmatt
        fields = ["year", "namnd"]


class InvestmentProjectFilter(django_filters.FilterSet):
    # The projects that run in this year.
    year = WholeNumberFilter(label=_("år"), min_value=1900, max_value=9999,
                             method="running_in")
    namnd = namnd_filter()

    class Meta:
        model = Investeringsprojekt
        fields = ["year", "namnd"]

    def running_in(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class ReportFilter(django_filters.FilterSet):
    year = year_filter()
    period = follow_up_filter()
    status = django_filters.ChoiceFilter(label=_("status"), choices=PeriodStatus.choices)

    class Meta:
        model = Rapportperiod
        fields = ["year", "period", "status"]
