"""Demo outcomes and forecasts for Ekbacka kommun: monthly utfall for 2025 and January–October
2026 per nämnd, verksamhet and account, and the 2026 forecasts of every follow-up.

Socialnämnden's latest forecast shows a deficit of 1,6 % of its frame (a väsentligt underskott,
D1), Barn- och utbildningsnämnden's 0,9 % (just under); the others are near zero or in surplus.
The outcome of 2026 follows the October forecast, so outcome to date and forecast agree.
Deterministic and idempotent: a year that has outcomes, or forecasts, gets nothing more.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budget.ledger.totals import refresh_month_totals
from budget.models import (
    Driftbudgetram,
    FrameStage,
    Konto,
    Prognos,
    Prognosrad,
    Utfall,
    Verksamhet,
)
from styrmodell.models import FOLLOW_UP_ORDER, BudgetYear, OrganisationUnit, User

KRONA = Decimal("1")
HUNDRED = Decimal("100")
# Share of a year's net cost falling in each month: July low, December high; sums to 12.
SEASON = tuple(Decimal(f) for f in ("1.02", "0.98", "1.02", "0.99", "1.01", "1.04", "0.70",
                                    "0.94", "1.00", "1.01", "1.02", "1.27"))
# Revenues (negative in the ledger) as a share of gross cost, and how gross cost is spread.
REVENUES = (("3110", Decimal("0.06")), ("3510", Decimal("0.08")))
COSTS = (("5010", Decimal("0.50")), ("5410", Decimal("0.16")), ("4610", Decimal("0.12")),
         ("6110", Decimal("0.09")), ("6410", Decimal("0.07")), ("7810", Decimal("0.04")),
         ("8410", Decimal("0.02")))
# Weight of each verksamhet (in code order) in the nämnd's net cost.
WEIGHTS = {
    "Kommunstyrelsen": (20, 50, 30),
    "Barn- och utbildningsnämnden": (30, 50, 15, 5),
    "Socialnämnden": (55, 20, 25),
    "Samhällsbyggnadsnämnden": (45, 20, 35),
    "Kultur- och fritidsnämnden": (35, 45, 20),
}
# 2025's result in per cent of the frame (frame − outcome): one small surplus, one small deficit.
RESULT_2025 = {"Kommunstyrelsen": "0.2", "Barn- och utbildningsnämnden": "-0.1",
               "Socialnämnden": "-0.6", "Samhällsbyggnadsnämnden": "0.1",
               "Kultur- och fritidsnämnden": "0.9"}
PERIODS = FOLLOW_UP_ORDER[:-1]  # the four follow-ups within the year
WRITTEN = {"feb": dt.datetime(2026, 3, 12, 10), "apr": dt.datetime(2026, 5, 13, 10),
           "aug": dt.datetime(2026, 9, 10, 10), "okt": dt.datetime(2026, 11, 11, 10)}
# Variance of each 2026 forecast in per cent of the frame, feb/apr/aug/okt.
VARIANCE_2026 = {
    "Kommunstyrelsen": ("0.0", "0.2", "0.3", "0.3"),
    "Barn- och utbildningsnämnden": ("-0.3", "-0.95", "-0.8", "-0.9"),
    # Over the limit (D1) in April, back within it after the measures in August, over it
    # again in October; BUN just under it from April.
    "Socialnämnden": ("-0.7", "-1.2", "-0.9", "-1.6"),
    "Samhällsbyggnadsnämnden": ("0.0", "0.0", "-0.1", "0.1"),
    "Kultur- och fritidsnämnden": ("0.2", "0.4", "0.5", "0.5"),
}
# Where a deficit arises: the verksamhet codes that carry it, and their part of it.
DEFICIT_IN = {
    "Barn- och utbildningsnämnden": (("410", Decimal("0.7")), ("400", Decimal("0.3"))),
    "Socialnämnden": (("510", Decimal("0.6")), ("500", Decimal("0.4"))),
}
AUTHORS = {"Barn- och utbildningsnämnden": "bun.forvaltningschef",
           "Socialnämnden": "sn.forvaltningschef"}
COMMENTS = {
    "Barn- och utbildningsnämnden": (
        "Prognosen följer budget. Fler elever i förskoleklass än planerat bevakas.",
        "Fler elever med behov av särskilt stöd i grundskolan ger högre personalkostnader.",
        "Tilläggsbelopp i grundskolan och fler barn i förskolan än prognosen. Vakanser "
        "tillsätts inte under hösten.",
        "Underskottet i grundskolan kvarstår. Åtgärder: vikarieanskaffning centralt och "
        "översyn av skolskjutsar; effekt främst 2027.",
    ),
    "Socialnämnden": (
        "Ökade kostnader för externa placeringar inom individ- och familjeomsorgen.",
        "Två nya placeringar av barn och unga samt fler hemtjänsttimmar än budgeterat.",
        "Åtgärderna från juni har effekt: två placeringar har avslutats och ersatts av "
        "familjehemsvård. Hemtjänsten har dock fler brukare över 80 år.",
        "Underskottet beror på externa placeringar (IFO) och hemtjänst. Förvaltningen "
        "redovisar åtgärder för en budget i balans till nämndens sammanträde i december.",
    ),
}
DEFAULT_COMMENTS = ("Prognosen följer budget.", "Inga väsentliga avvikelser.",
                    "Prognosen följer budget efter delåret.", "Verksamheten håller ramen.")


def _kronor(value: Decimal) -> Decimal:
    return value.quantize(KRONA, rounding=ROUND_HALF_UP)


def _split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split an amount in whole kronor by weights; the first part takes the rounding."""
    whole = sum(weights, Decimal(0))
    parts = [_kronor(total * weight / whole) for weight in weights]
    parts[0] += total - sum(parts, Decimal(0))
    return parts


