"""Django's admin for the reporting app."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# PDF renderings and F3's presentations (reporting/models/pdf.py): read-only records.
from .models import MeetingPresentation, PdfRendering


@admin.register(PdfRendering)
class PdfRenderingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "object_id", "status", "progress", "pages", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [field.name for field in PdfRendering._meta.fields if field.name != "pdf"]
    exclude = ["pdf"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(MeetingPresentation)
class MeetingPresentationAdmin(SimpleHistoryAdmin):
    list_display = ["namnd", "presented_on", "paragraph", "recorded_by", "forecast", "variance"]
    list_filter = ["namnd"]
    readonly_fields = [field.name for field in MeetingPresentation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
