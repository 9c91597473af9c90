"""The demo municipality grown in its own benchmark database: nämnder copied from the demo's
(`grow_municipality`), then enheter, people with roles, medarbetarplaner, outcome rows,
investment projects and deviation cases up to big-city counts (`grow_to_big_city`), all with
bulk inserts. Shared by the benchmark scripts beside it; not part of the application.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from dataclasses import dataclass
from decimal import Decimal


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's own database (and no other)."""
    import psycopg

    match = re.fullmatch(r"(postgres(?:ql)?://[^/]*)/([A-Za-z0-9_]+)", url)
    if not match or not match.group(2).startswith("styrmodell_bench"):
        sys.exit(f"Refusing to drop {url!r}: give a database whose name starts styrmodell_bench")
    server, name = match.groups()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def copies(rows, **changes) -> list:
    """Unsaved copies of model instances with some fields changed."""
    copies = []
    for row in rows:
        row.pk = None
        row.id = None
        row._state.adding = True
        for name, value in changes.items():
            setattr(row, name, value(row) if callable(value) else value)
        copies.append(row)
    return copies


def grow_municipality(period, namnder: int) -> int:
    """Adds nämnder copied from those with a section in `period` until the report has
    `namnder` sections; returns how many were added."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from budget.models import (
        Driftbudgetram,
        FrameStage,
        Investeringsprojekt,
        Prognos,
        Prognosrad,
        Ramrad,
        Utfall,
        Verksamhet,
        Volymmatt,
        Volymuppfoljning,
    )
    from goals.models import DecisionStatus, Malbedomning, Namndmal
    from reporting.models import Rapportavsnitt
    from styrmodell.models import OrganisationUnit, UnitKind
    from styrmodell.services import create_unit

    sources = [s.namnd for s in period.sections.select_related("namnd").order_by("namnd__path")]
    extra = max(namnder - len(sources), 0)
    kf = OrganisationUnit.objects.get(kind=UnitKind.KF)
    year = period.budget_year
    with transaction.atomic():
        for number in range(1, extra + 1):
            source = sources[(number - 1) % len(sources)]
            unit = create_unit(name=f"{source.name} {number + 1}", kind=UnitKind.NAMND,
                               parent=kf, short_name=f"N{number:02d}",
                               sort_order=100 + number)
            # The decided frame and its lines.
            for frame in Driftbudgetram.objects.filter(namnd=source, budget_year=year,
                                                       stage=FrameStage.DECIDED):
                lines = list(frame.lines.all())
                frame.pk = None
                frame._state.adding = True
                frame.namnd = unit
                frame.save()
                Ramrad.objects.bulk_create(copies(lines, frame=frame))
            # Verksamheter, outcome and forecasts (with their lines per verksamhet).
            old_verksamheter = list(Verksamhet.objects.filter(namnd=source).order_by("pk"))
            old_ids = [v.pk for v in old_verksamheter]
            new_verksamheter = bulk_create_with_history(
                copies(old_verksamheter, namnd=unit), Verksamhet)
            if any(v.pk is None for v in new_verksamheter):  # backends without RETURNING
                new_verksamheter = list(Verksamhet.objects.filter(namnd=unit).order_by("pk"))
            verksamhet = dict(zip(old_ids, (v.pk for v in new_verksamheter), strict=True))
            Utfall.objects.bulk_create(copies(
                Utfall.objects.filter(namnd=source, year=year.year), namnd=unit,
                verksamhet_id=lambda row, ids=verksamhet: ids.get(row.verksamhet_id)),
                batch_size=2000)
            for forecast in Prognos.objects.filter(namnd=source, budget_year=year):
                lines = list(forecast.lines.all())
                forecast.pk = None
                forecast._state.adding = True
                forecast.namnd = unit
                forecast.save()
                bulk_create_with_history(copies(
                    lines, prognos=forecast,
                    verksamhet_id=lambda row, ids=verksamhet: ids[row.verksamhet_id]), Prognosrad)
            # Adopted nämndmål of the year with their assessments and key-figure links.
            for goal in Namndmal.objects.filter(namnd=source, budget_year=year,
                                                status=DecisionStatus.ADOPTED):
                assessments = list(goal.assessments.all())
                figures = list(goal.key_figures.all())
                goal.pk = None
                goal._state.adding = True
                goal.namnd = unit
                goal.save()
                goal.key_figures.set(figures)
                bulk_create_with_history(copies(assessments, namndmal=goal), Malbedomning)
            # Investment projects running in the year, with their yearly figures.
            for project in Investeringsprojekt.objects.filter(
                    namnd=source, start_year__lte=year.year, end_year__gte=year.year):
                children = {name: list(getattr(project, name).all())
                            for name in ("appropriations", "ombudgeteringar", "outcomes",
                                         "forecasts")}
                project.pk = None
                project._state.adding = True
                project.namnd = unit
                project.save()
                for name, rows in children.items():
                    model = type(project).__dict__[name].rel.related_model
                    bulk_create_with_history(copies(rows, project=project), model)
            # Activity volumes of the year with their follow-ups.
            for measure in Volymmatt.objects.filter(namnd=source, budget_year=year):
                followups = list(measure.followups.all())
                measure.pk = None
                measure._state.adding = True
                measure.namnd = unit
                measure.save()
                bulk_create_with_history(copies(followups, measure=measure), Volymuppfoljning)
            # Its section of the report, with the source's texts.
            section = Rapportavsnitt.objects.get(period=period, namnd=source)
            section.pk = None
            section._state.adding = True
            section.namnd = unit
            section.save()
    return extra


def database_exists(url: str) -> bool:
    """Whether the benchmark's own database is there already (for reusing a grown one)."""
    import psycopg

    server, name = re.fullmatch(r"(postgres(?:ql)?://[^/]*)/([A-Za-z0-9_]+)", url).groups()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() \
            is not None


