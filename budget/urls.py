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
