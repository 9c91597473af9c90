"""Demo investments for Ekbacka kommun 2024-2029 (B8, B9): a new school heading for an overrun
over 10 %, street lighting reinvestment, an exploatering area with land sales, a small IT
project 15 % over, a project exactly at budget with a delay moved by KF, and a proposal waiting
for KF. Idempotent: once projects exist nothing is added again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from budget.investments import services as investments
from budget.models import Internranta, Investeringsprojekt, ProjectKind, ProjectStatus
from styrmodell.models import BudgetYear, OrganisationUnit, User
from styrmodell.versioning import current_version

RATES = {2025: "1.5", 2026: "1.5", 2027: "1.5"}


@dataclass(frozen=True)
class DemoProject:
    namnd: str
    name: str
    kind: str
    objekt: str
    years: tuple[int, int]
    depreciation: int | None
    # year -> (appropriation, income)
    budget: dict[int, tuple[str, str]]
    consequences: str
    in_use: int | None = None
    decided_on: dt.date | None = dt.date(2024, 11, 25)
    paragraph: str = "§ 98"
    status: str = ProjectStatus.RUNNING
    # year -> (spent, received)
    outcome: dict[int, tuple[str, str]] = field(default_factory=dict)
    # (year, period, forecast, made on, comment)
    forecasts: tuple[tuple[int, str, str, dt.date, str], ...] = ()
    description: str = ""


PROJECTS = (
    DemoProject(
        "Barn- och utbildningsnämnden", "Ny F–6-skola i Norrby", ProjectKind.NEW,
        "Grundskola", (2025, 2027), 33,
        {2025: ("8000000", "0"), 2026: ("25000000", "0"), 2027: ("15000000", "0")},
        "Lokalkostnad (kapitalkostnad) ca 3,2 mnkr per år från 2028; städ, vaktmästeri och "
        "energi 1,1 mnkr per år. Ersätter paviljonger med hyra 1,4 mnkr per år som sägs upp.",
        outcome={2025: ("7600000", "0"), 2026: ("24300000", "0")},
        forecasts=((2026, "apr", "49500000", dt.date(2026, 5, 8),
                    "Indexuppräkning av entreprenaden."),
                   (2026, "aug", "51000000", dt.date(2026, 9, 10), "Markförstärkning krävdes."),
                   (2026, "okt", "54200000", dt.date(2026, 11, 5),
                    "Fördyrad stomme och markförstärkning; rapporteras till KF.")),
        description="Skola för 350 elever i årskurs F–6 med tillagningskök och idrottshall.",
    ),
    DemoProject(
        "Samhällsbyggnadsnämnden", "Utbyte av gatubelysning till LED", ProjectKind.REINVESTMENT,
        "Gata och park", (2025, 2029), 20,
        {year: ("1200000", "0") for year in range(2025, 2030)},
        "Lägre elkostnad, ca 0,4 mnkr per år när utbytet är klart; underhållet minskar.",
        in_use=2025,
        outcome={2025: ("1150000", "0"), 2026: ("980000", "0")},
        forecasts=((2026, "okt", "6000000", dt.date(2026, 11, 5), "Enligt plan."),),
    ),
    DemoProject(
        "Samhällsbyggnadsnämnden", "Exploatering Ekbacka äng, etapp 1", ProjectKind.EXPLOITATION,
        "Plan och bygg", (2025, 2029), None,
        {2025: ("4000000", "0"), 2026: ("6000000", "2400000"), 2027: ("3000000", "5600000"),
         2028: ("1500000", "6000000"), 2029: ("500000", "4000000")},
        "Gator, VA och belysning övertas av kommunen: drift och underhåll ca 0,3 mnkr per år "
        "från 2028. Markförsäljning 42 villatomter.",
        outcome={2025: ("3800000", "0"), 2026: ("5100000", "1600000")},
        forecasts=((2026, "okt", "15300000", dt.date(2026, 11, 5),
                    "Högre kostnad för dagvatten."),),
        description="Detaljplan för 42 villatomter och ett kvarter med hyresrätter.",
    ),
    DemoProject(
        "Kommunstyrelsen", "Nytt ärendehanteringssystem", ProjectKind.NEW,
        "Kommunledning och administration", (2026, 2027), 5,
        {2026: ("1600000", "0"), 2027: ("800000", "0")},
        "Licenser 0,35 mnkr per år; ersätter två äldre system med licenser 0,3 mnkr per år.",
        in_use=2027, decided_on=dt.date(2025, 11, 24), paragraph="§ 121",
        outcome={2026: ("1450000", "0")},
        forecasts=((2026, "okt", "2760000", dt.date(2026, 11, 5),
                    "Fler integrationer än upphandlat."),),
    ),
    DemoProject(
        "Socialnämnden", "Ombyggnad av Lindgårdens kök", ProjectKind.NEW,
        "Äldreomsorg", (2024, 2025), 15,
        {2024: ("1500000", "0"), 2025: ("1700000", "0")},
        "Tillagning på plats i stället för inköpt mat: oförändrad kostnad för måltiderna.",
        decided_on=dt.date(2023, 11, 27), paragraph="§ 104", status=ProjectStatus.CLOSED,
        outcome={2024: ("900000", "0"), 2025: ("2300000", "0")},
        forecasts=((2025, "ar", "3200000", dt.date(2026, 2, 10), "Slutredovisat."),),
    ),
    DemoProject(
        "Kultur- och fritidsnämnden", "Konstgräsplan Ekbackavallen", ProjectKind.NEW,
        "Fritid och idrott", (2026, 2027), 15,
        {2026: ("4500000", "0"), 2027: ("3000000", "0")},
        "Drift och snöröjning 0,25 mnkr per år; föreningarnas hyror ger 0,1 mnkr per år.",
        decided_on=dt.date(2025, 11, 24), paragraph="§ 121",
        outcome={2026: ("3900000", "0")},
        forecasts=((2026, "okt", "7900000", dt.date(2026, 11, 5), "Dyrare fyllnadsmaterial."),),
    ),
    DemoProject(
        "Barn- och utbildningsnämnden", "Inventarier i förskolor", ProjectKind.REINVESTMENT,
        "Förskola", (2025, 2029), 10,
        {year: ("800000", "0") for year in range(2025, 2030)},
        "Ingen förändring av driften: ersätter utslitna möbler och lekutrustning.",
        in_use=2025,
        outcome={2025: ("790000", "0"), 2026: ("610000", "0")},
    ),
    DemoProject(
        "Socialnämnden", "Tillbyggnad av trygghetsboende", ProjectKind.NEW,
        "Äldreomsorg", (2027, 2028), 33,
        {2027: ("5000000", "0"), 2028: ("7000000", "0")},
        "Tolv nya lägenheter: hyresintäkter 1,0 mnkr per år, personal 0,8 mnkr per år.",
        decided_on=None, status=ProjectStatus.PROPOSAL,
    ),
)
# KF approved the årsredovisning 2025 (the date and § reporting's demo records) and with it
# moved what the school had not used of its 2025 appropriation to 2026 (B9).
ANNUAL_REPORT_2025 = (2025, dt.date(2026, 4, 27), "45")
OMBUDGETERING = ("Ny F–6-skola i Norrby", 2025, 2026, "400000",
                 "Projektet försenat: markarbetena kom i gång först i december.")


@transaction.atomic
def seed() -> None:
    for year, percent in RATES.items():
        Internranta.objects.get_or_create(year=year, defaults={"percent": Decimal(percent)})
    if Investeringsprojekt.objects.exists():
        return
    namnder = {unit.name: unit for unit in OrganisationUnit.objects.filter(
        name__in={project.namnd for project in PROJECTS})}
    ekonom = User.objects.filter(username="ekonom").first()
    recorder = User.objects.filter(username="kommunsekreterare").first()
    by_name = {}
    for demo in PROJECTS:
        project = investments.create_project(
            namnd=namnder[demo.namnd], objekt=demo.objekt, name=demo.name, kind=demo.kind,
            total_budget=sum((Decimal(amount) for amount, _ in demo.budget.values()),
                             Decimal("0")),
            start_year=demo.years[0], end_year=demo.years[1], in_use_year=demo.in_use,
            depreciation_years=demo.depreciation, description=demo.description,
            consequences=demo.consequences)
        for year, (amount, income) in demo.budget.items():
            investments.propose_appropriation(project=project, year=year, amount=Decimal(amount),
                                              income=Decimal(income), version=None)
        if demo.decided_on:
            investments.record_decision(project=project, decided_on=demo.decided_on,
                                        paragraph=demo.paragraph)
        by_name[demo.name] = project
    year, decided_on, paragraph = ANNUAL_REPORT_2025
    budget_year = BudgetYear.objects.filter(year=year).first()
    if budget_year is not None:
        annual_report = investments.record_annual_report_decision(
            budget_year=budget_year, decided_on=decided_on, paragraph=paragraph,
            recorded_by=recorder)
        name, from_year, to_year, amount, reason = OMBUDGETERING
        investments.ombudgetera(project=by_name[name], from_year=from_year, to_year=to_year,
                                amount=Decimal(amount), reason=reason,
                                annual_report=annual_report, recorded_by=recorder)
    for demo in PROJECTS:
        project = Investeringsprojekt.objects.get(pk=by_name[demo.name].pk)
        if project.status != demo.status:
            project.status = demo.status
            project.save()
        for number, (year, period, forecast, made_on, comment) in enumerate(demo.forecasts):
            spent, received = demo.outcome.get(year, ("0", "0"))
            investments.record_follow_up(
                project=project, year=year, period=period, spent=Decimal(spent),
                received=Decimal(received), forecast=Decimal(forecast), comment=comment,
                spent_version=_version(project, year) if number else "0",
                forecast_version="0", made_by=ekonom, made_on=made_on)
        for year, (spent, received) in demo.outcome.items():
            if not any(year == forecast[0] for forecast in demo.forecasts):
                investments.record_follow_up(
                    project=project, year=year, period="ar" if year < 2026 else "okt",
                    spent=Decimal(spent), received=Decimal(received),
                    forecast=project.total_budget, spent_version="0", forecast_version="0",
                    made_by=ekonom, made_on=(dt.date(year + 1, 2, 10) if year < 2026
                                             else dt.date(2026, 11, 5)))


def _version(project: Investeringsprojekt, year: int) -> str:
    return current_version(project.outcomes.get(year=year))
