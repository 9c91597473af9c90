from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapportering"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from styrmodell import due_work
        from styrmodell.appointments import Answerable
        from styrmodell.appointments import register as register_answerable
        from styrmodell.dialogue import register_host
        from styrmodell.models import Side

        # The PDF document kinds register themselves (reporting/pdf_documents.py).
        from . import (  # noqa: F401
            appointed_deadlines,
            case_mentions,
            pdf_documents,
            reports,
            reports_deadlines,
            start_panels,
        )
        from .models import PeriodStatus, Rapportavsnitt

        # A named official writes one section's texts; submitting it stays the förvaltningschef's.
        register_answerable(Answerable(
            model_label="reporting.rapportavsnitt", permission="answer_for_rapportavsnitt",
            kind="report_section", side=Side.OFFICIALS, title=_("Ansvarig för avsnittet"),
            still_open=lambda section: (section.period.status == PeriodStatus.OPEN
                                        and not section.is_locked)))

        register_host(Rapportavsnitt, kind="report_section")
        # Run in name order: a report opens before its sections are chased.
        due_work.register("rapporter-oppnas", reports.open_due_periods)
        due_work.register("rapporter-paminnelser", reports_deadlines.chase_sections)
        due_work.register("ansvar-paminnelser", appointed_deadlines.remind_the_appointed)
