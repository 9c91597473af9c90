from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = "Budget"

    def ready(self) -> None:
        from budget.models import Prognos
        from styrmodell.dialogue import register_host

        from . import start_panels  # noqa: F401  (the start page's economy panels)

        # Politicians comment on a forecast in its thread; they never edit it (P2).
        register_host(Prognos, kind="forecast")
