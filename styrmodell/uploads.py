"""Bounds on uploaded files: how large a file may be, and what an .xlsx may unpack to.

An .xlsx is a zip of XML. A few crafted kilobytes can claim a sheet of the whole grid, unpack a
shared-strings table of millions of entries, or carry a DTD with entities; a parser that simply
opens such a file holds a worker or its memory. So before openpyxl sees a workbook,
`check_xlsx` reads only the zip's directory and the first bytes of each member, and refuses
(DomainError, Swedish) a file that would unpack to more than the limits below, is packed harder
than any spreadsheet program packs, or has a DTD in any of its XML parts. The importer then
bounds the rows and columns it reads (`check_sheet_size`, `check_row`).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from typing import IO

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import formatting
from .errors import DomainError

MAX_ZIP_MEMBERS = 1000
# Spreadsheet programs pack sheets 5–20 times; a bomb packs a thousand times.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # tiny parts may pack better without harm
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024
# The parts read whole when the workbook is opened (workbook, styles, relations); only the
# sheets themselves, read row by row, may be larger.
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_ROWS = 1_048_576  # as many as Excel itself allows
MAX_COLUMNS = 200
PROLOGUE_BYTES = 64 * 1024  # what is read of each part to find a DTD before its root element
CHUNK_BYTES = 1024 * 1024
# A body a little larger than the file: the form's other fields and the multipart framing.
FORM_OVERHEAD_BYTES = 64 * 1024
SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
ZIP_ENCRYPTED_FLAG = 0x1


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def max_expanded_bytes() -> int:
    return settings.UPLOAD_MAX_EXPANDED_BYTES


def size_label(size: int) -> str:
    """A file size as people write it: 500 MB, 64 kB."""
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} kB"


def too_large_message(limit: int | None = None) -> str:
    return _("Filen är för stor (högst %(size)s).") % {
        "size": size_label(limit or max_upload_bytes())}


def check_upload_size(size: int, limit: int | None = None) -> None:
    """Refuse a file larger than the upload limit (or `limit`, when smaller)."""
    limit = min(limit or max_upload_bytes(), max_upload_bytes())
    if size > limit:
        raise DomainError(too_large_message(limit), field="file")


class BoundedUploadHandler(FileUploadHandler):
    """Stops reading an upload once it passes UPLOAD_MAX_BYTES (first in FILE_UPLOAD_HANDLERS),
    so that no handler after it writes more of it to memory or disk; the rest of the body is
    read and dropped, and the request is marked for the view (`upload_too_large`)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_length = content_length or 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.body_length > max_upload_bytes() + FORM_OVERHEAD_BYTES:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > max_upload_bytes():
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True
        raise StopUpload(connection_reset=False)


def upload_too_large(request: HttpRequest) -> bool:
    """Whether BoundedUploadHandler stopped this request's upload."""
    if request.method != "POST":
        return False
    request.FILES  # noqa: B018 -- parsing the body is what runs the handler
    return getattr(request, "upload_too_large", False)


def refused_form(form_class, request: HttpRequest, **kwargs):
    """The upload form again, with the refusal of a too large file as its only error."""
    form = form_class(request.POST, {}, **kwargs)
    form.is_valid()
    form.errors.clear()
    form.add_error("file", too_large_message())
    return form


# --- .xlsx -----------------------------------------------------------------------------------


def _refuse(message: str) -> DomainError:
    return DomainError(_("Filen lästes inte in: %(reason)s") % {"reason": message}, field="file")


def _not_a_workbook() -> DomainError:
    return _refuse(_("den kan inte läsas som en Excel-fil (.xlsx). Spara den som "
                     "Excel-arbetsbok (.xlsx) eller CSV."))


def check_xlsx(file: IO[bytes]) -> None:
    """Refuse an .xlsx that would unpack past the limits or carries a DTD; the file is rewound.

    Only the zip's directory and the first PROLOGUE_BYTES of each part are unpacked, and all of
    the shared-strings part only once its packed and unpacked sizes have passed.
    """
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _not_a_workbook() from None
    try:
        members = archive.infolist()
        _check_directory(members)
        for member in members:
            _check_member(archive, member)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise _not_a_workbook() from None
    finally:
        archive.close()
        file.seek(0)


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(_("den har %(count)s delar; en Excel-fil har högst %(max)s.") % {
            "count": len(members), "max": MAX_ZIP_MEMBERS})
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise _not_a_workbook()
    total = sum(member.file_size for member in members)
    if total > max_expanded_bytes():
        raise _refuse(_("den blir för stor uppackad (%(size)s, högst %(max)s). Spara bara "
                        "tabellen, eller spara den som CSV.") % {
            "size": size_label(total), "max": size_label(max_expanded_bytes())})
    for member in members:
        if member.flag_bits & ZIP_ENCRYPTED_FLAG:
            raise _refuse(_("den är lösenordsskyddad. Spara den utan lösenord och försök "
                            "igen."))
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _not_a_workbook()
        if member.file_size > _part_limit(member.filename):
            raise _refuse(_("en del av den blir för stor uppackad (%(size)s, högst %(max)s). "
                            "Spara bara tabellen, eller spara den som CSV.") % {
                "size": size_label(member.file_size),
                "max": size_label(_part_limit(member.filename))})
        if (member.file_size > RATIO_CHECKED_FROM_BYTES
                and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)):
            raise _refuse(_("den är packad hårdare än en Excel-fil är (en del blir mer än "
                            "%(ratio)s gånger större uppackad). Spara den på nytt i Excel "
                            "eller som CSV.") % {"ratio": MAX_COMPRESSION_RATIO})


