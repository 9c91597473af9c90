"""The ledger side of the budget: verksamheter, accounts and monthly outcomes (utfall), and how
outcomes come in from the ledger: the mapping rules of its objects and the import log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrmodell.models import OrganisationUnit

__all__ = ["MONTH_ABBREVIATIONS", "RESULT_ACCOUNT_CLASSES", "ImportFormat", "ImportStatus", "Konto",
           "MappingKind", "Objektkoppling", "UploadStatus", "Utfall", "UtfallManad",
           "UtfallVerksamhetManad", "Utfallsfil", "UtfallsfilDel", "Utfallsimport",
           "UtfallsimportSumma", "Utfallsregler", "Verksamhet", "month_range_label"]


class Verksamhet(models.Model):
    """A part of a nämnd's work that its frame is distributed over (B2) and outcomes follow."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="verksamheter")
    code = models.CharField(_("kod"), max_length=20)
    name = models.CharField(_("namn"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")
        ordering = ["namnd__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["namnd", "code"], name="one_verksamhet_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


RESULT_ACCOUNT_CLASSES = frozenset("345678")


class Konto(models.Model):
    """An account of the municipality's chart (Kommun-Bas): class 3 revenue, 4-7 costs,
    8 financial items; 1-2 are balance accounts that carry no outcome of a frame."""

    number = models.CharField(_("kontonummer"), max_length=10, unique=True)
    name = models.CharField(_("benämning"), max_length=100)

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_result_account(self) -> bool:
        return self.number[:1] in RESULT_ACCOUNT_CLASSES


class Utfall(models.Model):
    """A month's outcome of one account for a nämnd (and verksamhet), in kronor.

    Signs as in the ledger: costs (debit) positive, revenues (credit) negative, so the sum of a
    nämnd's rows is its net cost, comparable with its frame.
    """

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    verksamhet = models.ForeignKey(Verksamhet, verbose_name=_("verksamhet"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    konto = models.ForeignKey(Konto, verbose_name=_("konto"), on_delete=models.PROTECT,
                              related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        indexes = [
            models.Index(fields=["namnd", "year", "month"], name="utfall_namnd_period"),
            # The year's last imported month, for any nämnd (`last_outcome_month`).
            models.Index(fields=["year", "month"], name="utfall_year_month"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12),
                                   name="utfall_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.year}-{self.month:02d} {self.konto_id}: {self.amount}"


class UtfallManad(models.Model):
    """A nämnd's net outcome in one month: the sum of its Utfall rows, kept beside them.

    Every page that shows a nämnd's outcome per month or to date reads these few rows instead of
    summing a big city's hundreds of thousands; `budget.ledger.totals.refresh_month_totals` is
    called by everything that writes Utfall (the import, the demo), in the same transaction.
    """

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=18, decimal_places=2)
    rows = models.PositiveIntegerField(_("rader"))

    class Meta:
        verbose_name = _("utfall per månad")
        verbose_name_plural = _("utfall per månad")
        constraints = [
            models.UniqueConstraint(fields=["year", "namnd", "month"],
                                    name="one_outcome_total_per_namnd_month"),
        ]

    def __str__(self) -> str:
        return f"{self.namnd} {self.year}-{self.month:02d}: {self.amount}"


class UtfallVerksamhetManad(models.Model):
    """A nämnd's net outcome of one verksamhet (or of rows with none) in one month: the sum of
    those Utfall rows, kept beside them as `UtfallManad` is, for the pages that show a nämnd's
    outcome per verksamhet (its follow-up, its year of outcome) without summing its ledger."""

    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    verksamhet = models.ForeignKey(Verksamhet, verbose_name=_("verksamhet"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("utfall per verksamhet och månad")
        verbose_name_plural = _("utfall per verksamhet och månad")
        indexes = [models.Index(fields=["namnd", "year"], name="utfall_verksamhet_namnd_year")]

    def __str__(self) -> str:
        return f"{self.namnd} {self.verksamhet_id} {self.year}-{self.month:02d}: {self.amount}"


class MappingKind(models.TextChoices):
    EXACT = "exakt", _("Objekt")
    PREFIX = "prefix", _("Börjar med")
    RANGE = "intervall", _("Intervall")


class Objektkoppling(models.Model):
    """Which nämnd (and verksamhet) objects of the ledger belong to: one object ("410"), every
    object that begins with a prefix ("41"), or a range ("2000"–"2999").

    The rules apply to the dimension the finance office chose for the ansvar/kostnadsställe
    (`Utfallsregler`). An exact rule goes before a prefix, a longer prefix before a shorter,
    and a prefix before a range. An import refuses a file that uses an object no rule covers,
    so no money is ever dropped or guessed.
    """

    dimension = models.PositiveSmallIntegerField(_("dimension"), default=1)
    kind = models.CharField(_("regel"), max_length=10, choices=MappingKind.choices,
                            default=MappingKind.EXACT)
    object_id = models.CharField(_("objekt"), max_length=40)
    object_to = models.CharField(_("till och med"), max_length=40, blank=True)
    name = models.CharField(_("benämning i redovisningen"), max_length=100, blank=True)
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    verksamhet = models.ForeignKey(Verksamhet, verbose_name=_("verksamhet"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objektkoppling")
        verbose_name_plural = _("objektkopplingar")
        ordering = ["dimension", "object_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "kind", "object_id"],
                                    name="one_mapping_per_ledger_object")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.objects_label} → {self.namnd}"

    @property
    def objects_label(self) -> str:
        if self.kind == MappingKind.PREFIX:
            return f"{self.object_id}…"
        if self.kind == MappingKind.RANGE:
            return f"{self.object_id}–{self.object_to}"
        return self.object_id

    def clean(self) -> None:
        if self.verksamhet_id and self.namnd_id and self.verksamhet.namnd_id != self.namnd_id:
            raise ValidationError({"verksamhet": _("Verksamheten hör till en annan nämnd.")})


class Utfallsregler(models.Model):
    """How the finance office's ledger carries its organisation: which SIE dimension holds the
    ansvar/kostnadsställe, which (if any) the verksamhet, and where money on result accounts
    without any object goes (nowhere: the file is refused). One row for the municipality."""

    ansvar_dimension = models.PositiveSmallIntegerField(_("dimension för ansvar"), default=1)
    verksamhet_dimension = models.PositiveSmallIntegerField(
        _("dimension för verksamhet"), null=True, blank=True)
    unplaced_namnd = models.ForeignKey(
        OrganisationUnit, verbose_name=_("belopp utan objekt förs till"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regler för utfallsimport")
        verbose_name_plural = _("regler för utfallsimport")

    def __str__(self) -> str:
        return str(_("Regler för utfallsimport"))

    @classmethod
    def current(cls) -> Utfallsregler:
        """The municipality's rules; the defaults (dimension 1, refuse money without object)
        until the finance office saves its own."""
        return cls.objects.select_related("unplaced_namnd").first() or cls()


class ImportFormat(models.TextChoices):
    SIE = "sie", "SIE 4"
    CSV = "csv", "CSV"
    EXCEL = "excel", "Excel"


class ImportStatus(models.TextChoices):
    CURRENT = "gallande", _("Gällande")
    PARTLY_REPLACED = "delvis_ersatt", _("Delvis ersatt")
    REPLACED = "ersatt", _("Ersatt")


class Utfallsimport(models.Model):
    """One import of outcomes from a ledger file: the audit trail of Utfall.

    Utfall rows carry no history of their own (an import writes thousands of them at once and
    replaces whole months); this log is their audit trail instead: who imported which file
    (with its SHA-256), when, for which year and months, how many lines it read and rows it
    wrote, the total, and which later import replaced it. Nothing here is ever deleted.
    """

    file_name = models.CharField(_("fil"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    encoding = models.CharField(_("teckenkodning"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("år"))
    months = models.JSONField(_("månader"), default=list)  # [10, 11]: the months it covers
    months_in_force = models.JSONField(_("månader som gäller"), default=list)
    lines_read = models.PositiveIntegerField(_("lästa rader"), default=0)
    rows_written = models.PositiveIntegerField(_("sparade utfallsrader"), default=0)
    total_amount = models.DecimalField(_("summa (kr)"), max_digits=18, decimal_places=2)
    source_note = models.TextField(_("hur filen lästes"), blank=True)
    # What the file had that was odd but not wrong (skipped records, reused voucher numbers, a
    # missing #ORGNR): shown on the result page beside how it was read.
    warnings = models.JSONField(_("varningar"), default=list, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inläst av"),
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.CURRENT)
    replaced_by = models.ForeignKey("self", verbose_name=_("ersatt av"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced")

    class Meta:
        verbose_name = _("utfallsimport")
        verbose_name_plural = _("utfallsimporter")
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["year", "status"], name="utfallsimport_year_status")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("budget:outcome_import", args=[self.pk])

    @property
    def months_label(self) -> str:
        return month_range_label(self.months)


class UtfallsimportSumma(models.Model):
    """What one import wrote for one nämnd and month: the result page and the log's detail."""

    utfallsimport = models.ForeignKey(Utfallsimport, on_delete=models.CASCADE,
                                      related_name="sums")
    namnd = models.ForeignKey(OrganisationUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT,
                              related_name="+")
    month = models.PositiveSmallIntegerField(_("månad"))
    rows = models.PositiveIntegerField(_("rader"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=18, decimal_places=2)
    # What was stored for this nämnd and month before the import replaced it (the preview the
    # finance office confirmed); empty where nothing was. A nämnd that had outcome but none in
    # the file has a row of its own with 0 rows and amount 0.
    amount_before = models.DecimalField(_("belopp före (kr)"), max_digits=18, decimal_places=2,
                                        null=True, blank=True)

    class Meta:
        verbose_name = _("summa per nämnd och månad")
        verbose_name_plural = _("summor per nämnd och månad")
        ordering = ["namnd__path", "month"]
        constraints = [
            models.UniqueConstraint(fields=["utfallsimport", "namnd", "month"],
                                    name="one_import_sum_per_namnd_month")
        ]

    def __str__(self) -> str:
        return f"{self.namnd_id} {self.month}: {self.amount}"


class UploadStatus(models.TextChoices):
    QUEUED = "vantar", _("Väntar på att läsas")
    READING = "lases", _("Läses")
    PREVIEW = "forhandsvisning", _("Väntar på bekräftelse")
    WRITING = "sparas", _("Sparas")
    DONE = "inlast", _("Inläst")
    REFUSED = "avvisad", _("Inte inläst")
    CANCELLED = "avbruten", _("Avbruten")
    FAILED = "fel", _("Avbröts av ett fel")


class Utfallsfil(models.Model):
    """An uploaded ledger file and its way through the import, which runs as a background task:
    queued, read (with progress), shown as a preview where it replaces stored outcome, confirmed,
    written. The file's bytes are kept in `UtfallsfilDel` rows until it is written or dropped,
    so that the task, the confirmation and a second reading after mapping need no new upload.
    """

    file_name = models.CharField(_("fil"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    size = models.BigIntegerField(_("storlek (byte)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uppladdad av"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=UploadStatus.choices,
                              default=UploadStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    lines_read = models.PositiveIntegerField(_("lästa rader"), default=0)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    message = models.TextField(_("meddelande"), blank=True)  # why it was refused, or a notice
    # The refused file's unmapped objects, each {dimension, object_id, name, line}, and the
    # lines of money without any object: shown with one form that maps them all.
    unmapped = models.JSONField(_("okopplade objekt"), default=list, blank=True)
    without_object = models.PositiveIntegerField(_("rader utan objekt"), default=0)
    without_object_lines = models.JSONField(_("rader utan objekt"), default=list, blank=True)
    # Per nämnd, year and month: {namnd, name, year, month, stored, new} (amounts as text, None
    # where there is none), and its digest, which a confirmation must match.
    preview = models.JSONField(_("förhandsvisning"), default=list, blank=True)
    preview_digest = models.CharField(_("förhandsvisningens kontrollsumma"), max_length=64,
                                      blank=True)
    confirmed_digest = models.CharField(_("bekräftad förhandsvisning"), max_length=64,
                                        blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bekräftad av"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    result = models.ForeignKey(Utfallsimport, verbose_name=_("inläsning"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("uppladdad utfallsfil")
        verbose_name_plural = _("uppladdade utfallsfiler")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["status", "uploaded_at"], name="utfallsfil_status")]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("budget:outcome_upload", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (UploadStatus.QUEUED, UploadStatus.READING, UploadStatus.WRITING)

    @property
    def is_preview(self) -> bool:
        return self.status == UploadStatus.PREVIEW

    @property
    def is_refused(self) -> bool:
        return self.status in (UploadStatus.REFUSED, UploadStatus.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == UploadStatus.DONE

    @property
    def is_open(self) -> bool:
        """Whether the finance office still has something to do with it."""
        return self.is_running or self.is_preview or self.is_refused


class UtfallsfilDel(models.Model):
    """One piece of an uploaded file's bytes (CHUNK bytes, the last one shorter)."""

    CHUNK = 1024 * 1024

    fil = models.ForeignKey(Utfallsfil, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fil", "index"],
                                               name="one_utfallsfil_part_per_index")]

    def __str__(self) -> str:
        return f"{self.fil_id}:{self.index}"


MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                       "nov", "dec")


def month_range_label(months: list[int]) -> str:
    """[1, 2, 3, 5] -> "jan–mar, maj"."""
    parts: list[str] = []
    ordered = sorted(set(months))
    start = previous = None
    for month in [*ordered, None]:
        if month is not None and previous is not None and month == previous + 1:
            previous = month
            continue
        if start is not None:
            first, last = MONTH_ABBREVIATIONS[start - 1], MONTH_ABBREVIATIONS[previous - 1]
            parts.append(first if start == previous else f"{first}–{last}")
        start = previous = month
    return ", ".join(parts)
