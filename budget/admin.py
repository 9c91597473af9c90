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

# Ofördelad budget (B7), lönerörelse (B10), skattesats (B11), bokslut (F4).
from .models import (  # noqa: E402
    OfordeladBudget,
    PotApplication,
    PotMovement,
    SalaryDistribution,
    SalaryReserve,
    Skattesats,
    YearEndDisposition,
)

for model in (OfordeladBudget, PotApplication, SalaryReserve, SalaryDistribution, Skattesats,
              YearEndDisposition):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(PotMovement)
