"""Demo ofördelad budget, lönerörelse, skattesats and year-end for Ekbacka kommun.

Idempotent and independent of the order in which the demo's parts run: each part is added
only once, through the same services the pages use. The 2025 year-end proposals are computed
from whatever 2025 outcomes exist; without outcomes no proposal is made (a later run adds them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from budget.frames.services import kronor
from budget.models import (
    Criterion,
    DispositionKind,
    Driftbudgetram,
    FrameStage,
    Lonereserv,
    OfordeladBudget,
    Resultatdisposition,
    Skattesats,
)
from budget.reserves import pot, salary
from budget.taxrate import services as taxrate
from budget.yearend import services as yearend
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, BudgetYearStatus, OrganisationUnit, User
from styrmodell.versioning import current_version

KF_BUDGET_2026 = (dt.date(2025, 11, 24), "112")
TAX_RATES = {2025: ("22.04", dt.date(2024, 11, 25), "118"),
             2026: ("22.04", *KF_BUDGET_2026),
             2027: ("22.29", None, None)}
SALARY_2026 = {
    "Kommunstyrelsen": "1100000",
    "Barn- och utbildningsnämnden": "4900000",
    "Socialnämnden": "4300000",
    "Samhällsbyggnadsnämnden": "700000",
    "Kultur- och fritidsnämnden": "400000",
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _namnd(name: str) -> OrganisationUnit:
    return OrganisationUnit.objects.get(name=name)


def _years() -> dict[int, BudgetYear] | None:
    years = {year.year: year for year in BudgetYear.objects.filter(year__in=[2025, 2026, 2027])}
    if len(years) < 3 or not Driftbudgetram.objects.filter(
            budget_year__year=2026, stage=FrameStage.DECIDED).exists():
        return None
    return years


@transaction.atomic
def seed_decisions() -> None:
    """Tax rates, the pots with their applications and the salary reserve: the grants and
    salary shares change the 2026 decided frames, so they come before anything measured
    against those frames (distribution, forecasts)."""
    years = _years()
    if years is None:
        return
    _tax_rates(years)
    _pots(years)
    _salary(years[2026])


@transaction.atomic
def seed_year_end() -> None:
    """The 2025 year-end proposals, from the outcomes seeded before."""
    years = _years()
    if years is not None:
        _earmark_accounts(years[2025])
        _year_end(years[2025])


# B3: how the förvaltningar used the 2025 earmarks (see budget/frames/demo.py): one in full, one in
# part, its unused 200 000 kr not free money.
EARMARK_ACCOUNTS = {
    "Läxhjälp och lovskola": ("bun.forvaltningschef", "1500000",
                              "Lovskola sommar och höst för 420 elever i årskurs 6–9 och "
                              "läxhjälp två eftermiddagar i veckan på alla tre skolorna."),
    "Heltidsresan i hemtjänsten": ("sn.forvaltningschef", "600000",
                                   "Schemaläggning och 14 tjänster som höjts till heltid. "
                                   "Resten användes inte: rekryteringen försenades till 2026."),
}


def _earmark_accounts(budget_year: BudgetYear) -> None:
    if budget_year.status != BudgetYearStatus.CLOSED:
        return
    for mark in yearend.earmarks(budget_year=budget_year):
        account = EARMARK_ACCOUNTS.get(mark.line.label)
        author = _user(account[0]) if account else None
        if mark.is_accounted or author is None:
            continue
        yearend.account_for_earmark(line=mark.line, used_amount=Decimal(account[1]),
                                    used_for=account[2], written_by=author)


def _tax_rates(years) -> None:
    for year, (percent, decided_on, paragraph) in TAX_RATES.items():
        if Skattesats.objects.filter(budget_year=years[year]).exists():
            continue
        if decided_on is None:
            taxrate.propose(budget_year=years[year], percent=Decimal(percent))
        else:
            taxrate.decide(budget_year=years[year], percent=Decimal(percent),
                           decided_on=decided_on, paragraph=paragraph)


def _pots(years) -> None:
    if not OfordeladBudget.objects.filter(budget_year=years[2027]).exists():
        pot.set_pot(budget_year=years[2027], amount=Decimal("10000000"))
    if OfordeladBudget.objects.filter(budget_year=years[2026]).exists():
        return
    pot_2026 = pot.set_pot(budget_year=years[2026], amount=Decimal("8000000"),
                           decided_on=KF_BUDGET_2026[0], paragraph=KF_BUDGET_2026[1],
                           case_number="KS 2025/214")
    sof_chef, bun_chef = _user("sn.forvaltningschef"), _user("bun.forvaltningschef")
    ekonom, secretary = _user("ekonom"), _user("kommunsekreterare")
    if not all((sof_chef, bun_chef, ekonom, secretary)):
        return
    placements = pot.file_application(
        pot=pot_2026, namnd=_namnd("Socialnämnden"), amount=Decimal("2400000"),
        title="Oförutsedda kostnader för externa placeringar", criterion=Criterion.UNFORESEEN,
        motivation="Under vintern placerades sju barn och unga akut i HVB efter beslut enligt "
                   "LVU. Kostnaden, 2,4 mnkr, var inte känd när ramen sattes och ryms inte i "
                   "nämndens budget utan att äldreomsorgen drabbas.",
        namnd_decision="SN 16 februari 2026 § 14", filed_by=sof_chef)
    pot.write_statement(
        application=placements, criteria_met=True, author=ekonom,
        version=current_version(placements),
        statement="Kostnaderna beror på händelser som inte kunde förutses vid budgetbeslutet "
                  "och är omfattande i förhållande till nämndens ram. Kriterium (b) är "
                  "uppfyllt. Ekonomiavdelningen föreslår att 2,0 mnkr beviljas; resten "
                  "bedöms rymmas genom nämndens egna åtgärder.")
    pot.decide_application(application=placements, grant=True,
                           granted_amount=Decimal("2000000"), decided_on=dt.date(2026, 3, 12),
                           paragraph="41", case_number="KS 2026/38", recorder=secretary)
    early = pot.file_application(
        pot=pot_2026, namnd=_namnd("Barn- och utbildningsnämnden"), amount=Decimal("1500000"),
        title="Tidiga insatser i förskolan", criterion=Criterion.SAVING,
        motivation="Specialpedagoger i förskolan kostar 1,5 mnkr första året men minskar "
                   "behovet av särskilt stöd i grundskolan, som i dag kostar omkring 3 mnkr "
                   "per år.",
        namnd_decision="BUN 15 oktober 2026 § 88", filed_by=bun_chef)
    pot.write_statement(
        application=early, criteria_met=True, author=ekonom, version=current_version(early),
        statement="Åtgärden ökar kostnaderna första året och bedöms sänka dem från år tre. "
                  "Kriterium (a) är uppfyllt. Besparingen bör följas upp i bokslutet 2028.")


def _salary(budget_year: BudgetYear) -> None:
    if Lonereserv.objects.filter(budget_year=budget_year).exists():
        return
    reserve = salary.set_reserve(budget_year=budget_year, amount=Decimal("12000000"),
                                 decided_on=KF_BUDGET_2026[0], paragraph=KF_BUDGET_2026[1])
    reserve = salary.decide_use_in_year(reserve=reserve, amount=Decimal("11600000"),
                                        decided_on=dt.date(2026, 5, 4), paragraph="52",
                                        version=current_version(reserve))
    secretary = _user("kommunsekreterare")
    if secretary is None:
        return
    salary.distribute(reserve=reserve,
                      amounts={_namnd(name): Decimal(amount)
                               for name, amount in SALARY_2026.items()},
                      decided_on=dt.date(2026, 5, 4), paragraph="52", case_number="KS 2026/71",
                      recorder=secretary)


def _year_end(budget_year: BudgetYear) -> None:
    """One proposal to carry part of the largest surplus over and one to restore the largest
    deficit, from the outcomes present now."""
    proposer = _user("ekonomichef")
    if (proposer is None or budget_year.status != BudgetYearStatus.CLOSED
            or not yearend.has_outcomes(budget_year=budget_year)
            or Resultatdisposition.objects.filter(budget_year=budget_year).exists()):
        return
    # Nämnder without any outcome would show their whole frame as a surplus.
    results = [r for r in yearend.results(budget_year=budget_year) if r.outcome]
    surpluses = sorted((r for r in results if r.result > 0), key=lambda r: -r.result)
    deficits = sorted((r for r in results if r.result < 0), key=lambda r: r.result)
    try:
        if surpluses:
            best = surpluses[0]
            yearend.propose(
                budget_year=budget_year, namnd=best.namnd, kind=DispositionKind.CARRY_OVER,
                amount=kronor(best.result / 2), goals_fulfilled=True,
                motivation="Nämnden har uppfyllt sina mål, uppdrag och prestationer och "
                           "överskottet beror på effektiviseringar. Hälften föreslås föras "
                           "över till 2026 genom den ofördelade budgeten.",
                proposed_by=proposer)
        if deficits:
            worst = deficits[0]
            yearend.propose(
                budget_year=budget_year, namnd=worst.namnd, kind=DispositionKind.RESTORE,
                amount=-worst.result, goals_fulfilled=False,
                motivation="Underskottet beror på att kostnaderna inte anpassats till ramen. "
                           "Det föreslås återställas i sin helhet i budget 2027.",
                proposed_by=proposer)
    except DomainError:
        # An outcome that makes a proposal impossible (e.g. no year to restore in) leaves
        # the year-end for the finance office to propose by hand.
        pass
