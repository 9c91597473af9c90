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
