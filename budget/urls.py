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
