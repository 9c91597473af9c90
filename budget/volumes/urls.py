"""URLs of verksamhetens volymer (F1): measures, budgeted volume, outcome and forecast."""

from django.urls import path

from budget.volumes import views

urlpatterns = [
    path("volymer/", views.index, name="volumes_index"),
    path("volymer/<int:year>/", views.overview, name="volumes"),
    path("volymer/<int:year>/<int:namnd_id>/", views.namnd_page, name="volumes_namnd"),
    path("volymer/<int:year>/<int:namnd_id>/nytt-matt/", views.measure_add,
         name="volume_measure_add"),
    path("volymer/<int:year>/<int:namnd_id>/kopiera/", views.measure_copy,
         name="volume_measure_copy"),
    path("volymer/<int:year>/<int:namnd_id>/uppfoljning/<str:period>/",
         views.followup_save, name="volume_followup_save"),
    path("volymer/matt/<int:pk>/", views.measure_detail, name="volume_measure"),
    path("volymer/matt/<int:pk>/andra/", views.measure_edit,
         name="volume_measure_edit"),
    path("volymer/matt/<int:pk>/ansvarig/", views.measure_appoint,
         name="volume_measure_appoint"),
    path("volymer/matt/<int:pk>/ta-bort/", views.measure_delete,
         name="volume_measure_delete"),
]
