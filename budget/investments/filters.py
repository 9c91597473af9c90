"""The choices a reader narrows the year's investment projects by (nämnd, type, status)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from budget.models import Investeringsprojekt, ProjectKind, ProjectStatus
from styrmodell.models import NAMND_LIKE_KINDS, OrganisationUnit


class ProjectFilter(django_filters.FilterSet):
    """Narrows a queryset already restricted to what the reader may see; never widens it."""

    namnd = django_filters.ModelChoiceFilter(
        label=_("Nämnd"), empty_label=_("Alla nämnder"),
        queryset=OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path"))
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=ProjectKind.choices,
                                       empty_label=_("Alla typer"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices,
                                         empty_label=_("Alla"))

    class Meta:
        model = Investeringsprojekt
        fields = ["namnd", "kind", "status"]
