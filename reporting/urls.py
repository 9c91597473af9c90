from django.urls import path

from . import reports_views

app_name = "reporting"

urlpatterns: list = [
    path("", reports_views.period_list, name="periods"),
    path("excel/", reports_views.period_list_excel, name="periods_excel"),
    path("extra/ny/", reports_views.extra_create, name="extra_create"),
    path("<int:year>-<slug:code>/", reports_views.period_detail, name="period"),
    path("<int:year>-<slug:code>/sammanstall/", reports_views.period_compile, name="compile"),
    path("<int:year>-<slug:code>/beslut/", reports_views.period_decide, name="period_decide"),
    path("<int:year>-<slug:code>/<int:namnd_id>/", reports_views.section_detail, name="section"),
    path("<int:year>-<slug:code>/<int:namnd_id>/texter/", reports_views.section_edit,
         name="section_edit"),
    path("<int:year>-<slug:code>/<int:namnd_id>/lamna-in/", reports_views.section_submit,
         name="section_submit"),
    path("<int:year>-<slug:code>/<int:namnd_id>/beslut/", reports_views.section_decide,
         name="section_decide"),
    path("<int:year>-<slug:code>/<int:namnd_id>/andringar/", reports_views.section_changes,
         name="section_changes"),
]
