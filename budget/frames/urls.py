"""URLs of the driftbudgetram (B2–B6): the overview, a nämnd's frame and its stages."""

from django.urls import path

from budget.frames import views

urlpatterns = [
    path("", views.index, name="index"),
    path("ramar/<int:year>/", views.frame_overview, name="frames"),
    path("ramar/<int:year>/rakna-om/", views.recompute, name="recompute"),
    path("ramar/<int:year>/kf-beslut/", views.decide_budget, name="decide_budget"),
    path("ramar/<int:year>/<int:namnd_id>/", views.frame_detail, name="frame"),
    path("ram/<int:pk>/nasta-skede/", views.advance, name="advance"),
]
