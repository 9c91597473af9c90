"""Django's admin for budget assumptions and frames, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budget.models import (
    AgeGroup,
    CostShare,
    CostType,
    Driftbudgetram,
    FrameAdjustment,
    IndexRate,
    Planram,
    Population,
    Ramrad,
    VolumeRate,
)

for model in (CostType, IndexRate, CostShare, Population, VolumeRate, FrameAdjustment):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(AgeGroup)


class FrameLineInline(admin.TabularInline):
    model = Ramrad
    extra = 0
    readonly_fields = ["kind", "label", "amount", "earmarked", "position"]


class PlanYearFrameInline(admin.TabularInline):
    """B2: decided with the frame and never edited."""

    model = Planram
    extra = 0
    can_delete = False
    readonly_fields = ["year", "base", "total", "lines"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Driftbudgetram)
class DriftbudgetramAdmin(SimpleHistoryAdmin):
    list_display = ["namnd", "budget_year", "stage", "total", "forecast_as_of"]
    list_filter = ["budget_year", "stage"]
    inlines = [FrameLineInline, PlanYearFrameInline]


# Investments (B8, B9).
from budget.models import (  # noqa: E402
    Anslag,
    Internranta,
    Investeringsprojekt,
    Investeringsutfall,
    Ombudgetering,
    Slutkostnadsprognos,
)


class AnslagInline(admin.TabularInline):
    model = Anslag
    extra = 0


@admin.register(Investeringsprojekt)
class InvesteringsprojektAdmin(SimpleHistoryAdmin):
    list_display = ["name", "namnd", "kind", "total_budget", "start_year", "end_year", "status"]
    list_filter = ["kind", "status", "namnd"]
    inlines = [AnslagInline]


for model in (Internranta, Investeringsutfall, Slutkostnadsprognos, Ombudgetering):
    admin.site.register(model, SimpleHistoryAdmin)
# Forecasts (budget/forecasts.py); written through the follow-up pages, which check versions.
from budget.models import Prognos, Prognosrad  # noqa: E402


class PrognosradInline(admin.TabularInline):
    model = Prognosrad
    extra = 0


@admin.register(Prognos)
class PrognosAdmin(SimpleHistoryAdmin):
    list_display = ["namnd", "budget_year", "period", "total", "written_by", "written_at"]
    list_filter = ["budget_year", "period"]
    inlines = [PrognosradInline]
# Outcomes imported from the ledger (budget/outcomes.py): mappings with history; the import
# log is read-only (it is the audit trail of Utfall).
from budget.models import Objektkoppling, Utfallsimport  # noqa: E402

admin.site.register(Objektkoppling, SimpleHistoryAdmin)


@admin.register(Utfallsimport)
class UtfallsimportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "format", "year", "rows_written", "total_amount", "imported_by",
                    "imported_at", "status"]
    list_filter = ["year", "status", "format"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
# The budget cycle: budgetunderlag, distributions and frame versions (edited in the application).
from budget.models import Budgetunderlag, Fordelning, Recomputation  # noqa: E402

for model in (Budgetunderlag, Fordelning):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(Recomputation)
# Ofördelad budget (B7), lönerörelse (B10), skattesats (B11), bokslut (F4).
from budget.models import (  # noqa: E402
    Ansokan,
    Lonefordelning,
    Lonereserv,
    OfordeladBudget,
    PotMovement,
    Resultatdisposition,
    Skattesats,
)

for model in (OfordeladBudget, Ansokan, Lonereserv, Lonefordelning, Skattesats,
              Resultatdisposition):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(PotMovement)
# Verksamhetens volymer (F1).
from budget.models import Volymmatt, Volymuppfoljning  # noqa: E402


class VolymuppfoljningInline(admin.TabularInline):
    model = Volymuppfoljning
    extra = 0


@admin.register(Volymmatt)
class VolymmattAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "namnd", "budget_year", "budget", "cost_per_unit"]
    list_filter = ["budget_year", "namnd"]
    inlines = [VolymuppfoljningInline]


admin.site.register(Volymuppfoljning, SimpleHistoryAdmin)
