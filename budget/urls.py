from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("ramar/<int:year>/", views.frame_overview, name="frames"),
    path("ramar/<int:year>/rakna-om/", views.recompute, name="recompute"),
    path("ramar/<int:year>/<int:namnd_id>/", views.frame_detail, name="frame"),
    path("ram/<int:pk>/nasta-skede/", views.advance, name="advance"),
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
