"""Rendered PDF documents and the record that a nämnd meeting's economic status was presented.

The PDF is kept in a BinaryField on its row rather than in a FileField under MEDIA_ROOT: the
project has no media storage (no MEDIA_ROOT, no shared volume between web and worker
containers), a report PDF is a few hundred kB to a few MB, and keeping it in the database makes
the status, the hash and the file one atomic write that the database backup already covers.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.formatting import date_text

__all__ = ["PdfRendering", "RenderingStatus", "MeetingPresentation"]


class RenderingStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class PdfRendering(models.Model):
    """One rendering of one document for one state of its data (content_hash)."""

    kind = models.CharField(_("dokumenttyp"), max_length=40)
    object_id = models.PositiveIntegerField(_("objekt"))
    content_hash = models.CharField(_("innehållets kontrollsumma"), max_length=64)
    title = models.CharField(_("titel"), max_length=300)
    filename = models.CharField(_("filnamn"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=RenderingStatus.choices,
                              default=RenderingStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    error = models.TextField(_("fel"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("beställd av"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("PDF-framställning")
        verbose_name_plural = _("PDF-framställningar")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "content_hash"],
                                    name="one_rendering_per_content"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reporting:pdf_status", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (RenderingStatus.DONE, RenderingStatus.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == RenderingStatus.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == RenderingStatus.FAILED


class MeetingPresentation(models.Model):
    """F3: the economic status was presented at the nämnd's meeting; minuted, reported to KS.

    The figures presented are kept as they were, so the record stays true when later outcome
    and forecasts change the page."""

    meeting = models.OneToOneField("styrmodell.CalendarEvent", verbose_name=_("sammanträde"),
                                   on_delete=models.PROTECT, related_name="economic_presentation")
    namnd = models.ForeignKey("styrmodell.OrganisationUnit", verbose_name=_("nämnd"),
                              on_delete=models.PROTECT, related_name="+")
    presented_on = models.DateField(_("föredragen"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    paragraph = models.CharField(_("protokollsparagraf"), max_length=40, blank=True)
    frame = models.DecimalField(_("ram (kr)"), max_digits=16, decimal_places=2, null=True)
    outcome_to_date = models.DecimalField(_("utfall t.o.m. (kr)"), max_digits=16,
                                          decimal_places=2)
    last_month = models.PositiveSmallIntegerField(_("utfall t.o.m. månad"), null=True)
    forecast = models.DecimalField(_("helårsprognos (kr)"), max_digits=16, decimal_places=2,
                                   null=True)
    variance = models.DecimalField(_("avvikelse (kr)"), max_digits=16, decimal_places=2,
                                   null=True)
    open_cases = models.PositiveSmallIntegerField(_("öppna avvikelseärenden"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("föredragen ekonomisk lägesrapport")
        verbose_name_plural = _("föredragna ekonomiska lägesrapporter")
        ordering = ["-presented_on"]

    def __str__(self) -> str:
        return f"{self.namnd} {date_text(self.presented_on)}"
