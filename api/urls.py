"""/api/v1/: the lists, the OpenAPI schema and its documentation."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("utfall/", views.OutcomeMonths.as_view(), name="outcome_months"),
    path("ramar/", views.Frames.as_view(), name="frames"),
    path("prognoser/", views.Forecasts.as_view(), name="forecasts"),
    path("namndmal/", views.Goals.as_view(), name="goals"),
    path("avvikelser/", views.DeviationCases.as_view(), name="deviation_cases"),
    path("nyckeltal/", views.KeyFigures.as_view(), name="key_figures"),
    path("nyckeltal/varden/", views.KeyFigureValues.as_view(), name="key_figure_values"),
    path("volymer/", views.Volumes.as_view(), name="volumes"),
    path("investeringsprojekt/", views.InvestmentProjects.as_view(),
         name="investment_projects"),
    path("rapporter/", views.Reports.as_view(), name="reports"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                                      template_name="api/swagger_ui.html"),
         name="docs"),
]