@dataclass(frozen=True)
class CitySize:
    """How much of each the grown municipality has, at least (the issue's figures)."""

    namnder: int = 30
    enheter: int = 3_000
    enhetsmal: int = 3_000
    people: int = 51_700
    plans: int = 48_000
    outcome_rows: int = 256_000
    projects: int = 1_000
    cases: int = 530


BIG_CITY = CitySize()
BATCH = 2_000
PEOPLE_PER_CHUNK = 5_000
YEAR = 2026
POLITICIANS_PER_NAMND = 11
FIRST_NAMES = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per",
               "Lena", "Mikael", "Kerstin", "Nils", "Ingrid", "Olof", "Emma", "Hassan", "Fatima")
LAST_NAMES = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
              "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Ali")


def city_counts() -> dict[str, int]:
    """The counts `CitySize` speaks of, as they are in the database now."""
    from budget.models import Investeringsprojekt, Utfall
    from deviations.models import Avvikelse
    from goals.models import Enhetsmal, Medarbetarplan
    from styrmodell.models import OrganisationUnit, UnitKind, User

    return {
        "namnder": OrganisationUnit.objects.filter(kind=UnitKind.NAMND).count()
        + OrganisationUnit.objects.filter(kind=UnitKind.KS).count(),
        "enheter": OrganisationUnit.objects.filter(kind=UnitKind.ENHET).count(),
        "enhetsmal": Enhetsmal.objects.count(),
        "people": User.objects.count(),
        "plans": Medarbetarplan.objects.count(),
        "outcome_rows": Utfall.objects.count(),
        "projects": Investeringsprojekt.objects.count(),
        "cases": Avvikelse.objects.count(),
    }


def is_grown(size: CitySize = BIG_CITY) -> bool:
    counts = city_counts()
    return all(counts[name] >= getattr(size, name) for name in counts)


def clone(row, **changes):
    """An unsaved copy of one model instance (the original is left as it is)."""
    import copy

    from django.db.models.base import ModelState

    new = copy.copy(row)
    new._state = ModelState()
    new.pk = None
    new.id = None
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def grow_to_big_city(period, size: CitySize = BIG_CITY, log=print) -> float:
    """Grows the seeded demo to `size`, step by step (each in its own transaction, each a no-op
    when its count is reached already); returns the seconds it took."""
    from django.db import transaction

    steps = (
        ("nämnder (with frames, outcome, forecasts, goals, projects, sections)",
         lambda: grow_municipality(period, size.namnder)),
        ("enheter", lambda: grow_enheter(size.enheter)),
        ("enhetsmål", lambda: grow_enhetsmal(size.enhetsmal)),
        ("people with role assignments", lambda: grow_people(size.people)),
        ("medarbetarplaner", lambda: grow_plans(size.plans)),
        ("outcome rows", lambda: grow_outcome(size.outcome_rows)),
        ("outcome month totals", _count_outcome_totals),
        ("investment projects", lambda: grow_projects(size.projects)),
        ("deviation cases", lambda: grow_cases(size.cases)),
        ("planner statistics (ANALYZE)", _analyze),
    )
    started = time.perf_counter()
    for label, step in steps:
        step_started = time.perf_counter()
        with transaction.atomic():
            added = step()
        log(f"   {label}: +{added} in {time.perf_counter() - step_started:.1f} s")
    return time.perf_counter() - started


