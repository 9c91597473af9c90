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

        from django.utils.translation import gettext_lazy as _

        from styrmodell.appointments import Answerable, register
        from styrmodell.models import BudgetYearStatus, Side

        # A named official reports one volume measure's outcome and forecast (F1).
        register(Answerable(
            model_label="budget.volymmatt", permission="answer_for_volymmatt", kind="volume",
            side=Side.OFFICIALS, title=_("Ansvarig för måttet"),
            still_open=lambda measure: measure.budget_year.status != BudgetYearStatus.CLOSED,
            closed_message=_("Ingen kan utses nu: budgetåret för %(object)s är avslutat.")))
