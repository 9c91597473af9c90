"""URLs of key figures (nyckeltal) and verksamhetsplaner."""

from django.urls import path

from . import keyfigure_views as views

urlpatterns: list = [
    path("nyckeltal/", views.nyckeltal_list, name="nyckeltal_list"),
    path("nyckeltal/nytt/", views.nyckeltal_create, name="nyckeltal_create"),
    path("nyckeltal/import/", views.nyckeltal_import, name="nyckeltal_import"),
    path("nyckeltal/kolada/hamta/", views.kolada_fetch_now, name="kolada_fetch_now"),
    path("nyckeltal/jamforelsekommuner/", views.jamforelsekommuner, name="jamforelsekommuner"),
    path("nyckeltal/jamforelsekommuner/<int:pk>/ta-bort/", views.jamforelsekommun_remove,
         name="jamforelsekommun_remove"),
    path("nyckeltal/<int:pk>/", views.nyckeltal_detail, name="nyckeltal_detail"),
    path("nyckeltal/<int:pk>/andra/", views.nyckeltal_edit, name="nyckeltal_edit"),
    path("nyckeltal/<int:pk>/varde/", views.nyckeltal_value, name="nyckeltal_value"),
    path("nyckeltal/<int:pk>/malvarde/", views.nyckeltal_target, name="nyckeltal_target"),
    path("verksamhetsplan/", views.verksamhetsplan_list, name="verksamhetsplan_list"),
    path("verksamhetsplan/<int:namnd_id>/<int:year>/", views.verksamhetsplan,
         name="verksamhetsplan"),
    path("verksamhetsplan/<int:namnd_id>/<int:year>/skapa/", views.verksamhetsplan_create,
         name="verksamhetsplan_create"),
    path("verksamhetsplan/<int:namnd_id>/<int:year>/andra/", views.verksamhetsplan_edit,
         name="verksamhetsplan_edit"),
    path("verksamhetsplan/<int:namnd_id>/<int:year>/mal/<int:namndmal_id>/",
         views.verksamhetsplan_row, name="verksamhetsplan_row"),
    path("verksamhetsplan/<int:namnd_id>/<int:year>/anta/", views.verksamhetsplan_adopt,
         name="verksamhetsplan_adopt"),
]
