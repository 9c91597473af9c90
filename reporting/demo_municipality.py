"""Demo of the municipality's own part of the reports: the financial goals followed up in the
årsredovisning 2025 and in 2026's reports per februari, april and augusti, and the companies'
and foundations' year 2025. Entered through the real services while each report is still open
(before the demo compiles it); a report that is already compiled is left as it is.

The story follows the budget demo: the nämnder overran their frames slightly in 2025 and
forecast a larger deficit in 2026, mostly in Socialnämnden, while the municipality's result
stays positive but below the goal of two per cent. The computed goals take their figure from
the frames, forecasts and outcome, so the two never disagree.
"""

from __future__ import annotations

from decimal import Decimal

from goals.demo import (
    RESULT_GOAL,
    SELF_FINANCING_GOAL,
    SN_BALANCE_GOAL,
    SOLIDITY_GOAL,
    WITHIN_FRAMES_GOAL,
)
from goals.models import FinansielltMal, FinansielltMalUtfall, Level
from styrmodell.models import OrganisationUnit, User

from . import municipality
from .models import Bolagsbokslut, PeriodStatus, Rapportperiod

COMPUTED = None  # the figure the budget's data gives
YES, PARTLY, NO = Level.YES, Level.PARTLY, Level.NO

# (year, report code) -> goal title -> (value, level, forecast, comment)
OUTCOMES = {
    (2025, "ar"): {
        RESULT_GOAL: ("1.4", PARTLY, "",
                      "Resultatet blev 10,9 mnkr, 1,4 procent av skatter och generella "
                      "statsbidrag. Skatteintäkterna blev högre än budgeterat men vägde inte upp "
                      "nämndernas underskott och högre pensionskostnader."),
        SELF_FINANCING_GOAL: ("86", YES, "",
                              "Investeringarna blev lägre än budgeterat och finansierades till "
                              "86 procent med egna medel."),
        SOLIDITY_GOAL: ("35.6", YES, "", "Soliditeten ökade med 0,4 procentenheter."),
        WITHIN_FRAMES_GOAL: (COMPUTED, NO, "",
                             "Socialnämnden och Barn- och utbildningsnämnden överskred sina "
                             "ramar; övriga nämnder redovisade överskott."),
        SN_BALANCE_GOAL: (COMPUTED, NO, "",
                          "Placeringskostnaderna inom individ- och familjeomsorgen och ökade "
                          "volymer i hemtjänsten gav ett underskott."),
    },
    (2026, "feb"): {
        RESULT_GOAL: ("1.9", PARTLY, "",
                      "Helårsprognosen ligger strax under målet; skatteprognosen från februari "
                      "är något svagare än i budgeten."),
        SELF_FINANCING_GOAL: ("84", YES, "", ""),
        SOLIDITY_GOAL: ("35.4", YES, "", ""),
        WITHIN_FRAMES_GOAL: (COMPUTED, NO, "",
                             "Socialnämnden och Barn- och utbildningsnämnden prognostiserar "
                             "underskott redan i februari."),
        SN_BALANCE_GOAL: (COMPUTED, NO, "",
                          "Fler placeringar inom IFO än budgeterat; åtgärder tas fram."),
    },
    (2026, "apr"): {
        RESULT_GOAL: ("1.5", PARTLY, "",
                      "Nämndernas underskott har ökat sedan februari och sänker resultatet."),
        SELF_FINANCING_GOAL: ("81", YES, "", ""),
        SOLIDITY_GOAL: ("35.2", YES, "", ""),
        WITHIN_FRAMES_GOAL: (COMPUTED, NO, "",
                             "Underskottet mot ramarna har ökat inom både Socialnämnden och "
                             "Barn- och utbildningsnämnden."),
        SN_BALANCE_GOAL: (COMPUTED, NO, "",
                          "Underskottet överstiger en procent av ramen; nämnden har beslutat om "
                          "åtgärder."),
    },
    (2026, "aug"): {
        RESULT_GOAL: ("1.1", PARTLY, PARTLY,
                      "Resultatet väntas bli positivt, omkring 9 mnkr, men under målet om två "
                      "procent."),
        SELF_FINANCING_GOAL: ("77", PARTLY, PARTLY,
                              "Det lägre resultatet minskar de egna medlen till investeringarna."),
        SOLIDITY_GOAL: ("35.1", YES, YES, ""),
        WITHIN_FRAMES_GOAL: (COMPUTED, NO, NO,
                             "Åtgärderna inom Socialnämnden väntas minska men inte ta bort "
                             "underskottet i år."),
        SN_BALANCE_GOAL: (COMPUTED, NO, NO,
                          "Åtgärderna inom IFO har börjat ge effekt men räcker inte till ett "
                          "nollresultat vid årets slut."),
    },
}

# Company or foundation -> (omsättning, resultat efter finansiella poster, eget kapital,
# balansomslutning, comment) for 2025, in kronor.
COMPANIES_2025 = {
    "Stiftelsen Ekbackahem": (
        "61240000", "3185000", "48760000", "412530000",
        "Stiftelsen äger 560 hyreslägenheter. Hyrorna höjdes med 4,8 procent och stambytet i "
        "kvarteret Lärkan fortsatte; räntekostnaderna minskade när två lån omsattes."),
    "Ekbacka Energi AB": (
        "37810000", "1420000", "22350000", "118900000",
        "Fjärrvärmeleveranserna minskade något efter en mild vinter. En ny biobränslepanna togs "
        "i drift i oktober."),
    "Ekdalens Vatten AB": (
        "84600000", "-1250000", "15400000", "356200000",
        "Bolaget ägs av Ekbacka och två grannkommuner och drivs till självkostnad. Underskottet "
        "beror på högre kostnader för slamhantering och regleras mot VA-kollektivet."),
}


def seed(periods: dict[tuple[int, str], Rapportperiod]) -> None:
    """Idempotent: a goal's outcome or a company's year already there is left alone."""
    finance = User.objects.get(username="ekonom")
    for key, outcomes in OUTCOMES.items():
        period = periods.get(key)
        if period is None or period.status != PeriodStatus.OPEN:
            continue
        goals = {g.title: g for g in FinansielltMal.objects.filter(
            budget_year=period.budget_year).select_related("unit", "budget_year")}
        for title, (value, level, forecast, comment) in outcomes.items():
            goal = goals.get(title)
            if goal is None or FinansielltMalUtfall.objects.filter(
                    goal=goal, period=period.period).exists():
                continue
            if value is COMPUTED:
                suggestion = municipality.suggested_outcome(goal, period.period)
                if suggestion is None:
                    continue
                amount = suggestion.value
            else:
                amount = Decimal(value)
            municipality.record_financial_outcome(
                period=period, goal=goal, author=finance, version=None, value=amount,
                level=level, forecast=forecast, comment=comment)
    annual = periods.get((2025, "ar"))
    if annual is None or annual.status != PeriodStatus.OPEN:
        return
    units = {u.name: u for u in OrganisationUnit.objects.filter(name__in=COMPANIES_2025)}
    for name, (turnover, result, equity, total, comment) in COMPANIES_2025.items():
        unit = units.get(name)
        if unit is None or Bolagsbokslut.objects.filter(
                unit=unit, budget_year=annual.budget_year).exists():
            continue
        municipality.save_company_figures(
            period=annual, unit=unit, entered_by=User.objects.get(username="ekonomichef"),
            version=None, turnover=Decimal(turnover),
            result_after_financial_items=Decimal(result), equity=Decimal(equity),
            balance_sheet_total=Decimal(total), ownership_share=unit.ownership_share,
            comment=comment)

