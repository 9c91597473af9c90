"""PDF rendering with WeasyPrint: tagged (PDF/UA-1), Swedish, and sealed off from the world.

`render_pdf` takes a complete HTML document (usually from `templates/reporting/pdf_base.html`)
and returns the PDF bytes. The only resources it may load are our own static files (looked up
through the staticfiles finders, or under STATIC_ROOT) and `data:` URIs; everything else —
http(s), ftp, `file://` outside the static directories — is refused and never opened.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
    pdf = rendered.write_pdf(pdf_variant=PDF_VARIANT)
    report(95)
    return pdf, len(rendered.pages)