def _analyze() -> int:
    """Statistics for the query planner, as autovacuum keeps them on a database in use: right
    after bulk inserts (or where autovacuum is off) the planner would take every grown table
    for the few rows it had. Returns 0 (it adds nothing)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return 0


def _forvaltningar() -> list:
    """Each nämnd's (and KS's) förvaltning, made for the copied nämnder that have none."""
    from styrmodell.models import OrganisationUnit, UnitKind
    from styrmodell.services import create_unit

    found = []
    for namnd in OrganisationUnit.objects.filter(
            kind__in=[UnitKind.NAMND, UnitKind.KS]).order_by("path"):
        forvaltning = OrganisationUnit.objects.filter(
            parent=namnd, kind=UnitKind.FORVALTNING).order_by("path").first()
        if forvaltning is None:
            forvaltning = create_unit(name=f"Förvaltningen under {namnd.name}",
                                      kind=UnitKind.FORVALTNING, parent=namnd,
                                      short_name=f"F-{namnd.short_name}"[:20])
        found.append(forvaltning)
    return found


def grow_enheter(total: int) -> int:
    """Enheter spread evenly over the förvaltningar; their tree paths set as the model sets
    them (the parent's path and the unit's own zero-padded id)."""
    from simple_history.utils import bulk_create_with_history

    from styrmodell.models import PATH_SEGMENT_WIDTH, OrganisationUnit, UnitKind

    missing = total - OrganisationUnit.objects.filter(kind=UnitKind.ENHET).count()
    if missing <= 0:
        return 0
    forvaltningar = _forvaltningar()
    units = bulk_create_with_history([
        OrganisationUnit(name=f"Enhet {number + 1:04d} {parent.short_name}".strip(),
                         kind=UnitKind.ENHET, parent=parent, sort_order=1000 + number)
        for number, parent in ((n, forvaltningar[n % len(forvaltningar)])
                               for n in range(missing))
    ], OrganisationUnit, batch_size=BATCH)
    for unit in units:
        unit.path = f"{unit.parent.path}{unit.pk:0{PATH_SEGMENT_WIDTH}d}/"
    OrganisationUnit.objects.bulk_update(units, ["path"], batch_size=BATCH)
    return missing


def _namnd_of(path: str, namnd_ids: set[int]) -> int | None:
    for segment in path.strip("/").split("/"):
        if int(segment) in namnd_ids:
            return int(segment)
    return None


def grow_enhetsmal(total: int) -> int:
    """Enhetsmål under the adopted nämndmål of each enhet's nämnd, spread over the enheter
    (those with fewest first)."""
    from django.db.models import Count
    from simple_history.utils import bulk_create_with_history

    from goals.models import DecisionStatus, Enhetsmal, Namndmal
    from styrmodell.models import OrganisationUnit, UnitKind

    missing = total - Enhetsmal.objects.count()
    if missing <= 0:
        return 0
    goals: dict[int, list[int]] = {}
    for goal_id, namnd_id in Namndmal.objects.filter(
            budget_year__year=YEAR, status=DecisionStatus.ADOPTED).values_list("pk", "namnd_id"):
        goals.setdefault(namnd_id, []).append(goal_id)
    with_goals = set(goals)
    enheter = [(enhet_id, name, goals[namnd_id]) for enhet_id, path, name in
               OrganisationUnit.objects.filter(kind=UnitKind.ENHET)
               .annotate(goal_count=Count("enhet_goals")).order_by("goal_count", "path")
               .values_list("pk", "path", "name")
               if (namnd_id := _namnd_of(path, with_goals)) is not None]
    rows = []
    for number in range(missing):
        enhet_id, name, candidates = enheter[number % len(enheter)]
        goal_id = candidates[(number + number // len(enheter)) % len(candidates)]
        rows.append(Enhetsmal(enhet_id=enhet_id, namndmal_id=goal_id,
                              title=f"{name}: bidra till nämndens mål"))
    bulk_create_with_history(rows, Enhetsmal, batch_size=BATCH)
    return len(rows)


def grow_people(total: int) -> int:
    """People with their role assignment: an enhetschef for each enhet that has none, eleven
    ledamöter for each nämnd that has none, and medarbetare spread over the enheter."""
    from django.contrib.auth.hashers import make_password
    from simple_history.utils import bulk_create_with_history

    from styrmodell.demo import CURRENT_PERIOD, OFFICIALS_SINCE
    from styrmodell.models import (
        MandatePeriod,
        OrganisationUnit,
        Role,
        RoleAssignment,
        UnitKind,
        User,
    )
    from styrmodell.roles import ENHETSCHEF, MEDARBETARE, NAMNDLEDAMOT

    have = User.objects.count()
    if have >= total:
        return 0
    roles = {role.code: role for role in Role.objects.filter(
        code__in=[ENHETSCHEF, MEDARBETARE, NAMNDLEDAMOT])}
    mandate = MandatePeriod.objects.get(name=CURRENT_PERIOD[0])
    enheter = list(OrganisationUnit.objects.filter(kind=UnitKind.ENHET).order_by("path"))
    without_chef = OrganisationUnit.objects.filter(kind=UnitKind.ENHET).exclude(
        assignments__role__code=ENHETSCHEF).order_by("path")
    without_ledamot = OrganisationUnit.objects.filter(kind=UnitKind.NAMND).exclude(
        assignments__role__code=NAMNDLEDAMOT).order_by("path")
    holders = [(ENHETSCHEF, unit) for unit in without_chef] + [
        (NAMNDLEDAMOT, namnd) for namnd in without_ledamot for _ in range(POLITICIANS_PER_NAMND)]
    missing = total - have
    holders = holders[:missing]
    holders += [(MEDARBETARE, enheter[n % len(enheter)]) for n in range(missing - len(holders))]
    password = make_password(None)  # nobody logs in as them
    titles = {ENHETSCHEF: "Enhetschef", MEDARBETARE: "Medarbetare", NAMNDLEDAMOT: ""}
    for start in range(0, len(holders), PEOPLE_PER_CHUNK):
        chunk = holders[start:start + PEOPLE_PER_CHUNK]
        users = bulk_create_with_history([
            User(username=f"p{have + start + n:06d}", password=password,
                 first_name=FIRST_NAMES[(start + n) % len(FIRST_NAMES)],
                 last_name=LAST_NAMES[(start + n) // len(FIRST_NAMES) % len(LAST_NAMES)],
                 title=titles[code], email=f"p{have + start + n:06d}@ekbacka.example")
            for n, (code, _unit) in enumerate(chunk)], User, batch_size=BATCH)
        bulk_create_with_history([
            RoleAssignment(user=user, role=roles[code], unit=unit,
                           **({"valid_from": CURRENT_PERIOD[1], "valid_to": CURRENT_PERIOD[2],
                               "mandate_period": mandate} if code == NAMNDLEDAMOT
                              else {"valid_from": OFFICIALS_SINCE}))
            for user, (code, unit) in zip(users, chunk, strict=True)],
            RoleAssignment, batch_size=BATCH)
    return missing


def grow_plans(total: int) -> int:
    """A medarbetarplan of the year for medarbetare who have none, agreed with their
    enhet's chef."""
    from simple_history.utils import bulk_create_with_history

    from goals.models import Medarbetarplan
    from styrmodell.models import BudgetYear, RoleAssignment
    from styrmodell.roles import ENHETSCHEF, MEDARBETARE

    missing = total - Medarbetarplan.objects.count()
    if missing <= 0:
        return 0
    year = BudgetYear.objects.get(year=YEAR)
    chef = dict(RoleAssignment.objects.filter(role__code=ENHETSCHEF).order_by("-pk")
                .values_list("unit_id", "user_id"))
    employees = (RoleAssignment.objects.filter(role__code=MEDARBETARE, unit_id__in=list(chef))
                 .exclude(user__plans__budget_year=year).order_by("pk")
                 .values_list("user_id", "unit_id"))
    rows = [Medarbetarplan(employee_id=user_id, chef_id=chef[unit_id], enhet_id=unit_id,
                           budget_year=year, agreed_on=dt.date(YEAR, 2, 15))
            for user_id, unit_id in employees[:missing]]
    bulk_create_with_history(rows, Medarbetarplan, batch_size=BATCH)
    return len(rows)


