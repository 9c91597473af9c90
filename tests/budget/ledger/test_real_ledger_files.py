"""The outcome import with the SIE files that real bookkeeping programs export.

The files are the shared test material (`../shared/data/sie/`, used in place). For each valid
file the test computes, with a reader of its own written from the SIE 4 specification and
independent of the project's parser, the net amount per result account and month, and asserts
that the import stores exactly that: nothing lost, nothing doubled. The two files that are wrong
on purpose must be refused with the line that is wrong.
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from budget.ledger import outcomes
from budget.ledger.totals import refresh_every_year
from budget.models import Objektkoppling, Utfall, UtfallManad, Utfallsregler
from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit, UnitKind, User


def _shared_sie_folder() -> Path | None:
    candidates = [
        os.environ.get("STYRMODELL_SHARED_DATA", ""),
        Path(__file__).resolve().parents[3].parent / "shared" / "data",
        "/work/shared/data",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "sie").is_dir():
            return Path(candidate) / "sie"
    return None


SIE_FOLDER = _shared_sie_folder()
WRONG_ON_PURPOSE = {
    "transaktioner_ovnbolag-bad-balance.se": "rad 3905",
    "objektsaldo_ovnbolag.se": "rad 1899",
}
VALID_FILES = sorted(
    path.name
    for path in (SIE_FOLDER.iterdir() if SIE_FOLDER else [])
    if path.suffix.lower() in (".se", ".si") and path.name not in WRONG_ON_PURPOSE
)


@pytest.fixture(autouse=True)
def _shared_material():
    if SIE_FOLDER is None:
        if os.environ.get("CI"):
            pytest.fail("The shared SIE files (../shared/data/sie) are missing.")
        pytest.skip("The shared SIE files (../shared/data/sie) are not on this machine.")


def test_the_shared_material_has_the_files_of_a_dozen_programs():
    assert len(VALID_FILES) >= 10, VALID_FILES


# --- An independent reader: only what the sums need ------------------------------------------

_FIELD = re.compile(r'"(?:[^"\\]|\\.)*"|\{[^}]*\}|[^\s"{]+')


def _text_of(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp437")


def _value(field: str) -> str:
    return field[1:-1] if field.startswith('"') else field


def expected_sums(path: Path) -> dict[tuple[str, int, int], Decimal]:
    """Net amount per (result account, year, month): the vouchers' #TRANS rows where an
    account and month has vouchers, else the #PSALDO totals of the current year (årsnr 0),
    else the sum of its per-object #PSALDO rows in the dimension with the fewest objects."""
    trans: dict[tuple, Decimal] = defaultdict(Decimal)
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    per_object: dict[tuple, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    voucher_month: tuple[int, int] | None = None
    for line in _text_of(path.read_bytes()).splitlines():
        fields = _FIELD.findall(line.strip())
        if not fields:
            continue
        label = fields[0].upper()
        if label == "#VER":
            day = _value(fields[3])
            voucher_month = (int(day[:4]), int(day[4:6]))
        elif label == "#TRANS":
            account = _value(fields[1])
            if account[:1] in "345678":
                trans[(account, *voucher_month)] += Decimal(_value(fields[3]))
        elif label == "#PSALDO" and fields[1] == "0":
            account, period = _value(fields[3]), _value(fields[2])
            if account[:1] not in "345678":
                continue
            key = (account, int(period[:4]), int(period[4:6]))
            inner = fields[4].strip("{}").split()
            if inner:
                per_object[key][len(inner) // 2] += Decimal(_value(fields[5]))
            else:
                totals[key] += Decimal(_value(fields[5]))
    sums = dict(trans)
    for key in set(totals) | set(per_object):
        if key not in sums:
            sums[key] = totals[key] if key in totals else per_object[key][min(per_object[key])]
    return {key: amount for key, amount in sums.items() if amount}


def _header(path: Path, label: str) -> str:
    for line in _text_of(path.read_bytes()).splitlines():
        fields = _FIELD.findall(line.strip())
        if fields and fields[0].upper() == label:
            return _value(fields[1]) if len(fields) > 1 else ""
    return ""


def _objects_in_dimension_1(path: Path) -> set[str]:
    found = set()
    text = _text_of(path.read_bytes())
    for inner in re.findall(r"\{([^}]*)\}", text):
        items = [_value(item) for item in _FIELD.findall(inner)]
        found.update(
            code
            for dimension, code in zip(items[::2], items[1::2], strict=False)
            if dimension == "1" and code.strip()
        )
    return {code.strip() for code in found}


# --- The import ----------------------------------------------------------------------------


@pytest.fixture
def ekonom(municipality):
    return User.objects.get(username="ekonom")


def _import(path: Path, user):
    with open(path, "rb") as file:
        return outcomes.import_outcomes(file=file, file_name=path.name, user=user)


def _prepare_for(path: Path, municipality) -> None:
    """What a finance office does once for its ledger: enter the kommun's organisation number
    as the file has it, map the kostnadsställen (dimension 1) it uses, and choose where money
    without one goes."""
    OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).update(
        organisation_number=_header(path, "#ORGNR")
    )
    Objektkoppling.objects.all().delete()
    namnder = [municipality[key] for key in ("bun", "sn", "sbn")]
    for index, object_id in enumerate(sorted(_objects_in_dimension_1(path))):
        Objektkoppling.objects.create(
            dimension=1, object_id=object_id, namnd=namnder[index % len(namnder)]
        )
    Utfallsregler.objects.all().delete()
    Utfallsregler.objects.create(ansvar_dimension=1, unplaced_namnd=municipality["ks"])


@pytest.mark.parametrize("name", VALID_FILES)
def test_every_real_file_imports_after_mapping_and_its_sums_are_the_files_own(
    name, ekonom, municipality
):
    path = SIE_FOLDER / name
    expected = expected_sums(path)
    _prepare_for(path, municipality)
    years = sorted({year for _account, year, _month in expected})
    Utfall.objects.filter(year__in=years).delete()
    refresh_every_year()
    _import(path, ekonom)
    stored = {
        (account, year, month): amount
        for account, year, month, amount in Utfall.objects.filter(year__in=years)
        .values_list("konto__number", "year", "month")
        .annotate(total=Sum("amount"))
        .values_list("konto__number", "year", "month", "total")
        if amount
    }
    assert stored == expected
    # The month totals the follow-up pages read stay equal to the rows (UtfallManad).
    assert _month_totals_kept() == _month_totals_summed()


def _month_totals_kept() -> dict:
    return {(t.namnd_id, t.year, t.month): t.amount for t in UtfallManad.objects.all()}


def _month_totals_summed() -> dict:
    return {(namnd, year, month): amount for namnd, year, month, amount in
            Utfall.objects.values_list("namnd_id", "year", "month").annotate(total=Sum("amount"))
            .values_list("namnd_id", "year", "month", "total").order_by()}


@pytest.mark.parametrize("name", sorted(WRONG_ON_PURPOSE))
def test_the_files_that_are_wrong_on_purpose_are_refused_with_their_line(
    name, ekonom, municipality
):
    path = SIE_FOLDER / name
    _prepare_for(path, municipality)
    before = Utfall.objects.count()
    with pytest.raises(DomainError) as refused:
        _import(path, ekonom)
    assert WRONG_ON_PURPOSE[name] in refused.value.message.lower()
    assert Utfall.objects.count() == before


def test_a_file_of_another_organisation_changes_nothing(ekonom, municipality):
    path = SIE_FOLDER / "SIE4_Exempelfil_med_underdim.SE"
    _prepare_for(path, municipality)
    OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).update(organisation_number="212000-9999")
    before = list(Utfall.objects.values_list("pk", "amount").order_by("pk"))
    with pytest.raises(DomainError, match="annan organisation") as refused:
        _import(path, ekonom)
    assert "555555-5555" in refused.value.message and "212000-9999" in refused.value.message
    assert list(Utfall.objects.values_list("pk", "amount").order_by("pk")) == before


