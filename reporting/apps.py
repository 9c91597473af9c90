from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapportering"

    def ready(self) -> None:
        from styrmodell import due_work
        from styrmodell.dialogue import register_host

        from . import reports, reports_deadlines
        from .models import Rapportavsnitt

        register_host(Rapportavsnitt, kind="report_section")
        due_work.register("rapporter-oppna", reports.open_due_periods)
        due_work.register("rapporter-frister", reports_deadlines.chase_sections)
