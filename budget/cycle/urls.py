"""URLs of the budget cycle (B1): assumptions, budgetunderlag, distribution, the checklist."""

from django.urls import path

from budget.cycle import views

urlpatterns = [
    path("antaganden/<int:year>/", views.assumptions_page, name="assumptions"),
    path("antaganden/<int:year>/excel/", views.assumptions_excel,
         name="assumptions_excel"),
    path("antaganden/<int:year>/index/", views.edit_indices, name="edit_indices"),
    path("antaganden/<int:year>/kostnadsandelar/", views.edit_cost_shares,
         name="edit_cost_shares"),
    path("antaganden/<int:year>/befolkning/", views.edit_population,
         name="edit_population"),
    path("antaganden/<int:year>/volympeng/", views.edit_volume_rates,
         name="edit_volume_rates"),
    path("antaganden/<int:year>/justering/ny/", views.adjustment_create,
         name="adjustment_create"),
    path("justering/<int:pk>/", views.adjustment_edit, name="adjustment_edit"),
    path("justering/<int:pk>/ta-bort/", views.adjustment_delete, name="adjustment_delete"),
    path("underlag/<int:year>/", views.underlag_list, name="underlag_list"),
    path("underlag/<int:year>/excel/", views.underlag_excel, name="underlag_excel"),
    path("underlag/<int:year>/<int:namnd_id>/", views.underlag_detail, name="underlag"),
    path("underlag/<int:year>/<int:namnd_id>/andra/", views.underlag_edit,
         name="underlag_edit"),
    path("underlag/<int:year>/<int:namnd_id>/anta/", views.underlag_adopt,
         name="underlag_adopt"),
    path("fordelning/<int:year>/<int:namnd_id>/", views.fordelning_edit,
         name="fordelning"),
    path("cykel/", views.cycle_index, name="cycle_index"),
    path("cykel/<int:year>/", views.cycle_page, name="cycle"),
    path("cykel/<int:year>/excel/", views.cycle_excel, name="cycle_excel"),
    path("ramar/<int:year>/<int:namnd_id>/jamforelse/", views.comparison_excel,
         name="comparison_excel"),
]
