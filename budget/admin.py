"""Django's admin for budget assumptions and frames, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgeGroup,
    CostShare,
    CostType,
    Driftbudgetram,
    FrameAdjustment,
    FrameLine,
    IndexRate,
    Population,
    VolumeRate,
)

for model in (CostType, IndexRate, CostShare, Population, VolumeRate, FrameAdjustment):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(AgeGroup)


class FrameLineInline(admin.TabularInline):
    model = FrameLine
    extra = 0
    readonly_fields = ["kind", "label", "amount", "earmarked", "position"]


@admin.register(Driftbudgetram)
class DriftbudgetramAdmin(SimpleHistoryAdmin):
    list_display = ["namnd", "budget_year", "stage", "total"]
    list_filter = ["budget_year", "stage"]
    inlines = [FrameLineInline]


# The budget cycle: budgetunderlag, distributions and frame versions (edited in the application).
from .models import Budgetunderlag, Fordelning, Recomputation  # noqa: E402

for model in (Budgetunderlag, Fordelning):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(Recomputation)