def _part_limit(name: str) -> int:
    name = name.lower()
    if name.startswith("xl/worksheets/") or name.startswith("xl/media/"):
        return max_expanded_bytes()
    if name.endswith("sharedstrings.xml"):
        return MAX_SHARED_STRINGS_BYTES
    return MAX_PART_BYTES


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    if member.is_dir():
        return
    with archive.open(member) as stream:
        head = stream.read(PROLOGUE_BYTES)
        if has_dtd(head, whole=len(head) < PROLOGUE_BYTES):
            raise _refuse(_("den innehåller en DTD (XML-entiteter), som en Excel-fil inte "
                            "har. Spara den på nytt i Excel eller som CSV."))
        if member.filename.lower().endswith("sharedstrings.xml"):
            _check_shared_strings(head, stream)


def _check_shared_strings(head: bytes, stream: IO[bytes]) -> None:
    """Count the entries of the shared-strings table (each becomes a string in memory)."""
    count, carry, chunk = 0, b"", head
    while chunk:
        data = carry + chunk
        # Cut before the last "<" so that no entry's tag is split between two reads.
        cut = data.rfind(b"<")
        cut = len(data) if cut < 0 else cut
        count += len(SHARED_STRING.findall(data, 0, cut))
        carry = data[cut:]
        if count > MAX_SHARED_STRINGS:
            break
        chunk = stream.read(CHUNK_BYTES)
    count += len(SHARED_STRING.findall(carry))
    if count > MAX_SHARED_STRINGS:
        raise _refuse(_("den har fler än %(max)s olika texter. Spara bara tabellen, eller "
                        "spara den som CSV.") % {"max": formatting.number(MAX_SHARED_STRINGS)})


def _prologue_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="ignore")
    # Latin-1 maps every byte to one character: the ASCII markup is found whatever the rest is.
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def has_dtd(head: bytes, *, whole: bool) -> bool:
    """Whether an XML document's prologue (before its root element) holds a DTD.

    `head` is the document's start; `whole` says it is the whole document. A prologue that
    does not end within `head` is taken as hostile (no spreadsheet writes one that long).
    """
    text = _prologue_text(head)
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return not whole
        if text.startswith("<?", position):
            closing = "?>"
        elif text.startswith("<!--", position):
            closing = "-->"
        elif text.startswith("<!", position):
            return True  # <!DOCTYPE (or any other declaration) before the root element
        else:
            return False  # the root element, or no XML at all: the parser judges the rest
        end = text.find(closing, position)
        if end < 0:
            return not whole
        position = end + len(closing)


def check_sheet_size(*, rows: int | None, columns: int | None) -> None:
    """Refuse a sheet whose stated size (its <dimension>) is beyond what is read."""
    if columns is not None and columns > MAX_COLUMNS:
        raise _refuse(_("bladet har %(count)s kolumner; högst %(max)s läses. Spara bara "
                        "tabellen.") % {
            "count": formatting.number(columns), "max": MAX_COLUMNS})
    if rows is not None and rows > MAX_ROWS:
        raise _refuse(_("bladet har fler än %(max)s rader.") % {"max": formatting.number(MAX_ROWS)})


def check_row(*, number: int, width: int) -> None:
    """Refuse, while reading, a row beyond the bounds (the stated size may understate)."""
    if number > MAX_ROWS:
        raise _refuse(_("bladet har fler än %(max)s rader.") % {"max": formatting.number(MAX_ROWS)})
    if width > MAX_COLUMNS:
        raise _refuse(_("rad %(line)s har %(count)s kolumner; högst %(max)s läses. Spara "
                        "bara tabellen.") % {
            "line": number, "count": formatting.number(width), "max": MAX_COLUMNS})
