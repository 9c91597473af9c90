"""URLs of outcomes imported from the ledger."""

from django.urls import path

from budget.ledger import views

urlpatterns = [
    path("utfall/", views.outcome_imports, name="outcome_imports"),
    path("utfall/import/<int:pk>/", views.outcome_import, name="outcome_import"),
    path("utfall/fil/<int:pk>/", views.outcome_upload, name="outcome_upload"),
    path("utfall/kopplingar/", views.outcome_mappings, name="outcome_mappings"),
    path("utfall/kopplingar/<int:pk>/andra/", views.outcome_mapping_edit,
         name="outcome_mapping_edit"),
    path("utfall/kopplingar/export/", views.outcome_mappings_export,
         name="outcome_mappings_export"),
    path("utfall/kopplingar/okopplade/", views.outcome_mappings_unmapped,
         name="outcome_mappings_unmapped"),
    path("utfall/<int:year>/", views.outcome_year, name="outcome_year"),
    path("utfall/<int:year>/excel/", views.outcome_year_excel,
         name="outcome_year_excel"),
    path("utfall/<int:year>/<int:namnd_id>/", views.outcome_namnd, name="outcome_namnd"),
    path("utfall/<int:year>/<int:namnd_id>/excel/", views.outcome_namnd_excel,
         name="outcome_namnd_excel"),
    path("utfall/import/<int:pk>/excel/", views.outcome_import_excel,
         name="outcome_import_excel"),
]