def test_a_file_without_an_organisation_number_goes_in_with_a_warning(ekonom, municipality):
    path = SIE_FOLDER / "SIE_exempelfil.se"  # #ORGNR is empty, as Fortnox writes it
    _prepare_for(path, municipality)
    OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).update(organisation_number="212000-9999")
    log = _import(path, ekonom)
    assert any("anger inget organisationsnummer" in warning for warning in log.warnings)


def test_a_financial_year_from_july_to_june_goes_to_two_budget_years(ekonom, municipality):
    path = SIE_FOLDER / "BL0001_typ4.SE"  # #RAR 0 20090701 20100630
    _prepare_for(path, municipality)
    log = _import(path, ekonom)
    assert log.year == 2009 and set(log.months) <= set(range(7, 13))
    assert Utfall.objects.filter(year=2010, month__lte=6).exists()
    assert "inte kalenderåret" in log.source_note


def test_a_file_the_import_reads_twice_in_a_row_is_not_doubled(ekonom, municipality):
    path = SIE_FOLDER / "transaktioner_ovnbolag.se"
    _prepare_for(path, municipality)
    _import(path, ekonom)
    first = Utfall.objects.filter(year=2011).aggregate(total=Sum("amount"))["total"]
    _import(path, ekonom)
    assert Utfall.objects.filter(year=2011).aggregate(total=Sum("amount"))["total"] == first


def test_an_uploaded_copy_reads_the_same_as_the_file(ekonom, municipality):
    path = SIE_FOLDER / "Sie4.si"
    _prepare_for(path, municipality)
    log = outcomes.import_outcomes(
        file=io.BytesIO(path.read_bytes()), file_name=path.name, user=ekonom
    )
    assert log.total_amount == sum(expected_sums(path).values(), Decimal(0))