def _percent_of(frame: Decimal, percent: str) -> Decimal:
    return _kronor(frame * Decimal(percent) / HUNDRED)


def seed(*, decided: dict[str, tuple[Decimal, Decimal]]) -> None:
    """`decided` is the demo's decided frames per nämnd's name, 2025 and 2026
    (budget/frames/demo.py)."""
    namnder = {unit.name: unit for unit in OrganisationUnit.objects.filter(name__in=decided)}
    if len(namnder) < len(decided):
        return
    years = {year.year: year for year in BudgetYear.objects.filter(year__in=[2025, 2026])}
    verksamheter = {name: list(Verksamhet.objects.filter(namnd=unit).order_by("code"))
                    for name, unit in namnder.items()}
    accounts = {konto.number: konto for konto in Konto.objects.all()}
    # Forecasts are measured against the frames as they stand now (grants and salary shares
    # of the year included), so the demo's variances are the ones the pages show.
    current = dict(Driftbudgetram.objects.filter(
        budget_year__year=2026, stage=FrameStage.DECIDED, namnd__name__in=decided)
        .values_list("namnd__name", "total"))
    frames = {name: (frame_2025, current.get(name, frame_2026))
              for name, (frame_2025, frame_2026) in decided.items()}
    forecast_lines = _forecast_lines(verksamheter, frames)
    if 2025 in years and not Utfall.objects.filter(year=2025).exists():
        targets = {}
        for name, (frame, _) in decided.items():
            annual = frame - _percent_of(frame, RESULT_2025[name])
            targets[name] = dict(zip(verksamheter[name],
                                     _split(annual, [Decimal(w) for w in WEIGHTS[name]]),
                                     strict=True))
        _outcomes(2025, 12, namnder, targets, accounts)
    if 2026 in years and not Utfall.objects.filter(year=2026).exists():
        # The year runs to the October forecast: its lines per verksamhet.
        targets = {name: lines[-1] for name, lines in forecast_lines.items()}
        _outcomes(2026, 10, namnder, targets, accounts)
    if 2026 in years and not Prognos.objects.filter(budget_year=years[2026]).exists():
        _forecasts(years[2026], namnder, forecast_lines)


