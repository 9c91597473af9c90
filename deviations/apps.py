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
        due_work.register("avvikelser-frister", deadlines.chase_deadlines)
        due_work.register("avvikelser-investeringar", detection.scan_investments)
        due_work.register("avvikelser-prognoser", detection.scan_forecasts)
