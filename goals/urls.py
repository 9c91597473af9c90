from django.urls import path

from . import views
from .urls_keyfigures import urlpatterns as keyfigure_patterns

app_name = "goals"

urlpatterns = [
    path("", views.goal_tree, name="tree"),
    path("karta/", views.goal_map, name="goal_map"),
    path("kf/", views.kf_goals, name="kf_goals"),
    path("kf/ny/<str:kind>/", views.kf_create, name="kf_create"),
    path("kf/<str:kind>/<int:pk>/andra/", views.kf_edit, name="kf_edit"),
    path("kf/<str:kind>/<int:pk>/beslut/", views.kf_adopt, name="kf_adopt"),
    path("kf/faststall/<int:year>/", views.kf_affirm, name="kf_affirm"),
    path("uppdrag/<int:pk>/", views.uppdrag_detail, name="uppdrag_detail"),
    path("uppdrag/<int:pk>/aterrapport/", views.uppdrag_report, name="uppdrag_report"),
    path("overgripande/<int:pk>/", views.overarching_detail, name="overarching_detail"),
    path("namnd/<int:namnd_id>/<int:year>/", views.namnd_goals, name="namnd_goals"),
    path("namnd/<int:namnd_id>/<int:year>/nytt/", views.namndmal_create, name="namndmal_create"),
    path("namnd/<int:namnd_id>/<int:year>/kopiera/", views.copy_last_year, name="copy_last_year"),
    path("namndmal/<int:pk>/", views.namndmal_detail, name="namndmal_detail"),
    path("namndmal/<int:pk>/andra/", views.namndmal_edit, name="namndmal_edit"),
    path("namndmal/<int:pk>/anta/", views.namndmal_adopt, name="namndmal_adopt"),
    path("namndmal/<int:pk>/ansvarig/", views.namndmal_appoint, name="namndmal_appoint"),
    path("namndmal/<int:pk>/bedomning/<str:period>/", views.assessment_edit,
         name="assessment_edit"),
    path("namndmal/<int:pk>/enhetsmal/nytt/", views.enhetsmal_create, name="enhetsmal_create"),
    path("enhetsmal/<int:pk>/uppfoljning/", views.enhetsmal_follow_up,
         name="enhetsmal_follow_up"),
    path("medarbetarplaner/", views.medarbetarplan_list, name="medarbetarplan_list"),
    path("medarbetarplaner/ny/", views.medarbetarplan_create, name="medarbetarplan_create"),
    path("medarbetarplaner/<int:pk>/", views.medarbetarplan_detail, name="medarbetarplan"),
    path("medarbetarplaner/<int:pk>/uppfoljning/", views.medarbetarplan_follow_up,
         name="medarbetarplan_follow_up"),
    *keyfigure_patterns,
]