def _forecast_lines(verksamheter: dict[str, list[Verksamhet]], decided: dict
                    ) -> dict[str, list[dict[Verksamhet, Decimal]]]:
    """Each nämnd's forecast per verksamhet for feb, apr, aug and okt 2026: the frame split
    by weight, the deficit (or surplus) laid where it arises."""
    result = {}
    for name, (_, frame) in decided.items():
        rows = verksamheter[name]
        base = dict(zip(rows, _split(frame, [Decimal(w) for w in WEIGHTS[name]]), strict=True))
        per_period = []
        for percent in VARIANCE_2026[name]:
            change = -_percent_of(frame, percent)  # a deficit raises the forecast
            carriers = DEFICIT_IN.get(name)
            if carriers:
                by_code = {v.code: v for v in rows}
                parts = _split(change, [part for _, part in carriers])
                extra = {by_code[code]: part for (code, _), part in zip(carriers, parts,
                                                                       strict=True)}
            else:
                extra = dict(zip(rows, _split(change, [Decimal(w) for w in WEIGHTS[name]]),
                                 strict=True))
            per_period.append({v: base[v] + extra.get(v, Decimal(0)) for v in rows})
        result[name] = per_period
    return result


def _outcomes(year: int, months: int, namnder: dict[str, OrganisationUnit],
              targets: dict[str, dict[Verksamhet, Decimal]], accounts: dict[str, Konto]) -> None:
    """Monthly outcome per verksamhet and account: the verksamhet's year × the month's
    seasonal share, split into revenues (negative) and costs; whole kronor that sum exactly
    (a full year sums to its target)."""
    rows = []
    gross_factor = KRONA - sum((share for _, share in REVENUES), Decimal(0))
    for name, by_verksamhet in targets.items():
        for verksamhet, annual in by_verksamhet.items():
            booked = Decimal(0)
            for month in range(1, months + 1):
                net = _kronor(annual * SEASON[month - 1] / 12)
                if month == 12:
                    net = annual - booked
                booked += net
                gross = net / gross_factor
                amounts = [(number, -_kronor(gross * share)) for number, share in REVENUES]
                amounts += [(number, _kronor(gross * share)) for number, share in COSTS]
                # Salaries take the rounding, so the accounts add up to the month's net cost.
                difference = net - sum((amount for _, amount in amounts), Decimal(0))
                amounts = [(n, a + difference if n == "5010" else a) for n, a in amounts]
                rows += [Utfall(namnd=namnder[name], verksamhet=verksamhet,
                                konto=accounts[number], year=year, month=month, amount=amount)
                         for number, amount in amounts]
    Utfall.objects.bulk_create(rows, batch_size=2000)
    refresh_month_totals(year=year)


def _forecasts(budget_year: BudgetYear, namnder: dict[str, OrganisationUnit],
               lines: dict[str, list[dict[Verksamhet, Decimal]]]) -> None:
    users = {user.username: user for user in User.objects.filter(
        username__in=["ekonom", *AUTHORS.values()])}
    forecasts, with_lines = [], []
    for name, per_period in lines.items():
        comments = COMMENTS.get(name, DEFAULT_COMMENTS)
        for index, period in enumerate(PERIODS):
            # The finance office writes the spring forecasts; the förvaltningschef the autumn.
            author = users.get(AUTHORS.get(name, "ekonom") if index >= 2 else "ekonom")
            forecast = Prognos(
                namnd=namnder[name], budget_year=budget_year, period=period,
                total=sum(per_period[index].values(), Decimal(0)), comment=comments[index],
                written_by=author,
                written_at=timezone.make_aware(WRITTEN[period]),
            )
            forecasts.append(forecast)
            # The nämnder with a deficit forecast by verksamhet from the delårsrapport on.
            if name in DEFICIT_IN and index >= 2:
                with_lines.append((forecast, per_period[index]))
    bulk_create_with_history(forecasts, Prognos)
    saved = {(f.namnd_id, f.period): f for f in Prognos.objects.filter(budget_year=budget_year)}
    bulk_create_with_history(
        [Prognosrad(prognos=saved[(forecast.namnd_id, forecast.period)], verksamhet=verksamhet,
                    amount=amount)
         for forecast, by_verksamhet in with_lines for verksamhet, amount in by_verksamhet.items()],
        Prognosrad,
    )
