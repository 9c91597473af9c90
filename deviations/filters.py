"""The choices KS's register of cases is narrowed by (status, type, nämnd, year, overdue)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from styrmodell.models import OrganisationUnit

from .models import Avvikelse, CaseKind, CaseStatus


class CaseFilter(django_filters.FilterSet):
    """Narrows a queryset already restricted to what the reader may see; never widens it.
    "Bara försenade" depends on today's deadlines, so the register applies it itself."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices,
                                         empty_label=_("Alla"))
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=CaseKind.choices,
                                       empty_label=_("Alla"))
    namnd = django_filters.ModelChoiceFilter(
        label=_("Nämnd"), empty_label=_("Alla"),
        queryset=OrganisationUnit.objects.filter(deviation_cases__isnull=False).distinct()
        .order_by("path"))
    year = django_filters.ChoiceFilter(label=_("År"), field_name="budget_year__year",
                                       empty_label=_("Alla"))
    forsenade = django_filters.BooleanFilter(label=_("Bara försenade"),
                                             widget=forms.CheckboxInput,
                                             method="overdue_later")

    class Meta:
        model = Avvikelse
        fields = ["status", "kind", "namnd", "year", "forsenade"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(year, year) for year in years]

    def overdue_later(self, queryset, name, value):
        return queryset

    @property
    def only_overdue(self) -> bool:
        return bool(self.form.cleaned_data.get("forsenade"))
