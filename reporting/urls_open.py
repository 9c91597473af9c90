"""The open pages (no login) and the open data: `/oppen/`."""

from django.urls import path

from . import open_views

app_name = "open"

urlpatterns = [
    path("", open_views.index, name="index"),
    path("mal/<int:year>/", open_views.goals, name="goals"),
    path("budget/<int:year>/", open_views.budget, name="budget"),
    path("rapporter/", open_views.reports, name="reports"),
    path("rapporter/<int:year>-<slug:code>/", open_views.report, name="report"),
    path("rapporter/<int:year>-<slug:code>/pdf/", open_views.report_pdf, name="report_pdf"),
    path("tillganglighet/", open_views.accessibility, name="accessibility"),
    path("data/", open_views.data_index, name="data"),
    path("data/datapackage.json", open_views.datapackage, name="datapackage"),
    path("data/<slug:name>.csv", open_views.data_csv, name="data_csv"),
    path("data/<slug:name>.json", open_views.data_json, name="data_json"),
]
