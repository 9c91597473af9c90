"""PDF rendering with WeasyPrint: tagged (PDF/UA-1), Swedish, and sealed off from the world.

`render_pdf` takes a complete HTML document (usually from `templates/reporting/pdf_base.html`)
and returns the PDF bytes. The only resources it may load are our own static files (looked up
through the staticfiles finders, or under STATIC_ROOT) and `data:` URIs; everything else —
http(s), ftp, `file://` outside the static directories — is refused and never opened.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger("styrmodell.pdf")

# Relative URLs in the document ("/static/css/print.css") resolve against this base; the host
# is never contacted: the fetcher maps it onto the static files.
BASE_URL = "https://styrmodell.invalid/"
PDF_VARIANT = "pdf/ua-1"


class RefusedResource(ValueError):
    """A URL the PDF may not load."""


def _static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _within_static(path: Path) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root) for root in _static_roots())


def static_file_for(url: str) -> Path | None:
    """The static file a URL names, or None when it names nothing of ours."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        return path if path.is_file() and _within_static(path) else None
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL):]
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        candidate = Path(found)
    elif settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
    else:
        return None
    return candidate if candidate.is_file() and _within_static(candidate) else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves `data:` URIs and our static files; refuses (and records) everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_for(url)
            if path is None:
                self.refused.append(url)
                logger.warning("PDF rendering refused to fetch %s", url[:200])
                raise RefusedResource(f"Bara egna statiska filer får hämtas: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            headers = {"Content-Type": content_type}
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers)

    return StaticOnlyFetcher


def static_only_fetcher():
    return _fetcher_class()()


def render_pdf(html: str, *, title: str, fetcher=None, progress=None) -> bytes:
    """The PDF of a complete HTML document: PDF/UA-1 (tagged), with the document's title.

    `fetcher` may be passed to inspect what was refused afterwards (`fetcher.refused`);
    `progress(percent)` is called between the steps (parsed, laid out, written)."""
    return render_pdf_pages(html, title=title, fetcher=fetcher, progress=progress)[0]


def render_pdf_pages(html: str, *, title: str, fetcher=None, progress=None
                     ) -> tuple[bytes, int]:
    """`render_pdf`, and the number of pages."""
    from weasyprint import HTML

    report = progress or (lambda percent: None)
    fetcher = fetcher or static_only_fetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    report(20)
    rendered = document.render()
    report(70)
    rendered.metadata.title = title
    pdf = with_table_header_scopes(rendered.write_pdf(pdf_variant=PDF_VARIANT))
    report(95)
    return pdf, len(rendered.pages)


# --- Table headers in the structure tree ------------------------------------------------------
# WeasyPrint tags <th> as /TH but drops the HTML scope attribute, so a screen reader cannot tell
# which data cells a header belongs to (PDF/UA-1 7.5). Our templates put column headers in
# <thead> and row headers first in <tbody> rows, so the section a /TH sits in decides its scope.

_HEADER_SECTIONS = {"/THead": "/Column", "/TBody": "/Row", "/TFoot": "/Row"}


def with_table_header_scopes(pdf: bytes) -> bytes:
    """The PDF with a /Scope attribute on every /TH that has none."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None or not _scope_headers(root, section=None):
            return pdf
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _set_scope(header, scope) -> int:
    """Adds `scope` to the header's table attributes (WeasyPrint writes /O /Table alone)."""
    attributes = header.get("/A")
    if attributes is None:
        header.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
        return 1
    candidates = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    tables = [a for a in candidates
              if isinstance(a, pikepdf.Dictionary) and a.get("/O") == pikepdf.Name.Table]
    if any("/Scope" in table for table in tables):
        return 0
    if tables:
        tables[0].Scope = scope
    elif isinstance(attributes, pikepdf.Array):
        attributes.append(pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope))
    else:
        header.A = pikepdf.Array([attributes, pikepdf.Dictionary(O=pikepdf.Name.Table,
                                                                 Scope=scope)])
    return 1


def _struct_kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _scope_headers(element, section: str | None) -> int:
    """Sets the scope of the /TH elements under `element`; returns how many it set."""
    role = str(element.get("/S", ""))
    if role == "/TH":
        return _set_scope(element, pikepdf.Name(_HEADER_SECTIONS.get(section, "/Column")))
    section = role if role in _HEADER_SECTIONS else section
    return sum(_scope_headers(kid, section) for kid in _struct_kids(element))
