"""Demo volumes for Ekbacka kommun: three or four measures per nämnd for 2025 and 2026, with
outcome and full-year forecast in every follow-up of 2025 (and the year's outcome), and in
February, April and August 2026; October 2026 has just opened, and only Barn- och
utbildningsnämnden and Socialnämnden have reported in it.

The volumes tell the demo's economic story (budget/demo_forecasts.py): Socialnämnden's deficit
comes from more HVB placement days than budgeted (and more home-care hours), lower in August
after two placements ended, higher again in October; Barn- och utbildningsnämnden is close to
its limit with more pupils with tilläggsbelopp; the others are near their budgets, Kultur- och
fritidsnämnden slightly under. Idempotent: once any measure exists nothing is added.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budget.models import Volymmatt, Volymuppfoljning
from styrmodell.models import FOLLOW_UP_ORDER, BudgetYear, OrganisationUnit, User

PERIODS = FOLLOW_UP_ORDER
WRITTEN = {
    2025: {"feb": dt.datetime(2025, 3, 12, 10), "apr": dt.datetime(2025, 5, 13, 10),
           "aug": dt.datetime(2025, 9, 10, 10), "okt": dt.datetime(2025, 11, 11, 10),
           "ar": dt.datetime(2026, 2, 10, 10)},
    2026: {"feb": dt.datetime(2026, 3, 12, 10), "apr": dt.datetime(2026, 5, 13, 10),
           "aug": dt.datetime(2026, 9, 10, 10), "okt": dt.datetime(2026, 11, 11, 10)},
}
WRITERS = {"Kommunstyrelsen": "ekonom", "Barn- och utbildningsnämnden": "bun.forvaltningschef",
           "Socialnämnden": "sn.forvaltningschef",
           "Samhällsbyggnadsnämnden": "sbn.forvaltningschef",
           "Kultur- och fritidsnämnden": "kfn.forvaltningschef"}

# nämnd -> measures: (name, unit, cost per unit in kr or None,
#   {year: (budgeted volume, [(outcome, forecast) per period in PERIODS order, as far as
#   reported; the year's outcome alone for "ar"])}).
MEASURES = {
    "Kommunstyrelsen": (
        ("Lönespecifikationer", "st", "120", {
            2025: (14400, [(2390, 14400), (4790, 14350), (9620, 14420), (12010, 14380),
                           14410]),
            2026: (14600, [(2420, 14600), (4850, 14580), (9700, 14560)])}),
        ("Ärenden till kontaktcenter", "ärenden", None, {
            2025: (21000, [(3650, 21500), (7300, 21800), (14600, 22000), (18300, 22100),
                           22050]),
            2026: (22000, [(3700, 22200), (7450, 22300), (14900, 22400)])}),
        ("Genomförda upphandlingar", "upphandlingar", None, {
            2025: (40, [(6, 40), (13, 40), (25, 38), (31, 38), 37]),
            2026: (42, [(7, 42), (14, 42), (27, 42)])}),
    ),
    "Barn- och utbildningsnämnden": (
        ("Inskrivna barn i förskolan", "barn", "158000", {
            2025: (555, [(551, 556), (556, 557), (549, 556), (558, 557), 557]),
            2026: (560, [(553, 560), (558, 562), (556, 563), (563, 564)])}),
        ("Elever i grundskolan, förskoleklass–årskurs 9", "elever", "112000", {
            2025: (1175, [(1178, 1178), (1180, 1180), (1176, 1178), (1179, 1179), 1179]),
            2026: (1195, [(1197, 1197), (1195, 1196), (1191, 1193), (1192, 1193)])}),
        ("Elever med tilläggsbelopp", "elever", "185000", {
            2025: (30, [(30, 31), (31, 32), (32, 32), (33, 33), 33]),
            2026: (34, [(36, 37), (40, 41), (42, 43), (43, 44)])}),
        ("Elever i gymnasieskolan, interkommunal ersättning", "elever", "128000", {
            2025: (352, [(350, 351), (351, 352), (349, 352), (353, 353), 353]),
            2026: (356, [(357, 358), (359, 360), (358, 360), (359, 360)])}),
    ),
    "Socialnämnden": (
        ("Placeringsdygn HVB, barn och unga", "dygn", "4200", {
            2025: (1460, [(250, 1500), (500, 1520), (1000, 1540), (1260, 1560), 1555]),
            2026: (1460, [(295, 1800), (720, 2150), (1385, 1870), (1780, 2190)])}),
        ("Beviljade hemtjänsttimmar", "timmar", "520", {
            2025: (94000, [(15400, 94500), (31300, 95000), (63500, 95500), (79800, 95800),
                           95900]),
            2026: (96000, [(15800, 96400), (32300, 97300), (65300, 97600), (82700, 98500)])}),
        ("Platser i särskilt boende", "platser", "880000", {
            2025: (92, [(92, 92), (92, 92), (92, 92), (92, 92), 92]),
            2026: (92, [(92, 92), (92, 92), (92, 92), (92, 92)])}),
        ("Hushåll med försörjningsstöd, snitt per månad", "hushåll", "78000", {
            2025: (108, [(110, 109), (107, 108), (111, 110), (112, 110), 110]),
            2026: (105, [(104, 105), (107, 106), (110, 108), (113, 110)])}),
    ),
    "Samhällsbyggnadsnämnden": (
        ("Bygglovsärenden", "ärenden", None, {
            2025: (260, [(38, 260), (85, 265), (175, 270), (220, 272), 274]),
            2026: (270, [(41, 270), (92, 280), (190, 290)])}),
        ("Plogtillfällen", "tillfällen", "42000", {
            2025: (18, [(12, 18), (14, 18), (14, 18), (14, 19), 19]),
            2026: (18, [(14, 21), (16, 22), (16, 22)])}),
        ("Livsmedelskontroller", "kontroller", None, {
            2025: (150, [(20, 150), (48, 150), (92, 148), (125, 150), 151]),
            2026: (155, [(22, 155), (50, 155), (96, 155)])}),
    ),
    "Kultur- och fritidsnämnden": (
        ("Besök på biblioteket", "besök", None, {
            2025: (62000, [(10400, 62000), (21000, 63000), (40500, 63500), (52800, 64000),
                           64200]),
            2026: (64000, [(10900, 65000), (22100, 66000), (42800, 66500)])}),
        ("Besök på fritidsgården", "besök", None, {
            2025: (9500, [(1700, 9500), (3400, 9800), (5900, 9900), (8100, 10000), 10050]),
            2026: (10000, [(1800, 10200), (3650, 10400), (6300, 10500)])}),
        ("Elever i kulturskolan", "elever", "6500", {
            2025: (320, [(318, 320), (318, 320), (305, 310), (309, 310), 310]),
            2026: (315, [(312, 315), (312, 315), (300, 305)])}),
    ),
}
# (nämnd, measure, year, period) -> the förvaltning's comment.
COMMENTS = {
    ("Barn- och utbildningsnämnden", "Elever med tilläggsbelopp", 2026, "feb"):
        "Fler elever i förskoleklass med behov av stöd än planerat; bevakas.",
    ("Barn- och utbildningsnämnden", "Elever med tilläggsbelopp", 2026, "apr"):
        "Fler elever med behov av särskilt stöd i grundskolan ger högre personalkostnader.",
    ("Barn- och utbildningsnämnden", "Elever med tilläggsbelopp", 2026, "aug"):
        "Tilläggsbelopp beviljade för nio elever fler än budgeterat.",
    ("Barn- och utbildningsnämnden", "Elever med tilläggsbelopp", 2026, "okt"):
        "Ökningen av tilläggsbelopp är underskottets största orsak i grundskolan.",
    ("Barn- och utbildningsnämnden", "Inskrivna barn i förskolan", 2026, "aug"):
        "Fler barn i förskolan än budgeterat trots färre invånare 1–5 år än prognosen.",
    ("Socialnämnden", "Placeringsdygn HVB, barn och unga", 2025, "ar"):
        "Något fler placeringsdygn än budgeterat, främst under hösten.",
    ("Socialnämnden", "Placeringsdygn HVB, barn och unga", 2026, "feb"):
        "Fem pågående placeringar mot fyra budgeterade.",
    ("Socialnämnden", "Placeringsdygn HVB, barn och unga", 2026, "apr"):
        "Två nya placeringar av barn och unga under våren.",
    ("Socialnämnden", "Placeringsdygn HVB, barn och unga", 2026, "aug"):
        "Två placeringar har avslutats och ersatts av familjehemsvård (åtgärd från juni).",
    ("Socialnämnden", "Placeringsdygn HVB, barn och unga", 2026, "okt"):
        "Nya placeringar under hösten: sex till sju pågående. Underskottets största orsak.",
    ("Socialnämnden", "Beviljade hemtjänsttimmar", 2026, "aug"):
        "Fler brukare över 80 år än budgeterat.",
    ("Socialnämnden", "Platser i särskilt boende", 2026, "okt"):
        "Alla platser belagda; sex personer väntar på plats.",
    ("Samhällsbyggnadsnämnden", "Plogtillfällen", 2026, "aug"):
        "Snörik vinter: vinterväghållningen blev dyrare än beräknat.",
    ("Samhällsbyggnadsnämnden", "Bygglovsärenden", 2026, "aug"):
        "Fler ärenden än budgeterat ger högre intäkter från bygglov.",
    ("Kultur- och fritidsnämnden", "Besök på biblioteket", 2026, "aug"):
        "Fler besökare än föregående år, särskilt på lördagarna.",
    ("Kultur- och fritidsnämnden", "Elever i kulturskolan", 2026, "aug"):
        "Färre elever efter sommaren; väntelistan är kortare än tidigare år.",
}


def _number(value) -> Decimal:
    return Decimal(str(value))


def seed() -> None:
    if Volymmatt.objects.exists():
        return
    namnder = {u.name: u for u in OrganisationUnit.objects.filter(name__in=MEASURES)}
    years = {y.year: y for y in BudgetYear.objects.filter(year__in=[2025, 2026])}
    if len(namnder) < len(MEASURES) or len(years) < 2:
        return
    users = {u.username: u for u in User.objects.filter(username__in=WRITERS.values())}
    measures = []
    for name, rows in MEASURES.items():
        for position, (title, unit, cost, by_year) in enumerate(rows, 1):
            for year, (budget, _) in by_year.items():
                measures.append(Volymmatt(
                    namnd=namnder[name], budget_year=years[year], name=title, unit=unit,
                    budget=_number(budget), cost_per_unit=_number(cost) if cost else None,
                    position=position))
    bulk_create_with_history(measures, Volymmatt)
    saved = {(m.namnd_id, m.budget_year.year, m.name): m
             for m in Volymmatt.objects.select_related("budget_year")}
    entries = []
    for name, rows in MEASURES.items():
        writer = users.get(WRITERS[name])
        for title, _unit, _cost, by_year in rows:
            for year, (_, reported) in by_year.items():
                measure = saved[(namnder[name].pk, year, title)]
                for period, figures in zip(PERIODS, reported, strict=False):
                    outcome, forecast = figures if period != "ar" else (figures, figures)
                    entries.append(Volymuppfoljning(
                        measure=measure, period=period, outcome=_number(outcome),
                        forecast=_number(forecast),
                        comment=COMMENTS.get((name, title, year, period), ""),
                        written_by=writer,
                        written_at=timezone.make_aware(WRITTEN[year][period])))
    bulk_create_with_history(entries, Volymuppfoljning)
