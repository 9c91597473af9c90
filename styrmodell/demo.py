"""The demo municipality: Ekbacka kommun, about 10,000 inhabitants. Idempotent.

Later apps add their own demo data in `<app>/demo.py` with a `seed()` function; the
`seed_demo` command runs this module first, then theirs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.db import transaction

from .calendar import prefill_calendar
from .models import (
    BudgetYear,
    BudgetYearStatus,
    CalendarEvent,
    EventKind,
    MandatePeriod,
    OrganisationUnit,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from .roles import (
    ADMINISTRATOR,
    BUDGETBEREDNING,
    EKONOM,
    EKONOMICHEF,
    ENHETSCHEF,
    FORVALTNINGSCHEF,
    KF_LEDAMOT,
    KOMMUNDIREKTOR,
    KOMMUNSEKRETERARE,
    KS_LEDAMOT,
    KSAU_LEDAMOT,
    MEDARBETARE,
    NAMNDLEDAMOT,
    NAMNDORDFORANDE,
    NAMNDSEKRETERARE,
    PRESIDIUM,
    REVISOR,
    ensure_standard_roles,
)

PREVIOUS_PERIOD = ("2022–2026", dt.date(2022, 10, 15), dt.date(2026, 10, 14))
CURRENT_PERIOD = ("2026–2030", dt.date(2026, 10, 15), dt.date(2030, 10, 14))
OFFICIALS_SINCE = dt.date(2021, 1, 1)
BUDGET_YEARS = {
    2025: BudgetYearStatus.CLOSED,
    2026: BudgetYearStatus.RUNNING,
    2027: BudgetYearStatus.PLANNING,
}

# The kommun's organisation number: the demo ledger file (demo/sie/) carries the same #ORGNR.
MUNICIPALITY_ORGANISATION_NUMBER = "212000-9999"

# (key, name, short name, kind, parent key, ownership share)
UNITS: tuple[tuple, ...] = (
    ("kommun", "Ekbacka kommun", "", UnitKind.KOMMUN, None, None),
    ("kf", "Kommunfullmäktige", "KF", UnitKind.KF, "kommun", None),
    ("revision", "Kommunrevisionen", "", UnitKind.REVISION, "kf", None),
    ("ks", "Kommunstyrelsen", "KS", UnitKind.KS, "kf", None),
    ("ksau", "Kommunstyrelsens arbetsutskott", "KSAU", UnitKind.KSAU, "ks", None),
    ("klf", "Kommunledningsförvaltningen", "KLF", UnitKind.FORVALTNING, "ks", None),
    ("ekonomi", "Ekonomiavdelningen", "", UnitKind.ENHET, "klf", None),
    ("hr", "HR-avdelningen", "", UnitKind.ENHET, "klf", None),
    ("bun", "Barn- och utbildningsnämnden", "BUN", UnitKind.NAMND, "kf", None),
    ("buf", "Barn- och utbildningsförvaltningen", "BUF", UnitKind.FORVALTNING, "bun", None),
    ("ekbackaskolan", "Ekbackaskolan F–6", "", UnitKind.ENHET, "buf", None),
    ("aspaskolan", "Aspaskolan 7–9", "", UnitKind.ENHET, "buf", None),
    ("ekorren", "Förskolan Ekorren", "", UnitKind.ENHET, "buf", None),
    ("sn", "Socialnämnden", "SN", UnitKind.NAMND, "kf", None),
    ("sof", "Socialförvaltningen", "SOF", UnitKind.FORVALTNING, "sn", None),
    ("hemtjanst", "Hemtjänsten", "", UnitKind.ENHET, "sof", None),
    ("lindgarden", "Lindgårdens särskilda boende", "", UnitKind.ENHET, "sof", None),
    ("ifo", "Individ- och familjeomsorgen", "IFO", UnitKind.ENHET, "sof", None),
    ("sbn", "Samhällsbyggnadsnämnden", "SBN", UnitKind.NAMND, "kf", None),
    ("sbf", "Samhällsbyggnadsförvaltningen", "SBF", UnitKind.FORVALTNING, "sbn", None),
    ("planbygg", "Plan och bygg", "", UnitKind.ENHET, "sbf", None),
    ("gatapark", "Gata och park", "", UnitKind.ENHET, "sbf", None),
    ("kfn", "Kultur- och fritidsnämnden", "KFN", UnitKind.NAMND, "kf", None),
    ("kff", "Kultur- och fritidsförvaltningen", "KFF", UnitKind.FORVALTNING, "kfn", None),
    ("bibliotek", "Biblioteket", "", UnitKind.ENHET, "kff", None),
    ("fritid", "Fritidsgården Kupolen", "", UnitKind.ENHET, "kff", None),
    ("stiftelse", "Stiftelsen Ekbackahem", "", UnitKind.STIFTELSE, "kommun", "100.00"),
    ("energi", "Ekbacka Energi AB", "", UnitKind.BOLAG, "kommun", "100.00"),
    # Owned together with two neighbouring municipalities.
    ("vatten", "Ekdalens Vatten AB", "", UnitKind.BOLAG, "kommun", "33.33"),
)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    title: str
    roles: tuple[tuple[str, str], ...]  # (role code, unit key)
    political: bool = False


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("admin", "Alva", "Admin", "Systemförvaltare", ((ADMINISTRATOR, "kommun"),)),
    DemoPerson(
        "kf.ordforande",
        "Karin",
        "Fjäll",
        "",
        ((NAMNDORDFORANDE, "kf"), (KF_LEDAMOT, "kf")),
        True,
    ),
    DemoPerson(
        "ks.ordforande",
        "Stefan",
        "Kvist",
        "Kommunstyrelsens ordförande",
        (
            (NAMNDORDFORANDE, "ks"),
            (KS_LEDAMOT, "ks"),
            (KSAU_LEDAMOT, "ksau"),
            (BUDGETBEREDNING, "ks"),
            (KF_LEDAMOT, "kf"),
        ),
        True,
    ),
    DemoPerson(
        "ksau.ledamot",
        "Amir",
        "Sandberg",
        "",
        ((KSAU_LEDAMOT, "ksau"), (KS_LEDAMOT, "ks"), (BUDGETBEREDNING, "ks")),
        True,
    ),
    DemoPerson(
        "bun.ordforande",
        "Britt",
        "Ulfsdotter",
        "",
        ((NAMNDORDFORANDE, "bun"), (PRESIDIUM, "bun"), (KF_LEDAMOT, "kf")),
        True,
    ),
    DemoPerson("bun.ledamot", "Bengt", "Larsson", "", ((NAMNDLEDAMOT, "bun"),), True),
    DemoPerson(
        "sn.ordforande",
        "Sara",
        "Nordin",
        "",
        ((NAMNDORDFORANDE, "sn"), (PRESIDIUM, "sn")),
        True,
    ),
    DemoPerson(
        "kommundirektor", "Kristina", "Dahl", "Kommundirektör", ((KOMMUNDIREKTOR, "klf"),)
    ),
    DemoPerson("ekonomichef", "Erik", "Holm", "Ekonomichef", ((EKONOMICHEF, "ekonomi"),)),
    DemoPerson("ekonom", "Elin", "Ström", "Controller", ((EKONOM, "ekonomi"),)),
    DemoPerson(
        "bun.forvaltningschef",
        "Björn",
        "Falk",
        "Förvaltningschef BUF",
        ((FORVALTNINGSCHEF, "buf"),),
    ),
    DemoPerson(
        "sn.forvaltningschef", "Sofia", "Fors", "Socialchef", ((FORVALTNINGSCHEF, "sof"),)
    ),
    DemoPerson(
        "enhetschef", "Eva", "Hedlund", "Rektor Ekbackaskolan", ((ENHETSCHEF, "ekbackaskolan"),)
    ),
    DemoPerson("medarbetare", "Maja", "Berg", "Lärare", ((MEDARBETARE, "ekbackaskolan"),)),
    DemoPerson("medarbetare2", "Mats", "Björk", "Undersköterska", ((MEDARBETARE, "hemtjanst"),)),
    DemoPerson("revisor", "Rut", "Viklund", "Förtroendevald revisor", ((REVISOR, "revision"),)),
    DemoPerson("sbn.ordforande", "Per", "Sjöberg", "", ((NAMNDORDFORANDE, "sbn"),), True),
    DemoPerson("kfn.ordforande", "Lena", "Krantz", "", ((NAMNDORDFORANDE, "kfn"),), True),
    DemoPerson(
        "sbn.forvaltningschef",
        "Olof",
        "Berglund",
        "Samhällsbyggnadschef",
        ((FORVALTNINGSCHEF, "sbf"),),
    ),
    DemoPerson(
        "kfn.forvaltningschef",
        "Hanna",
        "Lind",
        "Kultur- och fritidschef",
        ((FORVALTNINGSCHEF, "kff"),),
    ),
    DemoPerson(
        "bun.sekreterare", "Nils", "Eng", "Nämndsekreterare", ((NAMNDSEKRETERARE, "buf"),)
    ),
    DemoPerson(
        "kommunsekreterare", "Klara", "Sund", "Kommunsekreterare", ((KOMMUNSEKRETERARE, "klf"),)
    ),
    # Appointed by BUN's förvaltningschef to answer for one nämndmål (goals/demo.py).
    DemoPerson(
        "bun.malansvarig", "Ida", "Åberg", "Förstelärare Aspaskolan", ((MEDARBETARE, "aspaskolan"),)
    ),
)

# Politicians of the previous mandate period, so history shows who held what.
PREVIOUS_HOLDERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("gunnel.ek", "Gunnel", "Ek", NAMNDORDFORANDE, "bun"),
    ("kf.ordforande", "Karin", "Fjäll", KF_LEDAMOT, "kf"),
    ("ks.ordforande", "Stefan", "Kvist", KS_LEDAMOT, "ks"),
)

# Day of the month each body usually meets; moved to the next weekday.
MEETING_DAYS = {"kf": 22, "ks": 12, "ksau": 4, "bun": 15, "sn": 16, "sbn": 17, "kfn": 18}
MEETING_MONTHS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)

DEMO_LOGINS = tuple(person.username for person in DEMO_PEOPLE)


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "demo")


@transaction.atomic
def seed() -> dict[str, OrganisationUnit]:
    ensure_standard_roles()
    periods = _mandate_periods()
    units = _units()
    _people(units, periods)
    _budget_years(units, periods)
    return units


def _mandate_periods() -> dict[str, MandatePeriod]:
    periods = {}
    for key, (name, starts, ends) in (("previous", PREVIOUS_PERIOD), ("current", CURRENT_PERIOD)):
        periods[key], _ = MandatePeriod.objects.get_or_create(
            name=name, defaults={"starts_on": starts, "ends_on": ends}
        )
    return periods


def _units() -> dict[str, OrganisationUnit]:
    units: dict[str, OrganisationUnit] = {}
    for position, (key, name, short, kind, parent_key, share) in enumerate(UNITS):
        parent = units.get(parent_key) if parent_key else None
        unit = OrganisationUnit.objects.filter(name=name, kind=kind).first()
        if unit is None:
            unit = OrganisationUnit.objects.create(
                name=name,
                kind=kind,
                parent=parent,
                short_name=short,
                ownership_share=share,
                sort_order=position,
                organisation_number=(MUNICIPALITY_ORGANISATION_NUMBER
                                     if kind == UnitKind.KOMMUN else ""),
            )
        units[key] = unit
    return units


def _people(units, periods) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    password = demo_password()
    for person in DEMO_PEOPLE:
        user = _user(person.username, person.first_name, person.last_name, person.title, password)
        if person.username == "admin" and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save()
        for role_code, unit_key in person.roles:
            period = periods["current"] if person.political else None
            starts = CURRENT_PERIOD[1] if person.political else OFFICIALS_SINCE
            ends = CURRENT_PERIOD[2] if person.political else None
            RoleAssignment.objects.get_or_create(
                user=user,
                role=roles[role_code],
                unit=units[unit_key],
                valid_from=starts,
                defaults={"valid_to": ends, "mandate_period": period},
            )
    for username, first, last, role_code, unit_key in PREVIOUS_HOLDERS:
        user = _user(username, first, last, "", password)
        RoleAssignment.objects.get_or_create(
            user=user,
            role=roles[role_code],
            unit=units[unit_key],
            valid_from=PREVIOUS_PERIOD[1],
            defaults={"valid_to": PREVIOUS_PERIOD[2], "mandate_period": periods["previous"]},
        )


def _user(username: str, first: str, last: str, title: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        title=title,
        email=f"{username}@ekbacka.example",
    )
    user.set_password(password)
    user.save()
    return user


def _budget_years(units, periods) -> None:
    for year, status in BUDGET_YEARS.items():
        period = periods["current"] if year >= 2027 else periods["previous"]
        budget_year, _ = BudgetYear.objects.get_or_create(
            year=year, defaults={"status": status, "mandate_period": period}
        )
        prefill_calendar(budget_year=budget_year)
        _meetings(budget_year, units)


def _meetings(budget_year: BudgetYear, units) -> None:
    existing = set(
        CalendarEvent.objects.filter(budget_year=budget_year, kind=EventKind.MEETING).values_list(
            "unit_id", "date"
        )
    )
    new_meetings = []
    for key, day in MEETING_DAYS.items():
        body = units[key]
        for month in MEETING_MONTHS:
            date = _weekday_on_or_after(dt.date(budget_year.year, month, day))
            if (body.pk, date) in existing:
                continue
            new_meetings.append(
                CalendarEvent(
                    budget_year=budget_year,
                    kind=EventKind.MEETING,
                    unit=body,
                    date=date,
                    title=f"Sammanträde {body.short_name or body.name}",
                    rule="F3" if body.kind == UnitKind.NAMND else "",
                )
            )
    for meeting in new_meetings:
        meeting.save()


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day
