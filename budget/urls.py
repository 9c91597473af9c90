from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("ramar/<int:year>/", views.frame_overview, name="frames"),
    path("ramar/<int:year>/rakna-om/", views.recompute, name="recompute"),
    path("ramar/<int:year>/kf-beslut/", views.decide_budget, name="decide_budget"),
    path("ramar/<int:year>/<int:namnd_id>/", views.frame_detail, name="frame"),
    path("ram/<int:pk>/nasta-skede/", views.advance, name="advance"),
]

# Investments (B8, B9).
from . import investments_views  # noqa: E402

urlpatterns += [
    path("investeringar/", investments_views.investment_index, name="investment_index"),
    path("investeringar/<int:year>/", investments_views.investment_overview, name="investments"),
    path("investeringar/<int:year>/excel/", investments_views.investment_export,
         name="investments_excel"),
    path("investeringar/projekt/nytt/", investments_views.investment_create,
         name="investment_create"),
    path("investeringar/projekt/<int:pk>/", investments_views.investment_detail,
         name="investment"),
    path("investeringar/projekt/<int:pk>/andra/", investments_views.investment_edit,
         name="investment_edit"),
    path("investeringar/projekt/<int:pk>/anslag/", investments_views.appropriation_edit,
         name="investment_appropriation"),
    path("investeringar/projekt/<int:pk>/beslut/", investments_views.decision_record,
         name="investment_decision"),
    path("investeringar/projekt/<int:pk>/ombudgetering/", investments_views.ombudgetering_record,
         name="investment_ombudgetering"),
    path("investeringar/projekt/<int:pk>/uppfoljning/", investments_views.follow_up_edit,
         name="investment_follow_up"),
]

# Follow-up: forecasts, overviews and Excel exports (budget/followup_views.py).
from . import followup_views  # noqa: E402

urlpatterns += [
    path("uppfoljning/", followup_views.index, name="followup_index"),
    path("uppfoljning/<int:year>/", followup_views.overview, name="followup"),
    path("uppfoljning/<int:year>/<int:namnd_id>/", followup_views.namnd_page,
         name="followup_namnd"),
    path("uppfoljning/<int:year>/<int:namnd_id>/prognos/<str:period>/",
         followup_views.forecast_save, name="forecast_save"),
    path("ramar/<int:year>/excel/", followup_views.frame_overview_xlsx, name="frames_xlsx"),
    path("ramar/<int:year>/<int:namnd_id>/excel/", followup_views.frame_detail_xlsx,
         name="frame_xlsx"),
]

# Outcomes imported from the ledger (budget/outcomes.py).
from . import outcomes_views  # noqa: E402

urlpatterns += [
    path("utfall/", outcomes_views.outcome_imports, name="outcome_imports"),
    path("utfall/import/<int:pk>/", outcomes_views.outcome_import, name="outcome_import"),
    path("utfall/kopplingar/", outcomes_views.outcome_mappings, name="outcome_mappings"),
    path("utfall/kopplingar/<int:pk>/andra/", outcomes_views.outcome_mapping_edit,
         name="outcome_mapping_edit"),
    path("utfall/<int:year>/", outcomes_views.outcome_year, name="outcome_year"),
    path("utfall/<int:year>/excel/", outcomes_views.outcome_year_excel,
         name="outcome_year_excel"),
    path("utfall/<int:year>/<int:namnd_id>/", outcomes_views.outcome_namnd, name="outcome_namnd"),
    path("utfall/<int:year>/<int:namnd_id>/excel/", outcomes_views.outcome_namnd_excel,
         name="outcome_namnd_excel"),
    path("utfall/import/<int:pk>/excel/", outcomes_views.outcome_import_excel,
         name="outcome_import_excel"),
]

# The budget cycle (B1): assumptions, budgetunderlag, distribution, the year's checklist.
from . import cycle_views  # noqa: E402

urlpatterns += [
    path("antaganden/<int:year>/", cycle_views.assumptions_page, name="assumptions"),
    path("antaganden/<int:year>/excel/", cycle_views.assumptions_excel,
         name="assumptions_excel"),
    path("antaganden/<int:year>/index/", cycle_views.edit_indices, name="edit_indices"),
    path("antaganden/<int:year>/kostnadsandelar/", cycle_views.edit_cost_shares,
         name="edit_cost_shares"),
    path("antaganden/<int:year>/befolkning/", cycle_views.edit_population,
         name="edit_population"),
    path("antaganden/<int:year>/volympeng/", cycle_views.edit_volume_rates,
         name="edit_volume_rates"),
    path("antaganden/<int:year>/justering/ny/", cycle_views.adjustment_create,
         name="adjustment_create"),
    path("justering/<int:pk>/", cycle_views.adjustment_edit, name="adjustment_edit"),
    path("justering/<int:pk>/ta-bort/", cycle_views.adjustment_delete, name="adjustment_delete"),
    path("underlag/<int:year>/", cycle_views.underlag_list, name="underlag_list"),
    path("underlag/<int:year>/excel/", cycle_views.underlag_excel, name="underlag_excel"),
    path("underlag/<int:year>/<int:namnd_id>/", cycle_views.underlag_detail, name="underlag"),
    path("underlag/<int:year>/<int:namnd_id>/andra/", cycle_views.underlag_edit,
         name="underlag_edit"),
    path("underlag/<int:year>/<int:namnd_id>/anta/", cycle_views.underlag_adopt,
         name="underlag_adopt"),
    path("fordelning/<int:year>/<int:namnd_id>/", cycle_views.fordelning_edit,
         name="fordelning"),
    path("cykel/", cycle_views.cycle_index, name="cycle_index"),
    path("cykel/<int:year>/", cycle_views.cycle_page, name="cycle"),
    path("cykel/<int:year>/excel/", cycle_views.cycle_excel, name="cycle_excel"),
    path("ramar/<int:year>/<int:namnd_id>/jamforelse/", cycle_views.comparison_excel,
         name="comparison_excel"),
]

