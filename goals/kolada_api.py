"""Reading the Kolada API v3 over HTTP: the data of key figures and the names of municipalities.

No Django here: the caller passes the base URL (setting KOLADA_BASE_URL) and the timeout
(KOLADA_TIMEOUT). The standard library's urllib does the HTTP; the project needs no more than
GET with a timeout, so no HTTP client is added as a dependency.

The shapes used, as Kolada's public API documents them (github.com/Hypergene/kolada, README,
"Query data"; the same routes under /v3 as public v3 clients use them, e.g.
isakskogstad/Kolada-MCP src/api/client.ts and config/types.ts):

    GET {base}/data/kpi/<kpi,kpi,...>/municipality/<code,code,...>
        {"values": [{"kpi": "N01951", "municipality": "1443", "period": 2024,
                     "values": [{"gender": "T", "status": "", "value": 10198}, ...]}],
         "count": 1, "next_url": "<the full address of the next page>" or absent}
    GET {base}/municipality/<code,code,...>
        {"values": [{"id": "1443", "title": "Bollebygd", "type": "K"}], "count": 1}

An answer is limited to a page (`per_page`, at most 5 000 rows); the rest is read by following
the page's link to the next one. v3 names it `next_url` (v2 named it `next_page`; both are
followed). A value Kolada has withdrawn comes as a row with `"isdeleted": true`.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

PAGE_SIZE = 5000
# Kolada refuses too long an address; these many ids of each kind keep it well below the limit.
KPIS_PER_REQUEST = 25
MUNICIPALITIES_PER_REQUEST = 20
MAX_ANSWER_BYTES = 20 * 1024 * 1024


class KoladaError(Exception):
    """Kolada could not be read: unreachable, too slow, an error status or an answer too large.
    The message is Swedish and names what happened."""


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def data_urls(base: str, kpis: list[str], codes: list[str]) -> list[str]:
    """The first page of each request that together asks for every KPI of every municipality."""
    return [
        f"{base}/data/kpi/{','.join(kpi_part)}/municipality/{','.join(code_part)}"
        f"?per_page={PAGE_SIZE}"
        for kpi_part in _chunks(kpis, KPIS_PER_REQUEST)
        for code_part in _chunks(codes, MUNICIPALITIES_PER_REQUEST)
    ]


def next_page(current: str, link: str | None, *, base: str) -> str | None:
    """The address of the next page, which must be on the same server as the setting names:
    the fetch follows no link Kolada's answer gives to somewhere else."""
    if not link:
        return None
    address = urllib.parse.urljoin(current, link)
    wanted, got = urllib.parse.urlsplit(base), urllib.parse.urlsplit(address)
    if (got.scheme, got.netloc) != (wanted.scheme, wanted.netloc):
        raise KoladaError(f"Kolada pekade vidare till {address}, som inte ligger på den "
                          f"inställda adressen {base}. Hämtningen avbröts.")
    return address


def get(url: str, *, timeout: float) -> bytes:
    """The body of a GET, or KoladaError saying in Swedish why there is none."""
    request = urllib.request.Request(url, headers={
        "Accept": "application/json", "User-Agent": "styrmodell (kommunens styrmodell)",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise KoladaError(f"Kolada svarade med felkod {error.code} ({error.reason}) på "
                          f"{url}.") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _too_slow(url, timeout) from error
        raise KoladaError(f"Kolada gick inte att nå på {url}: {error.reason}.") from error
    except TimeoutError as error:
        raise _too_slow(url, timeout) from error
    except (http.client.HTTPException, OSError) as error:
        raise KoladaError(f"Svaret från Kolada på {url} bröts av: {error}.") from error
    if len(body) > MAX_ANSWER_BYTES:
        raise KoladaError(f"Svaret från Kolada på {url} är större än "
                          f"{MAX_ANSWER_BYTES // (1024 * 1024)} MB. Hämtningen avbröts.")
    return body


def _too_slow(url: str, timeout: float) -> KoladaError:
    return KoladaError(f"Kolada svarade inte inom {timeout:g} sekunder på {url}.")


def municipality_names(base: str, codes: list[str], *, timeout: float) -> dict[str, str]:
    """Kolada's name of each municipality code it knows (codes it does not know are left out)."""
    names: dict[str, str] = {}
    for part in _chunks(codes, MUNICIPALITIES_PER_REQUEST):
        url = f"{base}/municipality/{','.join(part)}"
        try:
            document = json.loads(get(url, timeout=timeout))
        except ValueError as error:
            raise KoladaError(f"Svaret från Kolada på {url} är inte giltig JSON.") from error
        rows = document.get("values") if isinstance(document, dict) else None
        if not isinstance(rows, list):
            raise KoladaError(f"Svaret från Kolada på {url} saknar listan 'values'.")
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get("id"), str) \
                    and isinstance(row.get("title"), str) and row["title"].strip():
                names[row["id"]] = row["title"].strip()
    return names
