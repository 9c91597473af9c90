"""The fetch of key figure values from the Kolada API v3, once a day, and its log.

Every key figure with a Kolada id is fetched for the municipality (setting MUNICIPALITY_CODE)
and for the comparison municipalities the finance office has chosen. Every page of every
request is read and checked first; only then are the values saved, in one transaction. So a
fetch that fails on the way (Kolada unreachable, too slow, an error status, an answer that is
not Kolada's JSON) changes nothing, and its log row (KoladaHamtning) says why.

Saving compares with what is stored and writes only what differs: a second fetch of the same
answer writes nothing. A row Kolada marks `isdeleted` removes the stored value of that year
(of the municipality's own values, only one that came from Kolada). The municipality's values
are its NyckeltalVarde rows (source "kolada", as the manual upload saves them); the comparison
municipalities' are Jamforelsevarde rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from styrmodell.errors import DomainError
from styrmodell.formatting import moment_short
from styrmodell.models import OrganisationUnit, User

from . import kolada, kolada_api
from .keyfigures import KOLADA_SOURCE, municipality_unit
from .kolada_api import KoladaError
from .models import (
    Jamforelsekommun,
    Jamforelsevarde,
    KoladaHamtning,
    KoladaTrigger,
    Nyckeltal,
    NyckeltalVarde,
)

MAX_PAGES = 1000
ANSWER = "Svaret från Kolada"


@dataclass
class _Plan:
    code: str
    kommun: OrganisationUnit
    figures: dict[str, Nyckeltal]
    comparisons: dict[str, Jamforelsekommun]


@dataclass
class _Counts:
    pages: int = 0
    rows: int = 0
    saved: int = 0
    unchanged: int = 0
    deleted: int = 0
    comparison_saved: int = 0
    comparison_deleted: int = 0
    skipped: int = 0


# --- the due work and the manual start -------------------------------------------------------


def fetch_due(today: dt.date) -> int:
    """Due work (hourly): fetch once a day, when the municipality's Kolada code is set.

    A day with a successful fetch is done; after a failed one the next hour tries again.
    Returns 1 if it fetched (whatever the outcome), else 0.
    """
    if not settings.MUNICIPALITY_CODE or fetched_on(today):
        return 0
    fetch(trigger=KoladaTrigger.SCHEDULED)
    return 1


def fetched_on(day: dt.date) -> bool:
    """A fetch went through on this (Swedish) day."""
    return KoladaHamtning.objects.filter(ok=True, started_at__date=day).exists()


def fetch(*, trigger: str = KoladaTrigger.SCHEDULED, user: User | None = None) -> KoladaHamtning:
    """Fetch every value and save it, or nothing; the log row says which, and why."""
    log = KoladaHamtning(started_at=timezone.now(), trigger=trigger, started_by=user)
    counts = _Counts()
    try:
        plan = _plan()
        if plan.figures:
            rows = _read_all(plan, counts)
            _save(plan, rows, counts)
    except (KoladaError, DomainError) as error:
        log.ok = False
        log.message = f"{error} Inga värden ändrades."
    except IntegrityError:
        # Another fetch saved the same new values at the same moment; its values stand.
        log.ok = False
        log.message = ("En annan hämtning från Kolada sparade samtidigt. Den här ändrade inga "
                       "värden; försök igen om en stund.")
    else:
        log.ok = True
        log.message = _summary(plan, counts)
    log.finished_at = timezone.now()
    for name in ("pages", "rows", "saved", "unchanged", "deleted", "comparison_saved"):
        setattr(log, name, getattr(counts, name))
    log.save()
    return log


def _plan() -> _Plan:
    code = settings.MUNICIPALITY_CODE
    if not code:
        # The setting is MUNICIPALITY_CODE; the message is for the finance office.
        raise DomainError("Kommunens kod i Kolada är inte inlagd, så det går inte att veta "
                          "vilken kommuns värden som ska hämtas. Be systemförvaltaren lägga "
                          "in den.")
    kommun = municipality_unit()
    if kommun is None:
        raise DomainError("Organisationen saknar en kommun att spara värdena på.")
    figures = {figure.kolada_kpi: figure
               for figure in Nyckeltal.objects.exclude(kolada_kpi="").order_by("kolada_kpi")}
    comparisons = {kommun.code: kommun
                   for kommun in Jamforelsekommun.objects.exclude(code=code).order_by("code")}
    return _Plan(code, kommun, figures, comparisons)


# --- reading: every page first ---------------------------------------------------------------


def _read_all(plan: _Plan, counts: _Counts) -> list[kolada.KoladaRow]:
    """Every row of every page of every request; KoladaError or DomainError if any fails."""
    base = settings.KOLADA_BASE_URL
    found: list[kolada.KoladaRow] = []
    codes = [plan.code, *plan.comparisons]
    for url in kolada_api.data_urls(base, list(plan.figures), codes):
        seen: set[str] = set()
        while url:
            if counts.pages >= MAX_PAGES:
                raise KoladaError(f"Kolada gav fler än {MAX_PAGES} sidor. Hämtningen avbröts.")
            if url in seen:
                raise KoladaError(f"Kolada pekade tillbaka på en sida som redan är hämtad "
                                  f"({url}). Hämtningen avbröts.")
            seen.add(url)
            raw = kolada_api.get(url, timeout=settings.KOLADA_TIMEOUT)
            counts.pages += 1
            try:
                rows, link = kolada.parse_page(raw, noun=ANSWER)
            except DomainError as error:
                raise DomainError(f"Sida {counts.pages} från Kolada ({url}) gick inte att "
                                  f"läsa: {error.message}") from error
            found.extend(rows)
            url = kolada_api.next_page(url, link, base=base)
    counts.rows = len(found)
    return found


# --- saving: one transaction, only what differs ----------------------------------------------


@transaction.atomic
def _save(plan: _Plan, rows: list[kolada.KoladaRow], counts: _Counts) -> None:
    figure_ids = [figure.pk for figure in plan.figures.values()]
    own = {(value.nyckeltal_id, value.period): value
           for value in NyckeltalVarde.objects.select_for_update()
           .filter(nyckeltal_id__in=figure_ids, unit=plan.kommun)}
    compared = {(value.nyckeltal_id, value.kommun_id, value.period): value
                for value in Jamforelsevarde.objects.select_for_update()
                .filter(nyckeltal_id__in=figure_ids, kommun__in=plan.comparisons.values())}
    new_comparisons: dict[tuple[int, int, int], Jamforelsevarde] = {}
    changed_comparisons: dict[int, Jamforelsevarde] = {}
    gone_comparisons: set[int] = set()

    for row in rows:
        figure = plan.figures.get(row.kpi)
        if figure is None:
            counts.skipped += 1
            continue
        if row.municipality == plan.code:
            _save_own(plan, figure, row, own, counts)
            continue
        other = plan.comparisons.get(row.municipality)
        if other is None or not (row.deleted or row.has_total):
            counts.skipped += 1
            continue
        key = (figure.pk, other.pk, row.period)
        stored = compared.get(key) or new_comparisons.get(key)
        if row.deleted:
            if stored is not None:
                new_comparisons.pop(key, None)
                compared.pop(key, None)
                if stored.pk:
                    gone_comparisons.add(stored.pk)
                    changed_comparisons.pop(stored.pk, None)
                counts.comparison_deleted += 1
        elif stored is None:
            new_comparisons[key] = Jamforelsevarde(nyckeltal=figure, kommun=other,
                                                   period=row.period, value=row.value)
        elif stored.value != row.value:
            stored.value = row.value
            if stored.pk:
                changed_comparisons[stored.pk] = stored
    Jamforelsevarde.objects.filter(pk__in=gone_comparisons).delete()
    Jamforelsevarde.objects.bulk_create(new_comparisons.values())
    Jamforelsevarde.objects.bulk_update(changed_comparisons.values(), ["value"])
    counts.comparison_saved = len(new_comparisons) + len(changed_comparisons)


def _save_own(plan: _Plan, figure: Nyckeltal, row: kolada.KoladaRow,
              own: dict[tuple[int, int], NyckeltalVarde], counts: _Counts) -> None:
    key = (figure.pk, row.period)
    stored = own.get(key)
    if row.deleted:
        # A value entered by hand is not Kolada's to withdraw.
        if stored is not None and stored.source == KOLADA_SOURCE:
            stored.delete()
            del own[key]
            counts.deleted += 1
        return
    if not row.has_total:
        counts.skipped += 1
        return
    if stored is None:
        own[key] = NyckeltalVarde.objects.create(nyckeltal=figure, unit=plan.kommun,
                                                 period=row.period, value=row.value,
                                                 source=KOLADA_SOURCE)
        counts.saved += 1
    elif stored.value != row.value or stored.source != KOLADA_SOURCE:
        stored.value, stored.source = row.value, KOLADA_SOURCE
        stored.save(update_fields=["value", "source"])
        counts.saved += 1
    else:
        counts.unchanged += 1


def _summary(plan: _Plan, counts: _Counts) -> str:
    if not plan.figures:
        return "Inget nyckeltal har ett Kolada-id, så det fanns inget att hämta."
    parts = [f"{counts.saved} värden nya eller ändrade, {counts.unchanged} oförändrade"]
    if counts.deleted:
        parts.append(f"{counts.deleted} borttagna av Kolada")
    if plan.comparisons:
        parts.append(f"{counts.comparison_saved} jämförelsevärden nya eller ändrade")
    if counts.comparison_deleted:
        parts.append(f"{counts.comparison_deleted} jämförelsevärden borttagna av Kolada")
    return (", ".join(parts) + f" ({counts.rows} rader på {counts.pages} "
            f"{'sida' if counts.pages == 1 else 'sidor'}).")


# --- reads for the pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class FetchStatus:
    """What the key figure pages say about the fetches from Kolada."""

    latest: KoladaHamtning | None
    last_success: KoladaHamtning | None
    enabled: bool

    @property
    def sentence(self) -> str:
        latest = self.latest
        if latest is None:
            return "Senaste hämtning från Kolada: ingen ännu."
        when = moment_short(timezone.localtime(latest.started_at))
        if latest.ok:
            return f"Senaste hämtning från Kolada: {when}, lyckades: {latest.message}"
        text = f"Senaste hämtning från Kolada: {when}, misslyckades: {latest.message}"
        if self.last_success is not None:
            text += (" Senast lyckade hämtning: "
                     f"{moment_short(timezone.localtime(self.last_success.started_at))}.")
        return text


def fetch_status() -> FetchStatus:
    latest = KoladaHamtning.objects.select_related("started_by").first()
    last_success = (latest if latest is not None and latest.ok
                    else KoladaHamtning.objects.filter(ok=True).first())
    return FetchStatus(latest, last_success, bool(settings.MUNICIPALITY_CODE))


# --- comparison municipalities ---------------------------------------------------------------


def add_comparison(*, code: str, name: str = "") -> Jamforelsekommun:
    """A comparison municipality by its Kolada code; without a name, Kolada's name is used."""
    code = (code or "").strip()
    name = (name or "").strip()
    errors: list[tuple[str | None, str]] = []
    if not (len(code) == 4 and code.isdigit()):
        errors.append(("code", "Kommunkoden i Kolada är fyra siffror, t.ex. 1443."))
    elif code == settings.MUNICIPALITY_CODE:
        errors.append(("code", f"{code} är kommunens egen kod. Välj en annan kommun att "
                               "jämföra med."))
    elif Jamforelsekommun.objects.filter(code=code).exists():
        errors.append(("code", f"Kommun {code} är redan en jämförelsekommun."))
    if len(name) > 100:
        errors.append(("name", "Namnet får vara högst 100 tecken."))
    DomainError.raise_any(errors)
    if not name:
        try:
            name = kolada_api.municipality_names(settings.KOLADA_BASE_URL, [code],
                                                 timeout=settings.KOLADA_TIMEOUT).get(code, "")
        except KoladaError as error:
            raise DomainError(f"Namnet kunde inte hämtas från Kolada: {error} Skriv namnet "
                              "själv.", field="name") from error
        if not name:
            raise DomainError(f"Kolada känner inte till kommunkod {code}. Kontrollera koden, "
                              "eller skriv namnet själv.", field="code")
    with transaction.atomic():
        return Jamforelsekommun.objects.create(code=code, name=name)


@transaction.atomic
def remove_comparison(*, kommun: Jamforelsekommun) -> None:
    """No longer compared with: its fetched values go with it."""
    kommun.delete()
