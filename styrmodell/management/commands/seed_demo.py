"""Load the demo municipality (idempotent): `python manage.py seed_demo`."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from styrmodell import demo
from styrmodell.roles import STANDARD_ROLES

LATER_APPS = ("goals", "budget", "deviations", "reporting")


class Command(BaseCommand):
    help = "Lägger in demokommunen Ekbacka kommun (kan köras flera gånger)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Gör ingenting om databasen redan har organisationsdata.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        from styrmodell.models import OrganisationUnit

        if if_empty and OrganisationUnit.objects.exists():
            self.stdout.write("Databasen har redan data; demodata läses inte in igen.")
        else:
            # The demo's notifications (a deviation case opened, say) show in the application;
            # nobody is e-mailed about a made-up municipality.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                demo.seed()
                for label in LATER_APPS:
                    if apps.is_installed(label) and find_spec(f"{label}.demo"):
                        import_module(f"{label}.demo").seed()
            self.stdout.write(self.style.SUCCESS("Demokommunen Ekbacka kommun är inläst."))
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demoinloggningar (lösenord: {demo.demo_password()}):")
        names = {role.code: role.name for role in STANDARD_ROLES}
        for person in demo.DEMO_PEOPLE:
            roles = ", ".join(names[code] for code, _ in person.roles)
            self.stdout.write(f"  {person.username:<22} {roles}")