def _count_outcome_totals() -> int:
    """The copied nämnder's and the grown rows' month totals, as the import keeps them."""
    from budget.ledger.totals import refresh_every_year

    return refresh_every_year()


def grow_outcome(total: int) -> int:
    """More outcome rows of the year on the accounts, verksamheter and months that have some,
    in pairs of +100 and −100 kr, so that every sum (and so every forecast and case) stays."""
    from budget.models import Utfall

    missing = total - Utfall.objects.count()
    if missing <= 0:
        return 0
    keys = list(Utfall.objects.filter(year=YEAR).order_by("pk")
                .values_list("namnd_id", "verksamhet_id", "konto_id", "month"))
    chunk = []
    for number in range(missing):
        namnd_id, verksamhet_id, konto_id, month = keys[number // 2 % len(keys)]
        last_unpaired = number == missing - 1 and number % 2 == 0
        amount = Decimal("0.00") if last_unpaired else Decimal(100 if number % 2 == 0 else -100)
        chunk.append(Utfall(namnd_id=namnd_id, verksamhet_id=verksamhet_id, konto_id=konto_id,
                            year=YEAR, month=month, amount=amount))
        if len(chunk) == 10 * BATCH:
            Utfall.objects.bulk_create(chunk, batch_size=BATCH)
            chunk = []
    Utfall.objects.bulk_create(chunk, batch_size=BATCH)
    return missing


PROJECT_CHILDREN = ("appropriations", "ombudgeteringar", "outcomes", "forecasts")


def grow_projects(total: int) -> int:
    """Copies of the projects running in the year (with their yearly figures), round-robin."""
    from simple_history.utils import bulk_create_with_history

    from budget.models import Investeringsprojekt

    missing = total - Investeringsprojekt.objects.count()
    if missing <= 0:
        return 0
    sources = list(Investeringsprojekt.objects.filter(start_year__lte=YEAR, end_year__gte=YEAR)
                   .order_by("pk").prefetch_related(*PROJECT_CHILDREN))
    picked = [sources[n % len(sources)] for n in range(missing)]
    projects = bulk_create_with_history(
        [clone(source, name=f"{source.name[:140]} ({n + 1})") for n, source in enumerate(picked)],
        Investeringsprojekt, batch_size=BATCH)
    for name in PROJECT_CHILDREN:
        model = Investeringsprojekt.__dict__[name].rel.related_model
        bulk_create_with_history(
            [clone(child, project=project) for source, project in zip(picked, projects,
                                                                       strict=True)
             for child in getattr(source, name).all()], model, batch_size=BATCH)
    return missing


def grow_cases(total: int) -> int:
    """Investment cases on projects that have none, copied from the demo's investment cases;
    every third one closed."""
    from simple_history.utils import bulk_create_with_history

    from budget.models import Investeringsprojekt
    from deviations.models import Avvikelse, CaseKind, CaseStatus

    missing = total - Avvikelse.objects.count()
    if missing <= 0:
        return 0
    templates = list(Avvikelse.objects.filter(kind=CaseKind.INVESTMENT).order_by("pk"))
    projects = Investeringsprojekt.objects.exclude(pk__in=Avvikelse.objects.filter(
        project__isnull=False).values("project_id")).order_by("pk")[:missing]
    rows = []
    for number, project in enumerate(projects):
        closed = number % 3 == 2
        rows.append(clone(
            templates[number % len(templates)], project=project, namnd_id=project.namnd_id,
            budget_amount=project.total_budget,
            forecast_amount=(project.total_budget * Decimal("1.1")).quantize(Decimal("0.01")),
            status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
            closed_on=dt.date(YEAR, 11, 30) if closed else None,
            closing_note="Slutkostnadsprognosen ligger inom budget igen." if closed else ""))
    bulk_create_with_history(rows, Avvikelse, batch_size=BATCH)
    return len(rows)
