"""URLs of ofördelad budget (B7) and lönerörelse (B10)."""

from django.urls import path

from budget.reserves import views

urlpatterns = [
    path("ofordelad/", views.pot_index, name="pot_index"),
    path("lonerorelse/", views.salary_index, name="salary_index"),
    path("ofordelad/<int:year>/", views.pot_page, name="pot"),
    path("ofordelad/<int:year>/belopp/", views.pot_set, name="pot_set"),
    path("ofordelad/<int:year>/ansok/", views.pot_apply, name="pot_apply"),
    path("ofordelad/<int:year>/excel/", views.pot_excel, name="pot_excel"),
    path("ofordelad/ansokan/<int:pk>/", views.application_detail, name="pot_application"),
    path("ofordelad/ansokan/<int:pk>/andra/", views.application_edit, name="pot_application_edit"),
    path("ofordelad/ansokan/<int:pk>/yttrande/", views.application_statement, name="pot_statement"),
    path("ofordelad/ansokan/<int:pk>/beslut/", views.application_decide, name="pot_decide"),
    path("lonerorelse/<int:year>/", views.salary_page, name="salary"),
    path("lonerorelse/<int:year>/reserv/", views.salary_set, name="salary_set"),
    path("lonerorelse/<int:year>/anvands/", views.salary_use, name="salary_use"),
    path("lonerorelse/<int:year>/fordela/", views.salary_distribute, name="salary_distribute"),
    path("lonerorelse/<int:year>/excel/", views.salary_excel, name="salary_excel"),
]
