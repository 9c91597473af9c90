from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapportering"

    def ready(self) -> None:
        from styrmodell import due_work
        from styrmodell.dialogue import register_host

        # The PDF document kinds register themselves (reporting/pdf_documents.py).
        from . import (  # noqa: F401
            appointed_deadlines,
            case_mentions,
            pdf_documents,
            reports,
            reports_deadlines,
            start_panels,
        )
        from .models import Rapportavsnitt

        register_host(Rapportavsnitt, kind="report_section")
        # Run in name order: a report opens before its sections are chased.
        due_work.register("rapporter-oppnas", reports.open_due_periods)
        due_work.register("rapporter-paminnelser", reports_deadlines.chase_sections)
