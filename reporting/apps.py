from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapportering"

    def ready(self) -> None:
        # The PDF document kinds register themselves (reporting/pdf_documents.py).
        from . import pdf_documents  # noqa: F401
