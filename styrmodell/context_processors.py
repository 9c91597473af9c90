"""What the base layout needs on every page: the navigation the user may follow."""

from django.conf import settings

from .permissions import Action, active_assignments, can
from .sso import signed_in_through_sso


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"municipality_name": settings.MUNICIPALITY_NAME}
    assignments = active_assignments(user)
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "nav_roles": sorted({a.role.name for a in assignments}),
        "nav_may_admin": user.is_staff and can(user, Action.CHANGE, "organisation"),
        # The password of a single sign-on is the provider's to change (sso.PasswordChangeView).
        "nav_may_change_password": not signed_in_through_sso(request),
    }
