"""What a reader of the open budget page narrows the year's projects by (nämnd, type)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from budget.models import Investeringsprojekt, ProjectKind
from styrmodell.models import NAMND_LIKE_KINDS, OrganisationUnit


class OpenProjectFilter(django_filters.FilterSet):
    """Narrows the decided projects of the year; a value it does not know is left out, as the
    signed-in overview's filter does."""

    namnd = django_filters.ModelChoiceFilter(
        label=_("Nämnd"), empty_label=_("Alla nämnder"),
        queryset=OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path"))
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=ProjectKind.choices,
                                       empty_label=_("Alla typer"))

    class Meta:
        model = Investeringsprojekt
        fields = ["namnd", "kind"]
