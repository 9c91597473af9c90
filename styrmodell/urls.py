from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import appointment_views, sso, views

urlpatterns = [
    path("", views.start, name="start"),
    path("logga-in/", sso.LoginView.as_view(), name="login"),
    path("logga-ut/", sso.SignOut.as_view(), name="logout"),
    # The redirect URI registered at the provider is https://<host>/oidc/callback/.
    path("oidc/authenticate/", sso.SignOnStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", sso.SignOnCallback.as_view(), name="oidc_authentication_callback"),
    path("losenord/", sso.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/bytt/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("losenord/nytt/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("losenord/nytt/klart/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("aviseringar/<int:pk>/last/", views.notification_read, name="notification_read"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/ny/", views.unit_create, name="unit_create"),
    path("organisation/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("organisation/<int:pk>/andra/", views.unit_edit, name="unit_edit"),
    path("organisation/<int:pk>/roller/ny/", views.assignment_create, name="assignment_create"),
    path("rolltilldelning/<int:pk>/avsluta/", views.assignment_end, name="assignment_end"),
    path("personer/", views.person_list, name="person_list"),
    path("personer/ny/", views.person_create, name="person_create"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/andra/", views.person_edit, name="person_edit"),
    path("personer/<int:pk>/nytt-losenord/", views.person_password_reset,
         name="person_password_reset"),
    path("mandatperioder/", views.mandate_periods, name="mandate_period_list"),
    path("mandatperioder/<int:pk>/andra/", views.mandate_period_edit, name="mandate_period_edit"),
    path("budgetar/", views.budget_years, name="budget_year_list"),
    path("budgetar/<int:year>/", views.budget_year_detail, name="budget_year_detail"),
    path("budgetar/<int:year>/andra/", views.budget_year_edit, name="budget_year_edit"),
    path("budgetar/<int:year>/forifyll/", views.budget_year_prefill, name="budget_year_prefill"),
    path("budgetar/<int:year>/sammantraden/ny/", views.meeting_create, name="meeting_create"),
    path("kalender/<int:pk>/", views.event_detail, name="event_detail"),
    path("kalender/<int:pk>/andra/", views.event_edit, name="event_edit"),
    path("dialog/<str:host>/<int:pk>/", views.dialogue_post, name="dialogue_post"),
    path("behorigheter/", views.permission_table, name="permission_table"),
    path("ansvar/<int:pk>/avsluta/", appointment_views.appointment_end, name="appointment_end"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("mal/", include("goals.urls")),
    path("budget/", include("budget.urls")),
    path("avvikelser/", include("deviations.urls")),
    path("rapporter/", include("reporting.urls")),
    path("oppen/", include("reporting.urls_open")),
    path("api/v1/", include("api.urls")),
    path("api-nycklar/", include("api.urls_tokens")),
    path("admin/", admin.site.urls),
]

handler403 = "styrmodell.errorviews.forbidden"
handler404 = "styrmodell.errorviews.not_found"
