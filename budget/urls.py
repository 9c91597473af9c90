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

# Ofördelad budget (B7), lönerörelse (B10), skattesats (B11) and bokslut (F4).
from . import pot_views  # noqa: E402

urlpatterns += [
    path("ofordelad/", pot_views.pot_index, name="pot_index"),
    path("lonerorelse/", pot_views.salary_index, name="salary_index"),
    path("bokslut/", pot_views.yearend_index, name="yearend_index"),
    path("ofordelad/<int:year>/", pot_views.pot_page, name="pot"),
    path("ofordelad/<int:year>/belopp/", pot_views.pot_set, name="pot_set"),
    path("ofordelad/<int:year>/ansok/", pot_views.pot_apply, name="pot_apply"),
    path("ofordelad/<int:year>/excel/", pot_views.pot_excel, name="pot_excel"),
    path("ofordelad/ansokan/<int:pk>/", pot_views.application_detail, name="pot_application"),
    path("ofordelad/ansokan/<int:pk>/andra/", pot_views.application_edit,
         name="pot_application_edit"),
    path("ofordelad/ansokan/<int:pk>/yttrande/", pot_views.application_statement,
         name="pot_statement"),
    path("ofordelad/ansokan/<int:pk>/beslut/", pot_views.application_decide,
         name="pot_decide"),
    path("lonerorelse/<int:year>/", pot_views.salary_page, name="salary"),
    path("lonerorelse/<int:year>/reserv/", pot_views.salary_set, name="salary_set"),
    path("lonerorelse/<int:year>/anvands/", pot_views.salary_use, name="salary_use"),
    path("lonerorelse/<int:year>/fordela/", pot_views.salary_distribute,
         name="salary_distribute"),
    path("lonerorelse/<int:year>/excel/", pot_views.salary_excel, name="salary_excel"),
    path("skattesats/", pot_views.tax_list, name="tax_rates"),
    path("skattesats/excel/", pot_views.tax_excel, name="tax_excel"),
    path("skattesats/<int:year>/", pot_views.tax_detail, name="tax_rate"),
    path("skattesats/<int:year>/forslag/", pot_views.tax_propose, name="tax_propose"),
    path("skattesats/<int:year>/beslut/", pot_views.tax_decide, name="tax_decide"),
    path("bokslut/<int:year>/", pot_views.yearend_page, name="yearend"),
    path("bokslut/<int:year>/excel/", pot_views.yearend_excel, name="yearend_excel"),
    path("bokslut/<int:year>/<int:namnd_id>/forslag/", pot_views.yearend_propose,
         name="yearend_propose"),
    path("bokslut/beslut/<int:pk>/", pot_views.yearend_decide, name="yearend_decide"),
]
