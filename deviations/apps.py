from django.apps import AppConfig


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = "Avvikelser"

    def ready(self) -> None:
        from styrmodell import due_work
        from styrmodell.dialogue import register_host

        from . import (  # noqa: F401  (receivers connect to budget's signals)
            deadlines,
            detection,
            receivers,
            start_panels,
        )
        from .models import Avvikelse

        register_host(Avvikelse, kind="deviation")

        from django.utils.translation import gettext_lazy as _

        from styrmodell.appointments import Answerable, register
        from styrmodell.models import Side

        # A named official prepares one deficit case's measures and their effect (D2, D6); the
        # förvaltningschef's minuted opinion (D4) stays the förvaltningschef's.
        register(Answerable(
            model_label="deviations.avvikelse", permission="answer_for_avvikelse",
            kind="deviation_measure", side=Side.OFFICIALS, title=_("Ansvarig för åtgärderna"),
            still_open=lambda case: case.is_open and case.is_deficit,
            closed_message=_("Ingen kan utses nu: %(object)s är avslutat eller har inga "
                             "åtgärder att redovisa.")))
        due_work.register("avvikelser-frister", deadlines.chase_deadlines)
        due_work.register("avvikelser-investeringar", detection.scan_investments)
        due_work.register("avvikelser-prognoser", detection.scan_forecasts)
