"""URLs of the skattesats (B11)."""

from django.urls import path

from budget.taxrate import views

urlpatterns = [
    path("skattesats/", views.tax_list, name="tax_rates"),
    path("skattesats/excel/", views.tax_excel, name="tax_excel"),
    path("skattesats/<int:year>/", views.tax_detail, name="tax_rate"),
    path("skattesats/<int:year>/forslag/", views.tax_propose, name="tax_propose"),
    path("skattesats/<int:year>/beslut/", views.tax_decide, name="tax_decide"),
]
