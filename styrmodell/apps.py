from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    from .roles import ensure_standard_roles

    ensure_standard_roles()


def _stamp_fresh_session(sender, request, **kwargs) -> None:
    from .middleware import SessionRefreshMiddleware

    SessionRefreshMiddleware.stamp(request.session)


class StyrmodellConfig(AppConfig):
    name = "styrmodell"
    verbose_name = "Styrmodell"

    def ready(self) -> None:
        # Roles are reference data the permission layer needs, like Django's own permissions.
        post_migrate.connect(_ensure_roles, sender=self)
        # A session made at sign-in is as fresh as a refreshed one.
        user_logged_in.connect(_stamp_fresh_session)

        from .dialogue import register_host
        from .models import OrganisationUnit

        register_host(OrganisationUnit, kind="organisation")

        from . import due_work
        from .reminders import send_calendar_reminders

        due_work.register("kalenderpaminnelser", send_calendar_reminders)
