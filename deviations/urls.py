from django.urls import path

from . import views

app_name = "deviations"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/ansvarig/", views.case_appoint, name="case_appoint"),
    path("<int:pk>/<slug:step>/", views.case_step, name="step"),
    path("yttrande/<int:pk>/anmalt/", views.opinion_reported, name="opinion_reported"),
]
