"""URLs of the bokslut (F4) and the account of earmarked allocations (B3)."""

from django.urls import path

from budget.yearend import views

urlpatterns = [
    path("bokslut/", views.yearend_index, name="yearend_index"),
    path("bokslut/<int:year>/", views.yearend_page, name="yearend"),
    path("bokslut/<int:year>/excel/", views.yearend_excel, name="yearend_excel"),
    path(
        "bokslut/<int:year>/<int:namnd_id>/forslag/", views.yearend_propose, name="yearend_propose"
    ),
    path("bokslut/beslut/<int:pk>/", views.yearend_decide, name="yearend_decide"),
    path(
        "bokslut/<int:year>/tillskott/<int:line_id>/", views.yearend_earmark, name="yearend_earmark"
    ),
]
