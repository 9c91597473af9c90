"""Filters of the goal lists that grow with the municipality, applied in SQL within what the
permission layer already lets the user see."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from styrmodell.selectors import budget_years

from .models import Medarbetarplan

FOLLOWED_UP_CHOICES = [("ja", _("Uppföljda")), ("nej", _("Inte uppföljda"))]


class MedarbetarplanFilter(django_filters.FilterSet):
    """G10: the plans a chef sees, narrowed by the employee's name, the enhet, year and A7."""

    namn = django_filters.CharFilter(label=_("Medarbetare"), method="filter_name")
    enhet = django_filters.CharFilter(label=_("Enhet"), field_name="enhet__name",
                                      lookup_expr="icontains")
    ar = django_filters.ModelChoiceFilter(
        label=_("År"), field_name="budget_year", to_field_name="year",
        queryset=budget_years(), empty_label=_("Alla år"))
    uppfoljd = django_filters.ChoiceFilter(
        label=_("Uppföljning"), choices=FOLLOWED_UP_CHOICES, empty_label=_("Alla planer"),
        method="filter_followed_up")

    class Meta:
        model = Medarbetarplan
        fields: list[str] = []

    def filter_name(self, plans: QuerySet, _name: str, value: str) -> QuerySet:
        # Every word must be in the first or the last name: "anna sven" finds Anna Svensson.
        for word in value.split():
            plans = plans.filter(Q(employee__first_name__icontains=word)
                                 | Q(employee__last_name__icontains=word))
        return plans

    def filter_followed_up(self, plans: QuerySet, _name: str, value: str) -> QuerySet:
        return plans.filter(followed_up_on__isnull=value != "ja")
