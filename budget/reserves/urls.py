"""URLs of ofördelad budget (B7), lönerörelse (B10), skattesats (B11) and bokslut (F4)."""

from django.urls import path

from budget.reserves import views

urlpatterns = [
    path("ofordelad/", views.pot_index, name="pot_index"),
    path("lonerorelse/", views.salary_index, name="salary_index"),
    path("bokslut/", views.yearend_index, name="yearend_index"),
    path("ofordelad/<int:year>/", views.pot_page, name="pot"),
    path("ofordelad/<int:year>/belopp/", views.pot_set, name="pot_set"),
    path("ofordelad/<int:year>/ansok/", views.pot_apply, name="pot_apply"),
    path("ofordelad/<int:year>/excel/", views.pot_excel, name="pot_excel"),
    path("ofordelad/ansokan/<int:pk>/", views.application_detail, name="pot_application"),
    path("ofordelad/ansokan/<int:pk>/andra/", views.application_edit,
         name="pot_application_edit"),
    path("ofordelad/ansokan/<int:pk>/yttrande/", views.application_statement,
         name="pot_statement"),
    path("ofordelad/ansokan/<int:pk>/beslut/", views.application_decide,
         name="pot_decide"),
    path("lonerorelse/<int:year>/", views.salary_page, name="salary"),
    path("lonerorelse/<int:year>/reserv/", views.salary_set, name="salary_set"),
    path("lonerorelse/<int:year>/anvands/", views.salary_use, name="salary_use"),
    path("lonerorelse/<int:year>/fordela/", views.salary_distribute,
         name="salary_distribute"),
    path("lonerorelse/<int:year>/excel/", views.salary_excel, name="salary_excel"),
    path("skattesats/", views.tax_list, name="tax_rates"),
    path("skattesats/excel/", views.tax_excel, name="tax_excel"),
    path("skattesats/<int:year>/", views.tax_detail, name="tax_rate"),
    path("skattesats/<int:year>/forslag/", views.tax_propose, name="tax_propose"),
    path("skattesats/<int:year>/beslut/", views.tax_decide, name="tax_decide"),
    path("bokslut/<int:year>/", views.yearend_page, name="yearend"),
    path("bokslut/<int:year>/excel/", views.yearend_excel, name="yearend_excel"),
    path("bokslut/<int:year>/<int:namnd_id>/forslag/", views.yearend_propose,
         name="yearend_propose"),
    path("bokslut/beslut/<int:pk>/", views.yearend_decide, name="yearend_decide"),
    path("bokslut/<int:year>/tillskott/<int:line_id>/", views.yearend_earmark,
         name="yearend_earmark"),
]
