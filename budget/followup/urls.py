"""URLs of follow-up: forecasts, overviews and Excel exports."""

from django.urls import path

from budget.followup import views

urlpatterns = [
    path("uppfoljning/", views.index, name="followup_index"),
    path("uppfoljning/<int:year>/", views.overview, name="followup"),
    path("uppfoljning/<int:year>/<int:namnd_id>/", views.namnd_page,
         name="followup_namnd"),
    path("uppfoljning/<int:year>/<int:namnd_id>/prognos/<str:period>/",
         views.forecast_save, name="forecast_save"),
    path("ramar/<int:year>/excel/", views.frame_overview_xlsx, name="frames_xlsx"),
    path("ramar/<int:year>/<int:namnd_id>/excel/", views.frame_detail_xlsx,
         name="frame_xlsx"),
]
