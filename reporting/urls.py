from django.urls import path

from . import deadlines_feed_views, reports_views

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
    path("<int:year>-<slug:code>/<int:namnd_id>/ansvarig/", reports_views.section_appoint,
         name="section_appoint"),
    path("<int:year>-<slug:code>/<int:namnd_id>/beslut/", reports_views.section_decide,
         name="section_decide"),
    path("<int:year>-<slug:code>/<int:namnd_id>/andringar/", reports_views.section_changes,
         name="section_changes"),
]

# A person's deadlines and their iCal feed (ical).
urlpatterns += [
    path("mina-frister/", deadlines_feed_views.my_deadlines, name="my_deadlines"),
    path("mina-frister/ny-adress/", deadlines_feed_views.renew, name="renew_deadlines_feed"),
    path("kalender/<str:token>.ics", deadlines_feed_views.feed, name="deadlines_feed"),
]

# PDF rendering and F3's meeting status page (reporting/pdf_views.py).
from . import pdf_views  # noqa: E402

urlpatterns += [
    path("sammantrade/<int:meeting_id>/", pdf_views.meeting_status_page, name="meeting_status"),
    path("sammantrade/<int:meeting_id>/foredragen/", pdf_views.meeting_presented,
         name="meeting_presented"),
    path("sammantrade/<int:meeting_id>/pdf/", pdf_views.meeting_status_pdf,
         name="meeting_status_pdf"),
    path("sammantrade/namnd/<int:namnd_id>/", pdf_views.namnd_current_meeting,
         name="namnd_current_meeting"),
    path("pdf/<int:pk>/", pdf_views.pdf_status, name="pdf_status"),
    path("pdf/<int:pk>/ladda-ner/", pdf_views.pdf_download, name="pdf_download"),
]

# The municipality's report of a period, and one nämnd's section, as PDF.
urlpatterns += [
    path("<int:year>-<slug:code>/pdf/", reports_views.period_pdf, name="period_pdf"),
    path("<int:year>-<slug:code>/<int:namnd_id>/pdf/", reports_views.section_pdf,
         name="section_pdf"),
]

# The municipality's own part of a report: the financial goals' outcomes (G3, A3, A4) and, in
# the årsredovisning, the companies' and foundations' figures (F1).
from . import municipality_views  # noqa: E402

urlpatterns += [
    path("<int:year>-<slug:code>/finansiella-mal/<int:goal_id>/",
         municipality_views.financial_outcome_edit, name="financial_outcome"),
    path("<int:year>-<slug:code>/bolag/<int:unit_id>/", municipality_views.company_figures_edit,
         name="company_figures"),
]