# Ofördelad budget (B7), lönerörelse (B10), skattesats (B11) and bokslut (F4).
from . import pot_views  # noqa: E402

urlpatterns += [
    path("ofordelad/", pot_views.pot_index, name="pot_index"),
    path("lonerorelse/", pot_views.salary_index, name="salary_index"),
    path("bokslut/", pot_views.yearend_index, name="yearend_index"),
    path("ofordelad/<int:year>/", pot_views.pot_page, name="pot"),
    path("ofordelad/<int:year>/belopp/", pot_views.pot_set, name="pot_set"),
    path("ofordelad/<int:year>/ansok/", pot_views.pot_apply, name="pot_apply"),
    path("ofordelad/<int:year>/excel/", pot_views.pot_excel, name="pot_excel"),
    path("ofordelad/ansokan/<int:pk>/", pot_views.application_detail, name="pot_application"),
    path("ofordelad/ansokan/<int:pk>/andra/", pot_views.application_edit,
         name="pot_application_edit"),
    path("ofordelad/ansokan/<int:pk>/yttrande/", pot_views.application_statement,
         name="pot_statement"),
    path("ofordelad/ansokan/<int:pk>/beslut/", pot_views.application_decide,
         name="pot_decide"),
    path("lonerorelse/<int:year>/", pot_views.salary_page, name="salary"),
    path("lonerorelse/<int:year>/reserv/", pot_views.salary_set, name="salary_set"),
    path("lonerorelse/<int:year>/anvands/", pot_views.salary_use, name="salary_use"),
    path("lonerorelse/<int:year>/fordela/", pot_views.salary_distribute,
         name="salary_distribute"),
    path("lonerorelse/<int:year>/excel/", pot_views.salary_excel, name="salary_excel"),
    path("skattesats/", pot_views.tax_list, name="tax_rates"),
    path("skattesats/excel/", pot_views.tax_excel, name="tax_excel"),
    path("skattesats/<int:year>/", pot_views.tax_detail, name="tax_rate"),
    path("skattesats/<int:year>/forslag/", pot_views.tax_propose, name="tax_propose"),
    path("skattesats/<int:year>/beslut/", pot_views.tax_decide, name="tax_decide"),
    path("bokslut/<int:year>/", pot_views.yearend_page, name="yearend"),
    path("bokslut/<int:year>/excel/", pot_views.yearend_excel, name="yearend_excel"),
    path("bokslut/<int:year>/<int:namnd_id>/forslag/", pot_views.yearend_propose,
         name="yearend_propose"),
    path("bokslut/beslut/<int:pk>/", pot_views.yearend_decide, name="yearend_decide"),
    path("bokslut/<int:year>/tillskott/<int:line_id>/", pot_views.yearend_earmark,
         name="yearend_earmark"),
]

# Verksamhetens volymer (F1): measures, budgeted volume, outcome and forecast per follow-up.
from . import volumes_views  # noqa: E402

urlpatterns += [
    path("volymer/", volumes_views.index, name="volumes_index"),
    path("volymer/<int:year>/", volumes_views.overview, name="volumes"),
    path("volymer/<int:year>/<int:namnd_id>/", volumes_views.namnd_page, name="volumes_namnd"),
    path("volymer/<int:year>/<int:namnd_id>/nytt-matt/", volumes_views.measure_add,
         name="volume_measure_add"),
    path("volymer/<int:year>/<int:namnd_id>/kopiera/", volumes_views.measure_copy,
         name="volume_measure_copy"),
    path("volymer/<int:year>/<int:namnd_id>/uppfoljning/<str:period>/",
         volumes_views.followup_save, name="volume_followup_save"),
    path("volymer/matt/<int:pk>/andra/", volumes_views.measure_edit,
         name="volume_measure_edit"),
    path("volymer/matt/<int:pk>/ta-bort/", volumes_views.measure_delete,
         name="volume_measure_delete"),
]
