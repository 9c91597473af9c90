"""Outcomes (utfall) imported from the ledger: SIE 4, CSV and Excel files into monthly Utfall.

Every import streams its file once, adds each line into a monthly sum per (ledger object,
account, year, month) — so memory grows with the number of distinct keys, not with the number
of lines — then checks the whole result (mapped objects, one year, known accounts) before it
writes anything, and writes in one transaction: the months it covers are deleted and inserted
anew (a re-import replaces, never doubles), in batches of BATCH_SIZE rows. A file that cannot be
read is refused with its line number and nothing is saved. An SIE file must come from the
municipality itself (its #ORGNR is compared with the kommun's organisation number), may not give
the same voucher twice, and is checked against its own #KSUMMA when it has one. A file whose
financial year is not the calendar year goes in month by month, each month to its own year.

Signs are the ledger's: costs (debit) positive, revenues (credit) negative. Only result
accounts (classes 3–8) carry outcome; balance accounts (1–2) are skipped, as are lines on
accounts outside classes 1–8, which are counted and named in the import's note.

Objects decide the nämnd: an `Objektkoppling` maps (dimension, object id) to a nämnd and
optionally a verksamhet. Of the objects a line carries, the one in the lowest *mapped*
dimension decides (dimension 1 counts as mapped even before anything is mapped). A line whose
deciding object has no mapping, or that carries no object in a mapped dimension, makes the
import refuse the file, naming each such object with the first line that uses it
(`UnmappedObjectsError`): money is never dropped and never guessed.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import math
import re
import sqlite3
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO
from xml.etree.ElementTree import ParseError

from django.db import connection, transaction
from django.db.models import Sum

from budget.ledger import sie
from budget.ledger.models import month_range_label
from budget.ledger.totals import refresh_month_totals
from budget.models import (
    RESULT_ACCOUNT_CLASSES,
    ImportFormat,
    ImportStatus,
    Konto,
    MappingKind,
    Objektkoppling,
    Utfall,
    Utfallsimport,
    UtfallsimportSumma,
    Utfallsregler,
    Verksamhet,
)
from styrmodell import formatting, uploads
from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit, UnitKind

BATCH_SIZE = 5000
MAX_LISTED = 20  # objects or lines named in one refusal
MAX_ROW_ERRORS = 10  # errors collected from a CSV or Excel file before it is refused
MAX_TITLE_LINES = 10  # lines above a CSV or Excel header that name no column
MAX_LINE_BYTES = 1024 * 1024
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 256 * 1024  # the hashing pass reads this much at a time
BALANCE_ACCOUNT_CLASSES = frozenset("12")
AMOUNT_LIMIT = Decimal(10) ** 16  # Utfall.amount: 18 digits, 2 of them decimals

ObjectRef = tuple[int, str]
Target = tuple[int, int | None]  # (nämnd id, verksamhet id or None)
# A key of the monthly sums: (target or _Unresolved, account, year, month)
Key = tuple[object, str, int, int]


# --- Errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnmappedObject:
    dimension: int
    object_id: str
    name: str
    line: int


class UnmappedObjectsError(DomainError):
    """The file uses ledger objects that map to no nämnd; nothing was saved.

    `objects` are the unmapped objects with the first line using each; `lines_without_object`
    the first line of each account and month (at most MAX_LISTED) with money that carries no
    object in a mapped dimension, `count_without_object` how many such accounts and months.
    """

    def __init__(self, objects: list[UnmappedObject], lines_without_object: list[int],
                 count_without_object: int) -> None:
        parts = []
        if objects:
            named = ", ".join(
                f"{item.dimension}:{item.object_id}"
                + (f" {item.name}" if item.name else "") + f" (rad {item.line})"
                for item in objects[:MAX_LISTED]
            )
            more = f" och {len(objects) - MAX_LISTED} till" if len(objects) > MAX_LISTED else ""
            parts.append(f"{len(objects)} objekt saknar koppling till en nämnd: {named}{more}.")
        if count_without_object:
            lines = ", ".join(str(line) for line in lines_without_object)
            parts.append(f"Belopp på resultatkonton saknar objekt (kostnadsställe) i "
                         f"{_account_months(count_without_object)}, första gången på rad "
                         f"{lines}.")
        advice = (" Koppla objekten till nämnder och läs in filen igen." if objects else
                  " Välj under Objektkopplingar vart belopp utan objekt ska föras, eller rätta "
                  "filen, och läs in den igen.")
        super().__init__("Filen lästes inte in. " + " ".join(parts) + advice)
        self.objects = objects
        self.lines_without_object = lines_without_object
        self.count_without_object = count_without_object


class _Unresolved:
    """A key part for money whose object is not mapped: (dimension, id), or None for none."""

    __slots__ = ("ref",)

    def __init__(self, ref: ObjectRef | None) -> None:
        self.ref = ref

    def __hash__(self) -> int:
        return hash(("unresolved", self.ref))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unresolved) and other.ref == self.ref


def _account_months(count: int) -> str:
    return f"{count} konto och månad" if count == 1 else f"{count} konton och månader"


# --- The file as bytes: its hash and its lines ----------------------------------------------


def _fingerprint(file: IO[bytes]) -> tuple[str, int]:
    """The file's SHA-256 and number of lines, read in chunks; the file is rewound.

    A pass of its own (at disk speed) rather than a wrapper around every `readline` of the
    parser, which would cost more than the hashing itself.
    """
    _rewind(file)
    sha = hashlib.sha256()
    lines = 0
    last = b"\n"
    while chunk := file.read(CHUNK_BYTES):
        sha.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk
    _rewind(file)
    return sha.hexdigest(), lines + (0 if last.endswith(b"\n") else 1)


def _rewind(file: IO[bytes]) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


# --- Collecting the sums --------------------------------------------------------------------


@dataclass
class _Collected:
    """What a file gave, before anything is written."""

    sums: dict[Key, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    first_line: dict[Key, int] = field(default_factory=dict)  # of keys of unresolved money
    account_names: dict[str, str] = field(default_factory=dict)
    object_names: dict[ObjectRef, str] = field(default_factory=dict)
    skipped_balance: int = 0
    skipped_other: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    orgnr: str = ""
    company_name: str = ""
    lines_read: int = 0
    encoding: str = ""
    sha256: str = ""


class _Resolver:
    """Which target an object list belongs to, by the finance office's rules; cached per list
    (files repeat a few lists).

    The object in the ansvar dimension decides the nämnd: an exact rule first, then the longest
    prefix, then a range. A rule may name the verksamhet too; where it does not and a
    verksamhet dimension is chosen, the object in that dimension names the nämnd's verksamhet
    by its code. Money without an object in the ansvar dimension goes to the unit the rules
    name for it, or stays unresolved (and the file is refused).
    """

    def __init__(self) -> None:
        rules = Utfallsregler.current()
        self.dimension = rules.ansvar_dimension
        self.dimensions = {self.dimension}
        self.verksamhet_dimension = rules.verksamhet_dimension
        self.unplaced: Target | None = ((rules.unplaced_namnd_id, None)
                                        if rules.unplaced_namnd_id else None)
        self.unplaced_name = str(rules.unplaced_namnd or "")
        self.exact: dict[str, Target] = {}
        prefixes: list[tuple[str, Target]] = []
        self.ranges: list[tuple[tuple, tuple, Target]] = []
        for kind, low, high, namnd_id, verksamhet_id in (
                Objektkoppling.objects.filter(dimension=self.dimension)
                .values_list("kind", "object_id", "object_to", "namnd_id", "verksamhet_id")):
            target = (namnd_id, verksamhet_id)
            if kind == MappingKind.PREFIX:
                prefixes.append((low, target))
            elif kind == MappingKind.RANGE:
                self.ranges.append((range_key(low), range_key(high), target))
            else:
                self.exact[low] = target
        self.prefixes = sorted(prefixes, key=lambda item: -len(item[0]))
        self.verksamheter: dict[tuple[int, str], int] = {}
        if self.verksamhet_dimension is not None:
            self.verksamheter = {(namnd_id, code): pk for pk, namnd_id, code in
                                 Verksamhet.objects.values_list("pk", "namnd_id", "code")}
        self.unknown_verksamheter: dict[str, int] = {}  # code -> nämnd id
        self._cache: dict[tuple[ObjectRef, ...], object] = {}

    def target_of(self, object_id: str) -> Target | None:
        target = self.exact.get(object_id)
        if target is not None:
            return target
        for prefix, target in self.prefixes:
            if object_id.startswith(prefix):
                return target
        key = range_key(object_id)
        for low, high, target in self.ranges:
            if low[0] == key[0] == high[0] and low <= key <= high:
                return target
        return None

    def __call__(self, objects: tuple[ObjectRef, ...]) -> object:
        try:
            return self._cache[objects]
        except KeyError:
            pass
        ansvar = next((ref[1] for ref in objects if ref[0] == self.dimension), None)
        if ansvar is None:
            target: object = self.unplaced or _Unresolved(None)
        else:
            target = self.target_of(ansvar) or _Unresolved((self.dimension, ansvar))
            if type(target) is tuple and target[1] is None and self.verksamhet_dimension:
                target = self._with_verksamhet(target, objects)
        if len(self._cache) < 100_000:
            self._cache[objects] = target
        return target

    def _with_verksamhet(self, target: Target, objects: tuple[ObjectRef, ...]) -> Target:
        code = next((ref[1] for ref in objects if ref[0] == self.verksamhet_dimension), None)
        if code is None:
            return target
        verksamhet = self.verksamheter.get((target[0], code))
        if verksamhet is None:
            self.unknown_verksamheter.setdefault(code, target[0])
            return target
        return (target[0], verksamhet)

    def warnings(self) -> list[str]:
        if not self.unknown_verksamheter:
            return []
        codes = sorted(self.unknown_verksamheter)
        more = f" och {len(codes) - MAX_LISTED} till" if len(codes) > MAX_LISTED else ""
        return [f"{len(codes)} objekt i verksamhetsdimensionen ({self.verksamhet_dimension}) är "
                "inte en verksamhet hos nämnden de bokades på: "
                + ", ".join(codes[:MAX_LISTED]) + more
                + ". Beloppen lästes in på nämnden, utan verksamhet."]


def range_key(object_id: str) -> tuple:
    """How objects compare in a range: numbers as numbers ("999" < "1000"), other codes as
    text; a number never falls in a range of text or the other way round."""
    text = object_id.strip()
    return (0, int(text), text) if text.isdigit() else (1, text)


def _account_class(account: str) -> str:
    return account[:1]


def _too_large(amount: Decimal) -> bool:
    return not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT


def _add(collected: _Collected, target: object, account: str, year: int, month: int,
         amount: Decimal, line: int) -> None:
    if _too_large(amount):
        raise DomainError(f"Filen lästes inte in: rad {line}: beloppet {_short(amount)} är för "
                          "stort (högst 9 999 999 999 999 999 kr).", field="file")
    key = (target, account, year, month)
    collected.sums[key] += amount
    if type(target) is _Unresolved and key not in collected.first_line:
        collected.first_line[key] = line


def _is_result_account(collected: _Collected, account: str) -> bool:
    """True for classes 3–8; counts the others, which carry no outcome."""
    klass = _account_class(account)
    if klass in RESULT_ACCOUNT_CLASSES:
        return True
    if klass in BALANCE_ACCOUNT_CLASSES:
        collected.skipped_balance += 1
    else:
        collected.skipped_other[account] += 1
    return False


# --- SIE 4 ----------------------------------------------------------------------------------


# Labels whose records feed no amount: a malformed one is a warning, not a refusal. #ORGNR is
# read, but an empty one (as some programs write it) is judged by `check_organisation`.
LENIENT_SIE_LABELS = frozenset(
    "#FLAGGA #PROGRAM #GEN #FNR #ORGNR #FNAMN #KPTYP #VALUTA #OMFATTN #RAR #KONTO #KTYP #DIM "
    "#UNDERDIM #OBJEKT #IB #UB #RES #OIB #OUB #PBUDGET".split()
)


def _read_sie(file: IO[bytes]) -> _Collected:
    """Stream an SIE 4 file into monthly sums.

    Vouchers and balances together, never the same money twice: per account and month, the
    #TRANS lines of the vouchers dated in that month decide the amounts (and, through their
    objects, the nämnd). Where the file also gives a #PSALDO total ({}) for that account and
    month, it is a cross-check: a total that differs from the vouchers is refused with its line.
    Where an account and month has no vouchers, its #PSALDO rows of the current year (#RAR 0,
    årsnr 0) are used. So a file with period balances for January–October and vouchers for
    November reads each month once, and a full export with both reads every amount once.

    A file may give #PSALDO for one account and period in several cuts: the account's total
    ({}), per kostnadsställe ({1 "410"}), per kostnadsställe and projekt ({1 "410" 6 "P12"}).
    They are the same money. The cut with the fewest dimensions that includes a mapped
    dimension is used; the total, when the file has one, must equal that cut's sum, or the file
    is refused (the difference would be money without an object). #PBUDGET is budget, not
    outcome, and is not read; #PSALDO rows of other years (årsnr -1, ...) are not read either.

    A voucher is placed in the month of its date (#VER verdatum). Unbalanced vouchers are
    refused by the parser with their line number; a voucher given twice (same series, number,
    date and rows) is refused with both lines; a number used again in its series for another
    voucher is a warning (some programs number each import batch from 1).
    """
    collected = _Collected()
    collected.sha256, collected.lines_read = _fingerprint(file)
    resolve = _Resolver()
    # (year, month, account) -> dimension set -> target -> [amount, first line]
    psaldo: dict[tuple[int, int, str], dict[tuple[int, ...], dict[object, list]]] = {}
    psaldo_totals: dict[tuple[int, int, str], tuple[Decimal, int]] = {}
    trans_lines = psaldo_lines = other_year_psaldo = 0
    trans: dict[Key, Decimal] = defaultdict(Decimal)
    trans_first: dict[Key, int] = {}
    voucher_totals: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    vouchers = _VoucherRegister()
    is_result: dict[str, bool] = {}  # per account number, the class check of the hot loop
    try:
        with sie.parse(file, lenient=LENIENT_SIE_LABELS) as records:
            for record in records:
                kind = type(record)
                if kind is sie.Voucher:
                    vouchers.add(record)
                    year, month = record.date.year, record.date.month
                    for row in record.transactions:
                        account = row.account
                        result = is_result.get(account)
                        if result is None:
                            result = _account_class(account) in RESULT_ACCOUNT_CLASSES
                            is_result[account] = result
                        if not result:
                            _is_result_account(collected, account)  # counts the skipped line
                            continue
                        trans_lines += 1
                        key = (resolve(row.objects), account, year, month)
                        trans[key] += row.amount
                        voucher_totals[(year, month, account)] += row.amount
                        if type(key[0]) is _Unresolved and key not in trans_first:
                            trans_first[key] = row.line
                elif kind is sie.PeriodBalance:
                    if record.kind != "PSALDO":
                        continue
                    if record.year_index != 0:
                        other_year_psaldo += 1
                        continue
                    account = record.account
                    if not _is_result_account(collected, account):
                        continue
                    psaldo_lines += 1
                    period = (int(record.period[:4]), int(record.period[4:]), account)
                    if not record.objects:
                        amount, line = psaldo_totals.get(period, (Decimal(0), record.line))
                        psaldo_totals[period] = (amount + record.amount, line)
                        continue
                    dimensions = tuple(sorted({ref[0] for ref in record.objects}))
                    cut = psaldo.setdefault(period, {}).setdefault(dimensions, {})
                    entry = cut.setdefault(resolve(record.objects), [Decimal(0), record.line])
                    entry[0] += record.amount
                elif kind is sie.Account:
                    if _account_class(record.number) in RESULT_ACCOUNT_CLASSES:
                        collected.account_names[record.number] = record.name
                elif kind is sie.Object:
                    collected.object_names[(record.dimension, record.id)] = record.name
            warnings = list(records.warnings)
            collected.encoding = records.encoding or ""
            collected.orgnr = records.header.orgnr.strip()
            collected.company_name = records.header.company_name.strip()
            checksum_verified = records.checksum_verified
    except sie.SieError as error:
        raise DomainError(f"Filen lästes inte in: {error.message}", field="file") from None
    try:
        vouchers.raise_on_duplicates()
        reused = vouchers.reused_warnings()
    finally:
        vouchers.close()
    _check_psaldo_totals(psaldo_totals, voucher_totals)
    with_vouchers = set(voucher_totals)
    used_psaldo = _use_psaldo(collected, psaldo, psaldo_totals, resolve, skip=with_vouchers)
    for key, amount in trans.items():
        _, account, year, month = key
        _add(collected, key[0], account, year, month, amount, trans_first.get(key, 0))
    crosschecked = len(with_vouchers & set(psaldo_totals))
    notes = collected.notes
    if trans_lines:
        notes.append(f"{trans_lines} #TRANS-rader på resultatkonton lästes för "
                     f"{_account_months(len(with_vouchers))}.")
    if psaldo_lines:
        notes.append(f"{psaldo_lines} #PSALDO-rader på resultatkonton lästes; "
                     f"{_account_months(len(used_psaldo))} utan verifikationer togs från dem"
                     + (f", och {crosschecked} kontrollerades mot verifikationerna"
                        if crosschecked else "") + ".")
    if other_year_psaldo:
        notes.append(f"{other_year_psaldo} #PSALDO-rader för andra år än räkenskapsåret "
                     "(#RAR 0) lästes inte.")
    if checksum_verified:
        notes.append("Filens kontrollsumma (#KSUMMA) stämmer.")
    collected.warnings.extend(warning.message for warning in warnings)
    collected.warnings.extend(reused)
    _finish_resolving(collected, resolve)
    return collected


def _finish_resolving(collected: _Collected, resolve: _Resolver) -> None:
    """Say where the rules placed money without an object, and what they could not place."""
    if resolve.unplaced is not None:
        placed = [amount for key, amount in collected.sums.items() if key[0] is resolve.unplaced]
        if placed:
            total = formatting.kronor(sum(placed, Decimal(0)), places=2)
            collected.notes.append(
                f"{len(placed)} summor per konto och månad utan objekt i dimension "
                f"{resolve.dimension} ({total}) fördes till "
                f"{resolve.unplaced_name} enligt regeln för belopp utan objekt.")
    collected.warnings.extend(resolve.warnings())



class _VoucherRegister:
    """The vouchers of a file by series and number: what was given twice, what reused a number.

    Each voucher leaves its series and number, a digest of its date and rows, and its line in a
    private temporary SQLite database, written in batches and spilled to disk past a small page
    cache, so that the memory of an import stays flat however many vouchers the file has. The
    comparison is one indexed self-join at the end.
    """

    BATCH = 500  # small, so the batch itself does not make memory grow with the file

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, int, int]] = []

    def add(self, voucher: sie.Voucher) -> None:
        if not voucher.number:
            return  # an import file's vouchers may carry no number
        digest = hash((voucher.date, tuple((row.account, row.objects, row.amount, row.date)
                                           for row in voucher.transactions)))
        self._pending.append((f"{voucher.series}\x1f{voucher.number}", digest, voucher.line))
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._db is None:
            self._db = sqlite3.connect("")  # "": a private database on a temporary file
            self._db.execute("PRAGMA cache_size = -2048")  # KiB
            self._db.execute("CREATE TABLE voucher (key TEXT, digest INTEGER, line INTEGER)")
        self._db.executemany("INSERT INTO voucher VALUES (?, ?, ?)", self._pending)
        self._pending.clear()

    def _pairs(self, *, same: bool) -> tuple[list[tuple[str, str, int, int]], int]:
        """Pairs of vouchers with one series and number, equal (same) or different in content:
        the first MAX_LISTED by line, and how many there are."""
        if self._pending:
            self._flush()
        if self._db is None:
            return [], 0
        self._db.execute("CREATE INDEX IF NOT EXISTS voucher_key ON voucher (key, line)")
        condition = "a.digest = b.digest" if same else "a.digest != b.digest"
        join = (f"FROM voucher a JOIN voucher b ON a.key = b.key AND a.line < b.line "
                f"WHERE {condition}")
        count = self._db.execute(f"SELECT COUNT(*) {join}").fetchone()[0]  # noqa: S608
        rows = self._db.execute(
            f"SELECT a.key, a.line, b.line {join} ORDER BY b.line, a.line LIMIT ?",  # noqa: S608
            [MAX_LISTED]).fetchall()
        return [(*key.split("\x1f", 1), first, again) for key, first, again in rows], count

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def raise_on_duplicates(self) -> None:
        duplicates, count = self._pairs(same=True)
        if not count:
            return
        named = "; ".join(f"{_voucher_name(series, number)} på rad {first} och rad {again}"
                          for series, number, first, again in duplicates)
        more = f" och {count - len(duplicates)} till" if count > len(duplicates) else ""
        raise DomainError(
            f"Filen lästes inte in: samma verifikation står två gånger i filen, med samma datum "
            f"och rader, och skulle räknas dubbelt: {named}{more}. Exportera filen på nytt från "
            "redovisningsprogrammet.", field="file")

    def reused_warnings(self) -> list[str]:
        reused, count = self._pairs(same=False)
        if not count:
            return []
        named = "; ".join(f"{_voucher_name(series, number)} (rad {first} och rad {again})"
                          for series, number, first, again in reused)
        more = f" och {count - len(reused)} till" if count > len(reused) else ""
        return [f"Samma verifikationsnummer används för olika verifikationer: {named}{more}. "
                "De lästes som olika verifikationer, eftersom datum eller rader skiljer sig."]


def _voucher_name(series: str, number: str) -> str:
    return "verifikation " + " ".join(part for part in (series, number) if part)


def _check_psaldo_totals(totals: dict, voucher_totals: dict) -> None:
    """Where an account and month has both, the #PSALDO total must equal its vouchers."""
    for period, (total, line) in sorted(totals.items(), key=lambda item: item[1][1]):
        vouchers = voucher_totals.get(period)
        if vouchers is not None and vouchers != total:
            year, month, account = period
            raise DomainError(
                f"Filen lästes inte in: rad {line}: #PSALDO för konto {account} "
                f"{year}-{month:02d} är {total} men verifikationerna (#TRANS) för samma konto "
                f"och månad summerar till {vouchers}; filen stämmer inte med sig själv.",
                field="file")


def _use_psaldo(collected: _Collected, psaldo: dict, totals: dict, resolve: _Resolver,
                skip: set) -> set:
    """Add the chosen cut of each account's #PSALDO per period that has no vouchers (`skip`);
    return the periods used."""
    used: set[tuple[int, int, str]] = set()
    for period in sorted((set(psaldo) | set(totals)) - skip):
        year, month, account = period
        cuts = psaldo.get(period, {})
        mapped = [dims for dims in cuts if set(dims) & resolve.dimensions]
        total = totals.get(period)
        if not mapped:
            # Only a total, or cuts in dimensions nobody maps: money without an object.
            line = total[1] if total else min(entry[1] for cut in cuts.values()
                                              for entry in cut.values())
            amount = total[0] if total else sum(entry[0] for cut in cuts.values()
                                                for entry in cut.values())
            _add(collected, resolve.unplaced or _Unresolved(None), account, year, month,
                 amount, line)
            used.add(period)
            continue
        chosen = cuts[min(mapped, key=lambda dims: (len(dims), dims))]
        if total is not None:
            chosen_sum = sum(entry[0] for entry in chosen.values())
            if chosen_sum != total[0]:
                raise DomainError(
                    f"Filen lästes inte in: rad {total[1]}: #PSALDO för konto {account} "
                    f"{year}-{month:02d} är {total[0]} men raderna per objekt summerar till "
                    f"{chosen_sum}; skillnaden saknar objekt.", field="file")
        for target, (amount, line) in chosen.items():
            _add(collected, target, account, year, month, amount, line)
        used.add(period)
    return used


# --- CSV and Excel --------------------------------------------------------------------------

COLUMN_NAMES = {
    "year": ("år", "ar", "year", "räkenskapsår", "bokföringsår"),
    "month": ("månad", "manad", "mån", "month"),
    "period": ("period", "åååamm", "ååååmm", "yyyymm"),
    "account": ("konto", "kontonummer", "kontonr", "account"),
    "account_name": ("kontonamn", "kontobenämning", "benämning", "kontotext"),
    "object": ("objekt", "objektnummer", "kostnadsställe", "kostnadsstalle", "kst", "ansvar",
               "ansvarsställe", "resultatenhet", "object"),
    "dimension": ("dimension", "dim", "dimensionsnummer"),
    "amount": ("belopp", "utfall", "belopp kr", "belopp (kr)", "amount", "summa"),
}
_COLUMN_BY_NAME = {name: column for column, names in COLUMN_NAMES.items() for name in names}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_PERIOD = re.compile(r"(\d{4})-?(\d{1,2})")
_INTEGER = re.compile(r"\d+")


def _column_name(value: object) -> str:
    return _SPACES.sub(" ", str(value or "")).strip().lstrip("\ufeff").lower()


def _columns(header: list[object], line: int) -> dict[str, int]:
    """Column positions by our names, from a header row matched case-insensitively."""
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        column = _COLUMN_BY_NAME.get(_column_name(value))
        if column and column not in found:
            found[column] = index
    missing = [name for name, options in (("konto", ("account",)), ("belopp", ("amount",)),
                                          ("objekt/kostnadsställe", ("object",)),
                                          ("år och månad, eller period", ("period", "year")))
               if not any(option in found for option in options)]
    if "year" in found and "month" not in found and "period" not in found:
        missing.append("månad")
    if missing:
        raise DomainError(
            f"Filen lästes inte in: rad {line} ska vara en rubrikrad med kolumnerna år, månad, "
            f"konto, objekt (kostnadsställe) och belopp; saknas: {', '.join(missing)}.",
            field="file")
    return found


def parse_amount(value: object) -> Decimal | None:
    """An amount from a cell: Decimal, int, "1 234,50", "-1234.50", "−12"; None if unreadable.

    A float (a number cell of an .xlsx file, as openpyxl gives it) becomes the shortest decimal
    that reads back as the same float, which is the number Excel stored, rounded to öre.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (Decimal, int)):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value) or abs(value) >= float(AMOUNT_LIMIT):
            return Decimal(repr(value))  # refused as too large where it is added
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    text = _SPACES.sub("", str(value or "")).replace("\u2212", "-")
    if not _AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        return None


def _integer_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


class _Rows:
    """Adds the rows of a table (CSV or Excel) into the sums, collecting errors by line."""

    def __init__(self, collected: _Collected) -> None:
        self.collected = collected
        self.resolve = _Resolver()
        self.columns: dict[str, int] | None = None
        self.errors: list[str] = []
        self.error_count = 0
        self.title_lines = 0

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ROW_ERRORS:
            self.errors.append(f"rad {line}: {message}")

    def add(self, values: list[object], line: int) -> None:
        if all(value in (None, "") or str(value).strip() == "" for value in values):
            return
        if self.columns is None:
            # Title lines above the header (an Excel report's heading) are skipped.
            known = sum(1 for value in values if _column_name(value) in _COLUMN_BY_NAME)
            if known == 0 and self.title_lines < MAX_TITLE_LINES:
                self.title_lines += 1
                return
            self.columns = _columns(values, line)
            return
        columns = self.columns

        def cell(name: str) -> object:
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        account = _integer_text(cell("account"))
        if not account:
            self.error(line, "konto saknas")
            return
        year_month = self._year_month(cell, line)
        amount = parse_amount(cell("amount"))
        if amount is None:
            self.error(line, f'ogiltigt belopp "{_short(cell("amount"))}" (skrivs t.ex. '
                             '-1234,50 eller 1 234,50)')
            return
        if year_month is None or self.error_count:
            return
        if not _is_result_account(self.collected, account):
            return
        dimension_text = _integer_text(cell("dimension")) or str(self.resolve.dimension)
        if not _INTEGER.fullmatch(dimension_text):
            self.error(line, f'ogiltig dimension "{_short(dimension_text)}"')
            return
        object_id = _integer_text(cell("object"))
        objects = ((int(dimension_text), object_id),) if object_id else ()
        name = cell("account_name")
        if name and account not in self.collected.account_names:
            self.collected.account_names[account] = str(name).strip()[:100]
        _add(self.collected, self.resolve(objects), account, year_month[0], year_month[1],
             amount, line)

    def _year_month(self, cell, line: int) -> tuple[int, int] | None:
        if "period" in self.columns and cell("period") not in (None, ""):
            value = cell("period")
            text = value.strftime("%Y-%m") if hasattr(value, "strftime") else _integer_text(value)
            match = _PERIOD.fullmatch(text)
            year, month = (int(match[1]), int(match[2])) if match else (0, 0)
        else:
            year_text, month_text = _integer_text(cell("year")), _integer_text(cell("month"))
            if not (_INTEGER.fullmatch(year_text) and _INTEGER.fullmatch(month_text)):
                self.error(line, f'ogiltigt år eller månad "{_short(year_text)}" '
                                 f'"{_short(month_text)}"')
                return None
            year, month = int(year_text), int(month_text)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            self.error(line, f"ogiltig period {year}-{month:02d} (år och månad 1–12)")
            return None
        return year, month

    def finish(self) -> None:
        _finish_resolving(self.collected, self.resolve)
        if self.columns is None:
            raise DomainError("Filen lästes inte in: den är tom.", field="file")
        if self.errors:
            more = (f" (och {self.error_count - len(self.errors)} fel till)"
                    if self.error_count > len(self.errors) else "")
            raise DomainError("Filen lästes inte in: " + "; ".join(self.errors) + more + ".",
                              field="file")


def _short(value: object, limit: int = 30) -> str:
    text = str(value if value is not None else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _csv_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) if the sample is valid UTF-8, else Windows-1252, which is
    what Swedish Excel writes for "CSV (semikolonavgränsad)"."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8-sig"


UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def _nul_refused(number: int) -> DomainError:
    return DomainError(f"Filen lästes inte in: rad {number} innehåller NUL-tecken (nollbyte), "
                       "som en textfil inte har. Är det verkligen en CSV-fil? Spara den som CSV "
                       "(semikolonavgränsad) och försök igen.", field="file")


def _csv_lines(reader: IO[bytes], collected: _Collected) -> Iterator[str]:
    head = reader.read(2)
    _rewind(reader)
    if encoding := _utf16(head):
        yield from _utf16_lines(reader, collected, encoding, bom=head in UTF16_BOMS)
        return
    sample: list[bytes] = []
    size = 0
    while size < SNIFF_BYTES:
        raw = reader.readline(MAX_LINE_BYTES)
        if not raw:
            break
        sample.append(raw)
        size += len(raw)
    encoding = _csv_encoding(b"".join(sample))
    collected.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    number = 0

    def rest() -> Iterator[bytes]:
        yield from sample
        sample.clear()
        while raw := reader.readline(MAX_LINE_BYTES):
            yield raw

    for raw in rest():
        number += 1
        if len(raw) >= MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise DomainError(f"Filen lästes inte in: rad {number} är för lång.", field="file")
        if b"\x00" in raw:
            raise _nul_refused(number)
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            raise DomainError(f"Filen lästes inte in: rad {number} kan inte läsas som UTF-8, "
                              "fast filen i övrigt är det.", field="file") from None


def _utf16(head: bytes) -> str | None:
    """UTF-16 by its BOM, or without one by a first character in the Latin range (the header
    row's first letter: one byte of it zero, the other not)."""
    if head in UTF16_BOMS:
        return UTF16_BOMS[head]
    if len(head) == 2 and head[1] == 0 and head[0] not in (0, 0x0A, 0x0D):
        return "utf-16-le"
    if len(head) == 2 and head[0] == 0 and head[1] not in (0, 0x0A, 0x0D):
        return "utf-16-be"
    return None


def _utf16_lines(reader: IO[bytes], collected: _Collected, encoding: str,
                 bom: bool) -> Iterator[str]:
    """The lines of a file in UTF-16 (as Excel's "Unicode-text" is saved)."""
    collected.encoding = "utf-16"
    if bom:
        reader.read(2)
    decoder = codecs.getincrementaldecoder(encoding)()
    pending, number = "", 0
    while True:
        chunk = reader.read(CHUNK_BYTES)
        try:
            pending += decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise DomainError(f"Filen lästes inte in: rad {number + pending.count(chr(10)) + 1} "
                              "kan inte läsas som UTF-16, fast filen börjar som en sådan.",
                              field="file") from None
        *complete, pending = pending.split("\n")
        lines = [line + "\n" for line in complete]
        if not chunk and pending:
            lines.append(pending)
        for line in lines:
            number += 1
            if "\x00" in line:
                raise _nul_refused(number)
            yield line
        if len(pending) >= MAX_LINE_BYTES // 2:
            raise DomainError(f"Filen lästes inte in: rad {number + 1} är för lång.",
                              field="file")
        if not chunk:
            break
    collected.lines_read = number


def _delimiter(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in (";", "\t", ",")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ";"


def _read_csv(file: IO[bytes]) -> _Collected:
    collected = _Collected()
    collected.sha256, collected.lines_read = _fingerprint(file)
    rows = _Rows(collected)
    lines = _csv_lines(file, collected)
    first = next(lines, None)
    if first is not None:
        table = csv.reader(_chain_first(first, lines), delimiter=_delimiter(first))
        try:
            for values in table:
                rows.add(values, table.line_num)
        except csv.Error as error:
            raise DomainError(f"Filen lästes inte in: rad {table.line_num}: "
                              f"{_csv_reason(error)}.", field="file") from None
    rows.finish()
    return collected


def _csv_reason(error: csv.Error) -> str:
    """The csv module's English reason, in Swedish."""
    text = str(error)
    if text.startswith("field larger than field limit"):
        return f"ett fält är längre än {csv.field_size_limit()} tecken"
    if "new-line character seen in unquoted field" in text:
        return ("ett fält utan citattecken innehåller en radbrytning (ensam CR); spara filen "
                "med vanliga radslut")
    if "line contains NUL" in text:
        return "raden innehåller NUL-tecken (nollbyte), som en textfil inte har"
    if "unexpected end of data" in text:
        return "filen slutar mitt i ett fält inom citattecken"
    return "raden kan inte läsas som CSV"


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _read_excel(file: IO[bytes]) -> _Collected:
    """The first sheet of an .xlsx file, read row by row (openpyxl's read-only mode), after
    `uploads.check_xlsx` has bounded what the file unpacks to; rows and columns are bounded
    while reading, since a sheet's stated size may be false either way."""
    from openpyxl import load_workbook

    collected = _Collected()
    collected.sha256, _ = _fingerprint(file)
    uploads.check_xlsx(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError,
            ParseError):
        raise DomainError("Filen lästes inte in: den kan inte läsas som en Excel-fil (.xlsx). "
                          "Spara den som Excel-arbetsbok (.xlsx) eller CSV.",
                          field="file") from None
    try:
        uploads.check_sheet_size(rows=sheet.max_row, columns=sheet.max_column)
        # Rows are padded to the stated width by openpyxl; read each at its own width.
        sheet.reset_dimensions()
        rows = _Rows(collected)
        number = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            uploads.check_row(number=number, width=len(values))
            rows.add(list(values), number)
        rows.finish()
    except ParseError:
        raise DomainError("Filen lästes inte in: den kan inte läsas som en Excel-fil (.xlsx). "
                          "Spara den som Excel-arbetsbok (.xlsx) eller CSV.",
                          field="file") from None
    finally:
        workbook.close()
    collected.lines_read = number
    collected.encoding = "xlsx"
    return collected


# --- Detecting the format -------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"


def detect_format(file: IO[bytes], file_name: str) -> str:
    """SIE if the first non-blank line starts with "#" (#FLAGGA), Excel by extension or its
    zip signature, CSV otherwise. The file is rewound."""
    _rewind(file)
    head = file.read(4096)
    _rewind(file)
    name = file_name.lower()
    if head.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return ImportFormat.EXCEL
    if name.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError("Filen är i det gamla Excel-formatet (.xls). Spara den som Excel-"
                          "arbetsbok (.xlsx) eller CSV och försök igen.", field="file")
    _refuse_what_is_no_ledger_file(head, name)
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"#"):
        return ImportFormat.SIE
    if name.endswith(SIE_EXTENSIONS):
        raise DomainError(
            f"Filen heter {_extension(name)} men är ingen SIE-fil: en SIE-fil börjar med en rad "
            "som #FLAGGA, och den här börjar med "
            f"\"{_short(_first_line(text), 40)}\". Exportera utfallet på nytt från "
            "redovisningsprogrammet (SIE typ 4).", field="file")
    return ImportFormat.CSV


SIE_EXTENSIONS = (".se", ".si", ".sie")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--")


def _refuse_what_is_no_ledger_file(head: bytes, name: str) -> None:
    """Short, true words for the files people hand the import by mistake: an empty file, a web
    page saved instead of the file, a file in UTF-16, or something that is not text at all."""
    if not head.strip():
        raise DomainError("Filen är tom. Kontrollera att exporten från redovisningsprogrammet "
                          "blev klar och försök igen.", field="file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16(head[:2]):
        if name.endswith(SIE_EXTENSIONS) or _utf16_text(head).lstrip("\ufeff").startswith("#"):
            raise DomainError(
                "Filen är sparad som UTF-16 (Unicode). En SIE-fil ska vara sparad som PC8, "
                "UTF-8 eller Latin-1: exportera den på nytt från redovisningsprogrammet, eller "
                "spara den som ANSI eller UTF-8 i en textredigerare.", field="file")
        return  # a CSV file in UTF-16, as Excel saves "Unicode-text": read as such
    lowered = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if lowered.startswith(_HTML_STARTS) and b"<" in lowered[:1]:
        raise DomainError(
            "Filen är en webbsida (HTML), inte en fil från redovisningen. Den sparades "
            "troligen från webbläsaren i stället för att laddas ner, eller så svarade "
            "redovisningens webbtjänst med ett felmeddelande. Ladda ner filen igen.",
            field="file")
    if _looks_binary(head):
        raise DomainError(
            "Filen är ingen textfil: den innehåller binära data. Inläsningen tar SIE 4, Excel "
            "(.xlsx) och CSV; kontrollera att du valde rätt fil.", field="file")


def _looks_binary(head: bytes) -> bool:
    """NUL in the first bytes, or other control characters (not tab, line breaks, form feed or
    Ctrl-Z) on the first line: binary formats (images, programs) have them at their very start,
    while a text file damaged further down is refused with that line's number by its reader."""
    first = head[:512].split(b"\n", 1)[0]
    return b"\x00" in head[:16] or any(byte < 32 and byte not in (9, 10, 12, 13, 26)
                                        for byte in first)


def _utf16_text(head: bytes) -> str:
    encoding = UTF16_BOMS.get(head[:2]) or _utf16(head[:2]) or "utf-16-le"
    return head[:512].decode(encoding, "ignore")


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else name


def _first_line(text: bytes) -> str:
    return text.split(b"\n", 1)[0].strip().decode("latin-1", "replace")


# --- Writing --------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What a file writes for one year (a file whose financial year is not the calendar year
    gives two)."""

    year: int
    months: list[int]
    rows: dict[tuple[int, int | None, str, int], Decimal]  # (nämnd, verksamhet, konto, month)


def _plans(collected: _Collected) -> list[_Plan]:
    """Check the collected sums and turn them into rows to write per year, or refuse the file."""
    unmapped: dict[ObjectRef, int] = {}
    without_object: list[int] = []
    count_without = 0
    for key, line in collected.first_line.items():
        ref = key[0].ref
        if ref is None:
            count_without += 1
            without_object.append(line)
        else:
            unmapped[ref] = min(line, unmapped.get(ref, line))
    if unmapped or count_without:
        objects = sorted(
            (UnmappedObject(dimension, object_id, collected.object_names.get((dimension,
                                                                              object_id), ""),
                            line)
             for (dimension, object_id), line in unmapped.items()),
            key=lambda item: (item.line, item.dimension, item.object_id))
        raise UnmappedObjectsError(objects, sorted(set(without_object))[:MAX_LISTED],
                                   count_without)
    years = sorted({key[2] for key in collected.sums})
    if not years:
        raise DomainError("Filen lästes inte in: den innehåller inget utfall på resultatkonton "
                          "(klass 3–8).", field="file")
    periods = sorted({(key[2], key[3]) for key in collected.sums})
    if len(periods) > 12:
        raise DomainError("Filen lästes inte in: den innehåller utfall för mer än tolv månader ("
                          f"{periods[0][0]}-{periods[0][1]:02d} till {periods[-1][0]}-"
                          f"{periods[-1][1]:02d}). Läs in ett räkenskapsår i taget.",
                          field="file")
    plans = {year: _Plan(year, [], defaultdict(Decimal)) for year in years}
    for (target, account, year, month), amount in collected.sums.items():
        plans[year].rows[(target[0], target[1], account, month)] += amount
    for plan in plans.values():
        plan.months = sorted({key[3] for key in plan.rows})
        if any(_too_large(amount) for amount in plan.rows.values()) or _too_large(
                sum(plan.rows.values(), Decimal(0))):
            raise DomainError("Filen lästes inte in: summan av beloppen blir för stor (högst "
                              "9 999 999 999 999 999 kr).", field="file")
    return [plans[year] for year in years]


# --- Whose file it is -----------------------------------------------------------------------


def organisation_digits(number: str) -> str:
    """An organisation number as its ten digits: "212000-1520", "2120001520" and
    "16212000-1520" are the same number."""
    digits = "".join(character for character in number if character.isdigit())
    return digits[-10:] if len(digits) == 12 and digits[:2] in ("16", "19", "20") else digits


def municipality_organisation_number() -> str:
    """The organisation number of the kommun (the top unit), as the administrator entered it."""
    return (OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN)
            .values_list("organisation_number", flat=True).first() or "").strip()


def check_organisation(collected: _Collected) -> None:
    """Refuse a file from another organisation before anything changes; warn where it cannot
    be told (the file names no number, or the kommun's number is not entered)."""
    ours = municipality_organisation_number()
    theirs = collected.orgnr
    name = f" ({collected.company_name})" if collected.company_name else ""
    if not theirs:
        collected.warnings.append(
            "Filen anger inget organisationsnummer (#ORGNR)"
            + (f"; företaget i filen heter {collected.company_name}" if name else "")
            + ". Kontrollera att den kommer från kommunens redovisning.")
        return
    if not ours:
        collected.warnings.append(
            f"Kommunens organisationsnummer är inte angivet, så filens #ORGNR {theirs}{name} "
            "kunde inte jämföras med det. Ange det på kommunens sida under Organisation.")
        return
    if organisation_digits(theirs) != organisation_digits(ours):
        raise DomainError(
            f"Filen lästes inte in: den kommer från en annan organisation. Filens "
            f"organisationsnummer (#ORGNR) är {theirs}{name}, kommunens är {ours}. Inget "
            "ändrades.", field="file")


# --- Writing --------------------------------------------------------------------------------


def lock_outcomes() -> None:
    """Imports of outcomes run one at a time (they replace whole months)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5554_4641])  # "UTFA"


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _notes(collected: _Collected) -> list[str]:
    notes = list(collected.notes)
    if collected.skipped_balance:
        notes.append(f"{collected.skipped_balance} rader på balanskonton (klass 1–2) ingår "
                     "inte i utfallet.")
    if collected.skipped_other:
        accounts = ", ".join(sorted(collected.skipped_other)[:MAX_LISTED])
        notes.append(f"{sum(collected.skipped_other.values())} rader på konton utanför klass "
                     f"1–8 ingår inte i utfallet (konto {accounts}).")
    return notes


def _write(*, collected: _Collected, plans: list[_Plan], file_name: str, format: str,
           user, before: dict[tuple[int, int, int], Decimal]) -> Utfallsimport:
    """Write each year's rows in one transaction; the first year's log is returned."""
    with transaction.atomic():
        lock_outcomes()
        accounts = _ensure_accounts(collected, {key[2] for plan in plans for key in plan.rows})
        notes = _notes(collected)
        if len(plans) > 1:
            notes.append("Räkenskapsåret är inte kalenderåret: utfallet lästes in månad för "
                         "månad till det år månaden hör till ("
                         + "; ".join(f"{plan.year}: {month_range_label(plan.months)}"
                                     for plan in plans) + ").")
        logs = [_write_year(collected=collected, plan=plan, accounts=accounts, notes=notes,
                            file_name=file_name, format=format, user=user, before=before)
                for plan in plans]
    return logs[0]


def _write_year(*, collected: _Collected, plan: _Plan, accounts: dict[str, int],
                notes: list[str], file_name: str, format: str, user,
                before: dict[tuple[int, int, int], Decimal]) -> Utfallsimport:
    total = sum(plan.rows.values(), Decimal(0))
    log = Utfallsimport.objects.create(
        file_name=file_name[:255], sha256=collected.sha256, format=format,
        encoding=collected.encoding, year=plan.year, months=plan.months,
        months_in_force=plan.months, lines_read=collected.lines_read,
        rows_written=len(plan.rows), total_amount=total, source_note="\n".join(notes),
        warnings=collected.warnings, imported_by=user,
    )
    months = set(plan.months)
    for old in (Utfallsimport.objects.select_for_update()
                .filter(year=plan.year).exclude(pk=log.pk)
                .exclude(status=ImportStatus.REPLACED)):
        if not months & set(old.months_in_force):
            continue
        old.months_in_force = sorted(set(old.months_in_force) - months)
        old.status = (ImportStatus.PARTLY_REPLACED if old.months_in_force
                      else ImportStatus.REPLACED)
        old.replaced_by = log
        old.save(update_fields=["months_in_force", "status", "replaced_by"])
    Utfall.objects.filter(year=plan.year, month__in=plan.months).delete()
    rows = (Utfall(namnd_id=namnd_id, verksamhet_id=verksamhet_id,
                   konto_id=accounts[account], year=plan.year, month=month, amount=amount)
            for (namnd_id, verksamhet_id, account, month), amount in plan.rows.items())
    for batch in _batches(rows, BATCH_SIZE):
        Utfall.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    refresh_month_totals(year=plan.year, months=plan.months)
    sums: dict[tuple[int, int], list] = {}
    for (namnd_id, _verksamhet, _account, month), amount in plan.rows.items():
        entry = sums.setdefault((namnd_id, month), [0, Decimal(0)])
        entry[0] += 1
        entry[1] += amount
    for (namnd_id, year, month) in before:
        if year == plan.year and month in months:  # had outcome, none in the file
            sums.setdefault((namnd_id, month), [0, Decimal(0)])
    UtfallsimportSumma.objects.bulk_create(
        [UtfallsimportSumma(utfallsimport=log, namnd_id=namnd_id, month=month, rows=count,
                            amount=amount, amount_before=before.get((namnd_id, plan.year, month)))
         for (namnd_id, month), (count, amount) in sorted(sums.items())],
        batch_size=BATCH_SIZE)
    return log


def _ensure_accounts(collected: _Collected, numbers: set[str]) -> dict[str, int]:
    """Account ids by number; accounts the file names that we lack are created (3–8 only)."""
    known = dict(Konto.objects.filter(number__in=numbers).values_list("number", "pk"))
    missing = sorted(numbers - set(known))
    for number in missing:
        if len(number) > 10:
            raise DomainError(f"Filen lästes inte in: kontonumret {_short(number)} är för "
                              "långt (högst 10 tecken).", field="file")
    if missing:
        Konto.objects.bulk_create(
            [Konto(number=number, name=(collected.account_names.get(number)
                                        or f"Konto {number}")[:100]) for number in missing])
        known.update(Konto.objects.filter(number__in=missing).values_list("number", "pk"))
        collected.notes.append(f"{len(missing)} nya konton skapades från filen: "
                               + ", ".join(missing[:MAX_LISTED]) + ".")
    return known


# --- Services -------------------------------------------------------------------------------


@dataclass
class Reading:
    """A file read and checked, not yet written: what `write_reading` stores."""

    collected: _Collected
    plans: list[_Plan]
    format: str

    @property
    def lines_read(self) -> int:
        return self.collected.lines_read


READERS = {ImportFormat.SIE: _read_sie, ImportFormat.CSV: _read_csv,
           ImportFormat.EXCEL: _read_excel}


def read_file(*, file: IO[bytes], format: str) -> Reading:
    """Read a ledger file of the format given and check all of it; nothing is written. Refuses
    (DomainError, UnmappedObjectsError) what may not go in."""
    _rewind(file)
    collected = READERS[format](file)
    if format == ImportFormat.SIE:
        check_organisation(collected)
    return Reading(collected, _plans(collected), format)


def write_reading(reading: Reading, *, file_name: str, user,
                  before: dict[tuple[int, int, int], Decimal] | None = None) -> Utfallsimport:
    """Store what a file gave, replacing its months; `before` is what was stored per (nämnd,
    year, month) as the confirmed preview showed it, kept in the import's log."""
    return _write(collected=reading.collected, plans=reading.plans, file_name=file_name,
                  format=reading.format, user=user, before=before or {})


def import_sie(*, file: IO[bytes], file_name: str, user) -> Utfallsimport:
    """Import outcomes from an SIE 4 file (see `_read_sie` for #PSALDO versus #TRANS)."""
    return write_reading(read_file(file=file, format=ImportFormat.SIE), file_name=file_name,
                         user=user)


def import_csv(*, file: IO[bytes], file_name: str, user) -> Utfallsimport:
    """Import outcomes from a CSV file: a header row naming år, månad (or period), konto,
    objekt/kostnadsställe, belopp (any case, any order; kontonamn and dimension optional),
    separated by semicolons as Swedish Excel writes it (tabs and commas are recognised too),
    amounts with decimal comma or point, UTF-8 or Windows-1252."""
    return write_reading(read_file(file=file, format=ImportFormat.CSV), file_name=file_name,
                         user=user)


def import_excel(*, file: IO[bytes], file_name: str, user) -> Utfallsimport:
    """Import outcomes from the first sheet of an .xlsx file with the columns of import_csv."""
    return write_reading(read_file(file=file, format=ImportFormat.EXCEL), file_name=file_name,
                         user=user)


def import_outcomes(*, file: IO[bytes], file_name: str, user,
                    format: str | None = None) -> Utfallsimport:
    """Import a ledger file at once, in the format given or the one detected from its content
    (the pages go through `budget.ledger.uploads`, which previews a re-import first)."""
    chosen = format or detect_format(file, file_name)
    return write_reading(read_file(file=file, format=chosen), file_name=file_name, user=user)


# --- Mappings -------------------------------------------------------------------------------


def save_mapping(*, mapping: Objektkoppling | None = None, dimension: int, object_id: str,
                 name: str, namnd, verksamhet=None) -> Objektkoppling:
    """Create or change the mapping of one ledger object to a nämnd (and verksamhet)."""
    object_id = object_id.strip()
    if not object_id:
        raise DomainError("Ange objektets id, t.ex. 410.", field="object_id")
    if verksamhet is not None and verksamhet.namnd_id != namnd.pk:
        raise DomainError(f"Verksamheten {verksamhet} hör inte till {namnd}.", field="verksamhet")
    ansvar = Utfallsregler.current().ansvar_dimension
    if dimension != ansvar:
        # The import reads only the ansvar dimension's rules: a mapping elsewhere would be ignored.
        raise DomainError(f"Kopplingar gäller dimension {ansvar}, den som reglerna anger för "
                          "ansvar. Ändra reglerna om ansvaret ligger i en annan dimension.",
                          field="dimension")
    with transaction.atomic():
        clash = Objektkoppling.objects.filter(dimension=dimension, object_id=object_id)
        if mapping is not None:
            clash = clash.exclude(pk=mapping.pk)
        if clash.exists():
            raise DomainError(f"Objekt {object_id} i dimension {dimension} är redan kopplat.",
                              field="object_id")
        mapping = mapping or Objektkoppling()
        mapping.dimension, mapping.object_id, mapping.name = dimension, object_id, name.strip()
        mapping.namnd, mapping.verksamhet = namnd, verksamhet
        mapping.save()
    return mapping


def outcome_total(*, year: int, month: int | None = None) -> Decimal:
    """The municipality's net outcome of a year (or one month), in kronor."""
    rows = Utfall.objects.filter(year=year)
    if month is not None:
        rows = rows.filter(month=month)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)
