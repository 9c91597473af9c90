"""The outcome import as a background task: an uploaded file is kept in the database in pieces,
read by a Celery task that records its progress, previewed where it would replace stored
outcome, and written once the finance office confirms.

    receive()  the request: the file into UtfallsfilDel pieces, the task queued
    run()      the task: read and check all of it; write at once, or stop at a preview
    confirm()  the finance office accepts the preview: the task reads again and writes, but
               only if the preview is still what they saw (else they see the new one)

The request never reads more than the file's head, so a big file cannot time out a web worker;
the task reads the pieces one at a time, so its memory stays flat whatever the file's size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import time
from collections.abc import Callable
from typing import IO

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from budget.ledger import outcomes, preview
from budget.ledger.models import ImportFormat, UploadStatus, Utfallsfil, UtfallsfilDel
from styrmodell import background
from styrmodell.errors import DomainError

logger = logging.getLogger("styrmodell.outcomes")

TIME_LIMIT = int(getattr(settings, "OUTCOME_IMPORT_TIME_LIMIT", 3600))
KEPT_DAYS = 7  # an upload nobody confirmed or mapped is dropped after this many days
PROGRESS_EVERY = 0.5  # seconds between progress updates
READ_SHARE = 95  # per cent of the progress bar for reading; the rest is writing


# --- The file in the database --------------------------------------------------------------


class StoredFile(io.RawIOBase):
    """An uploaded file read back from its pieces, seekable; one piece in memory at a time
    (the last few for Excel, whose zip is read back and forth). `on_read` is told how many
    bytes were loaded so far."""

    def __init__(self, upload: Utfallsfil, on_read: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self.upload_id, self.size = upload.pk, upload.size
        self.position = 0
        self.loaded = 0
        self.on_read = on_read
        self.cached = 4 if upload.format == ImportFormat.EXCEL else 1
        self.cache: dict[int, bytes] = {}

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        index, start = divmod(self.position, UtfallsfilDel.CHUNK)
        piece = self._piece(index)
        count = min(len(buffer), len(piece) - start)
        buffer[:count] = piece[start:start + count]
        self.position += count
        return count

    def _piece(self, index: int) -> bytes:
        if index not in self.cache:
            data = (UtfallsfilDel.objects.filter(fil_id=self.upload_id, index=index)
                    .values_list("data", flat=True).first())
            if data is None:
                raise DomainError("Filen finns inte kvar; ladda upp den igen.", field="file")
            if len(self.cache) >= self.cached:
                self.cache.pop(next(iter(self.cache)))
            self.cache[index] = bytes(data)
            self.loaded += len(data)
            if self.on_read:
                self.on_read(self.loaded)
        return self.cache[index]


def open_stored(upload: Utfallsfil, on_read: Callable[[int], None] | None = None) -> IO[bytes]:
    return io.BufferedReader(StoredFile(upload, on_read), buffer_size=256 * 1024)


def _store_pieces(upload: Utfallsfil, file) -> None:
    """The upload's bytes into pieces of CHUNK bytes, with its size and SHA-256; one piece in
    memory at a time."""
    sha, size = hashlib.sha256(), 0
    file.seek(0)
    for index, piece in enumerate(iter(lambda: file.read(UtfallsfilDel.CHUNK), b"")):
        UtfallsfilDel.objects.create(fil=upload, index=index, data=piece)
        sha.update(piece)
        size += len(piece)
    upload.size, upload.sha256 = size, sha.hexdigest()
    upload.save(update_fields=["size", "sha256"])


# --- The request ---------------------------------------------------------------------------


def receive(*, file, file_name: str, user, format: str | None = None) -> Utfallsfil:
    """Keep an uploaded file and queue its reading. A file that is plainly no ledger file
    (empty, a web page, binary, UTF-16 SIE, old Excel) is refused here, from its head."""
    chosen = format or outcomes.detect_format(file, file_name)
    drop_stale_uploads()
    with transaction.atomic():
        upload = Utfallsfil.objects.create(file_name=file_name[:255], format=chosen,
                                           uploaded_by=user)
        _store_pieces(upload, file)
    start(upload)
    return upload


def start(upload: Utfallsfil) -> None:
    """Queue the reading (after the upload's rows are committed)."""
    background.enqueue(read_outcome_file, upload.pk)


def confirm(*, upload: Utfallsfil, user, digest: str) -> None:
    """The finance office accepts the preview they saw (its digest): read again and write."""
    with transaction.atomic():
        upload = Utfallsfil.objects.select_for_update().get(pk=upload.pk)
        if upload.status != UploadStatus.PREVIEW:
            raise DomainError("Förhandsvisningen är redan bekräftad eller avbruten.")
        if digest != upload.preview_digest:
            raise DomainError("Förhandsvisningen har ändrats sedan sidan visades. Granska den "
                              "igen och bekräfta på nytt.")
        upload.status, upload.progress = UploadStatus.QUEUED, 0
        upload.confirmed_digest, upload.confirmed_by = digest, user
        upload.message = ""
        upload.save(update_fields=["status", "progress", "confirmed_digest", "confirmed_by",
                                   "message"])
    start(upload)


def read_again(*, upload: Utfallsfil) -> None:
    """Read a refused file again (after its objects were mapped), without a new upload."""
    with transaction.atomic():
        upload = Utfallsfil.objects.select_for_update().get(pk=upload.pk)
        if not upload.is_refused or not upload.parts.exists():
            raise DomainError("Filen kan inte läsas igen; ladda upp den på nytt.")
        _reset(upload)
    start(upload)


def cancel(*, upload: Utfallsfil) -> None:
    """Drop an upload that waits for confirmation or was refused; nothing stored changes."""
    with transaction.atomic():
        upload = Utfallsfil.objects.select_for_update().get(pk=upload.pk)
        if not (upload.is_preview or upload.is_refused):
            raise DomainError("Inläsningen kan inte avbrytas nu.")
        upload.status, upload.finished_at = UploadStatus.CANCELLED, timezone.now()
        upload.save(update_fields=["status", "finished_at"])
        upload.parts.all().delete()


def _reset(upload: Utfallsfil) -> None:
    upload.status, upload.progress, upload.lines_read = UploadStatus.QUEUED, 0, 0
    upload.message, upload.unmapped = "", []
    upload.without_object, upload.without_object_lines = 0, []
    upload.preview, upload.preview_digest, upload.confirmed_digest = [], "", ""
    upload.started_at = upload.finished_at = None
    upload.save()


def is_abandoned(upload: Utfallsfil) -> bool:
    """Queued or running for longer than the task may run: its worker died."""
    if not upload.is_running:
        return False
    since = upload.started_at or upload.uploaded_at
    return timezone.now() - since > dt.timedelta(seconds=TIME_LIMIT + 60)


def drop_stale_uploads() -> int:
    """The pieces of uploads left unconfirmed or refused for KEPT_DAYS days are deleted."""
    stale = (Utfallsfil.objects.filter(uploaded_at__lt=timezone.now()
                                       - dt.timedelta(days=KEPT_DAYS))
             .exclude(status__in=[UploadStatus.DONE, UploadStatus.CANCELLED]))
    count = 0
    for upload in stale:
        upload.parts.all().delete()
        if upload.is_preview or upload.is_refused or is_abandoned(upload):
            upload.status = UploadStatus.CANCELLED
            upload.message = (f"Filen togs bort efter {KEPT_DAYS} dagar utan att läsas in. "
                              "Ladda upp den igen.")
            upload.save(update_fields=["status", "message"])
            count += 1
    return count


# --- The task ------------------------------------------------------------------------------


def _update(upload: Utfallsfil, **fields) -> None:
    Utfallsfil.objects.filter(pk=upload.pk).update(**fields)
    for name, value in fields.items():
        setattr(upload, name, value)


class _Progress:
    """Bytes loaded into a per-cent figure, written at most every PROGRESS_EVERY seconds. The
    file is read twice (its checksum, then its lines)."""

    def __init__(self, upload: Utfallsfil) -> None:
        self.upload, self.last = upload, 0.0

    def __call__(self, loaded: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        share = min(loaded / max(2 * self.upload.size, 1), 1)
        _update(self.upload, progress=int(share * READ_SHARE))


def run(upload_id: int) -> Utfallsfil:
    """The task's body: read the file; write it, or stop at a preview or a refusal."""
    upload = Utfallsfil.objects.get(pk=upload_id)
    if upload.status != UploadStatus.QUEUED:
        return upload  # a second delivery of the same task
    _update(upload, status=UploadStatus.READING, started_at=timezone.now(), progress=0)
    try:
        reading = outcomes.read_file(file=open_stored(upload, _Progress(upload)),
                                     format=upload.format)
        _update(upload, lines_read=reading.lines_read, progress=READ_SHARE)
        _write_or_preview(upload, reading)
    except outcomes.UnmappedObjectsError as error:
        _refuse(upload, error.message, unmapped=[
            {"dimension": item.dimension, "object_id": item.object_id, "name": item.name,
             "line": item.line} for item in error.objects],
            without_object=error.count_without_object,
            without_object_lines=error.lines_without_object)
    except DomainError as error:
        _refuse(upload, error.message)
    except Exception:  # recorded on the upload, which its page shows
        logger.exception("Outcome upload %s failed", upload.pk)
        _update(upload, status=UploadStatus.FAILED, finished_at=timezone.now(),
                message="Inläsningen avbröts av ett oväntat fel. Ingenting sparades. Försök "
                        "igen; kvarstår felet, kontakta systemförvaltningen.")
    return upload


def _refuse(upload: Utfallsfil, message: str, **fields) -> None:
    _update(upload, status=UploadStatus.REFUSED, finished_at=timezone.now(), message=message,
            progress=100, **fields)


def _write_or_preview(upload: Utfallsfil, reading: outcomes.Reading) -> None:
    """Under the import lock, so that what is compared is what is replaced."""
    with transaction.atomic():
        outcomes.lock_outcomes()
        rows = preview.compare(reading.plans)
        digest = preview.digest(rows)
        if preview.replaces_anything(rows) and digest != upload.confirmed_digest:
            changed = bool(upload.confirmed_digest)
            _update(upload, status=UploadStatus.PREVIEW, progress=100,
                    preview=[row.as_json() for row in rows], preview_digest=digest,
                    confirmed_digest="", finished_at=timezone.now(),
                    message="Utfallet eller kopplingarna ändrades efter att du bekräftade. "
                            "Granska den nya förhandsvisningen och bekräfta igen."
                    if changed else "")
            return
        _update(upload, status=UploadStatus.WRITING)
        log = outcomes.write_reading(reading, file_name=upload.file_name,
                                     user=upload.confirmed_by or upload.uploaded_by,
                                     before=preview.before_of(rows))
        _update(upload, status=UploadStatus.DONE, progress=100, result=log,
                preview=[row.as_json() for row in rows], preview_digest=digest,
                finished_at=timezone.now())
        upload.parts.all().delete()


# Beside the job it runs; budget/tasks.py names it for Celery's autodiscovery.
@shared_task(name="budget.read_outcome_file", time_limit=TIME_LIMIT,
             soft_time_limit=max(TIME_LIMIT - 30, 30))
def read_outcome_file(upload_id: int) -> int:
    """Read (and write, or preview) one uploaded ledger file; returns the upload's id."""
    return run(upload_id).pk
