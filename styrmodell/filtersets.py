"""The filters of the people and organisation lists, read from the address (a GET form)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    NAMND_LIKE_KINDS,
    OrganisationUnit,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from .name_search import people_named, search_words

# The units a person can be looked for under in the list's menu: every level above the
# enheter (at big-city size the 3,000 enheter would make the menu itself the long list). An
# enhet is still accepted from the address, as the enhet's own page links to its people.
UNIT_MENU_KINDS = [kind for kind in UnitKind.values if kind != UnitKind.ENHET]


def unit_label(unit: OrganisationUnit) -> str:
    """A unit in a menu, indented by its place in the tree."""
    return "\u00a0\u00a0" * max(unit.depth - 1, 0) + unit.name


class PersonFilter(django_filters.FilterSet):
    """People by name, by the unit (or a unit below it) and the role they hold today."""

    namn = django_filters.CharFilter(label=_("Namn"), method="filter_name")
    enhet = django_filters.ModelChoiceFilter(
        label=_("Enhet"),
        queryset=OrganisationUnit.objects.all(),
        empty_label=_("Alla enheter"),
        method="filter_holding",
    )
    roll = django_filters.ModelChoiceFilter(
        label=_("Roll"),
        queryset=Role.objects.all(),
        empty_label=_("Alla roller"),
        method="filter_holding",
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["namn"].widget.attrs.update({"autocomplete": "off"})
        unit_field = self.form.fields["enhet"]
        unit_field.label_from_instance = unit_label
        menu = OrganisationUnit.objects.filter(
            Q(kind__in=UNIT_MENU_KINDS, is_active=True) | Q(pk=self._chosen_unit_pk())
        ).order_by("path")
        unit_field.widget.choices = [("", unit_field.empty_label)] + [
            (unit.pk, unit_label(unit)) for unit in menu
        ]

    def _chosen_unit_pk(self) -> int | None:
        value = (self.data or {}).get("enhet", "")
        return int(value) if str(value).isdigit() else None

    def filter_name(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return people_named(queryset, value)

    def filter_holding(self, queryset: QuerySet[User], name: str, value) -> QuerySet[User]:
        # Unit and role are one condition on the same assignment (filter_queryset below).
        return queryset

    def filter_queryset(self, queryset: QuerySet[User]) -> QuerySet[User]:
        queryset = super().filter_queryset(queryset)
        unit, role = self.form.cleaned_data.get("enhet"), self.form.cleaned_data.get("roll")
        if unit is None and role is None:
            return queryset
        holdings = RoleAssignment.objects.active_on(timezone.localdate()).filter(
            user=OuterRef("pk")
        )
        if unit is not None:
            holdings = holdings.filter(unit__path__startswith=unit.path)
        if role is not None:
            holdings = holdings.filter(role=role)
        return queryset.filter(Exists(holdings))


LEVEL_POLITICAL = "organ"
LEVEL_ADMINISTRATION = "forvaltningar"
LEVEL_ALL = "enheter"

LEVEL_KINDS = {
    LEVEL_POLITICAL: [
        k for k in UnitKind.values if k not in {UnitKind.FORVALTNING, UnitKind.ENHET}
    ],
    LEVEL_ADMINISTRATION: [k for k in UnitKind.values if k != UnitKind.ENHET],
    LEVEL_ALL: list(UnitKind.values),
}


class UnitFilter(django_filters.FilterSet):
    """The organisation by how deep it is shown, by nämnd (its subtree) and by name.

    Without a level the tree shows down to the förvaltningar, or, once a nämnd is chosen or a
    name searched, every level: the 3,000 enheter of a big city are opened one nämnd at a time.
    """

    niva = django_filters.ChoiceFilter(
        label=_("Nivå"),
        choices=[
            (LEVEL_POLITICAL, _("Politiska organ och nämnder")),
            (LEVEL_ADMINISTRATION, _("Nämnder och förvaltningar")),
            (LEVEL_ALL, _("Alla nivåer, med enheter")),
        ],
        empty_label=None,
        method="filter_level",
    )
    namnd = django_filters.ModelChoiceFilter(
        label=_("Nämnd"),
        queryset=OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path"),
        empty_label=_("Hela kommunen"),
        method="filter_namnd",
    )
    namn = django_filters.CharFilter(label=_("Namn"), method="filter_name")

    class Meta:
        model = OrganisationUnit
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs) -> None:
        data = data.copy() if data is not None else None
        if data is not None and not data.get("niva"):
            narrowed = data.get("namnd") or data.get("namn", "").strip()
            data["niva"] = LEVEL_ALL if narrowed else LEVEL_ADMINISTRATION
        super().__init__(data, *args, **kwargs)
        self.form.fields["namn"].widget.attrs.update({"autocomplete": "off"})

    def filter_level(self, queryset, name: str, value: str):
        return queryset.filter(kind__in=LEVEL_KINDS.get(value, LEVEL_KINDS[LEVEL_ADMINISTRATION]))

    def filter_namnd(self, queryset, name: str, value: OrganisationUnit):
        return queryset.filter(path__startswith=value.path)

    def filter_name(self, queryset, name: str, value: str):
        for word in search_words(value):
            queryset = queryset.filter(Q(name__icontains=word) | Q(short_name__icontains=word))
        return queryset

    @property
    def chosen_namnd(self) -> OrganisationUnit | None:
        return self.form.cleaned_data.get("namnd") if self.form.is_valid() else None

