"""Demo reports of Ekbacka kommun: 2025's follow-ups and årsredovisning approved by KF,
2026's February and April follow-ups approved, the August delårsrapport in progress (some
sections submitted, one returned with a comment) and October's just opened. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from styrmodell.models import CalendarEvent, FollowUpPeriod, User
from styrmodell.versioning import current_version

from . import demo_municipality, reports
from .models import PeriodStatus, Rapportavsnitt, Rapportperiod, SectionStatus

TODAY = dt.date(2026, 11, 25)
WRITERS = {"BUN": "bun.forvaltningschef", "SN": "sn.forvaltningschef",
           "SBN": "sbn.forvaltningschef", "KFN": "kfn.forvaltningschef", "KS": "kommundirektor"}
CHAIRS = {"BUN": "bun.ordforande", "SN": "sn.ordforande", "SBN": "sbn.ordforande",
          "KFN": "kfn.ordforande", "KS": "ks.ordforande"}
SUMMARIES = {
    "BUN": "Verksamheten följer planen. Elevernas resultat i årskurs 9 förbättras och "
           "kostnaderna för förskolan ligger i nivå med budget.",
    "SN": "Hemtjänstens volymer fortsätter att öka och placeringskostnaderna inom IFO ligger "
          "över budget. Åtgärder pågår för att minska underskottet.",
    "SBN": "Planarbetet går enligt tidplan. Vinterväghållningen blev dyrare än beräknat men "
           "vägs upp av högre intäkter från bygglov.",
    "KFN": "Biblioteket och fritidsgården har haft fler besökare än föregående år. Ekonomin är "
           "i balans.",
    "KS": "Kommunledningsförvaltningen håller sin ram. Digitaliseringsarbetet har tagit fart.",
}
CONCLUSION = ("Förvaltningen bedömer att nämndens mål i huvudsak nås. Arbetet med de mål som "
              "bedömts delvis uppfyllda prioriteras resten av året.")
COMPILED_SUMMARY = ("Kommunens ekonomi är i balans. Nämndernas samlade prognos ligger nära "
                    "ramarna.")
# The finance office's summaries, coherent with the financial goals' follow-up
# (reporting/demo_municipality.py) and the budget demo's frames, forecasts and outcome.
COMPILED_SUMMARIES = {
    (2025, "ar"): "Kommunens resultat 2025 blev positivt, 10,9 mnkr eller 1,4 procent av skatter "
                  "och bidrag, men når inte målet om två procent. Nämnderna överskred sammantaget "
                  "sina ramar med 1,5 mnkr, främst inom Socialnämnden. Målen för "
                  "självfinansiering och soliditet nås. Stiftelsen Ekbackahem och Ekbacka Energi "
                  "AB redovisar överskott; Ekdalens Vatten AB ett mindre underskott som regleras "
                  "mot VA-kollektivet.",
    (2026, "feb"): "Nämndernas helårsprognoser visar ett underskott mot ramarna på 3,0 mnkr, "
                   "främst inom Socialnämnden och Barn- och utbildningsnämnden. Kommunens resultat "
                   "väntas bli positivt men något under målet om två procent.",
    (2026, "apr"): "Underskottet mot ramarna har ökat till 6,3 mnkr. Socialnämndens prognos "
                   "överskrider ramen med mer än en procent och nämnden har beslutat om åtgärder. "
                   "Kommunens resultat väntas fortfarande bli positivt, omkring 1,5 procent av "
                   "skatter och bidrag.",
}
CHALLENGES = ("Ny lagstiftning och ökade krav på samverkan i länet påverkar verksamheten de "
              "kommande åren.")


def _months_after_follow_ups() -> list[tuple[str, int]]:
    """The demo reports each follow-up in the month after the one it covers."""
    return [(period.value, period.last_month + 1)
            for period in FollowUpPeriod if period != FollowUpPeriod.YEAR]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _key(section: Rapportavsnitt) -> str:
    return section.namnd.short_name or section.namnd.name


def _write(section: Rapportavsnitt, *, extra: str = "") -> None:
    key = _key(section)
    reports.save_texts(section=section, version=current_version(section),
                       by=_user(WRITERS.get(key, "kommundirektor")),
                       summary=SUMMARIES.get(key, "Verksamheten följer planen.") + extra,
                       conclusion=CONCLUSION, priorities="Fortsatt arbete med målen.",
                       recommendation="Inga förändringar föreslås.",
                       future_challenges=CHALLENGES)


def _submit(section: Rapportavsnitt, on: dt.date) -> None:
    reports.submit(section=section, by=_user(WRITERS.get(_key(section), "kommundirektor")),
                   today=on)


def _approve(section: Rapportavsnitt, on: dt.date, paragraph: str) -> None:
    reports.decide(section=section, approve=True, decided_on=on, paragraph=paragraph, comment="",
                   by=_user(CHAIRS.get(_key(section), "ks.ordforande")))


def _approved_by_kf(period: Rapportperiod, *, submitted: dt.date, approved: dt.date,
                    compiled: dt.date, ks: dt.date, kf: dt.date) -> None:
    if period.status != PeriodStatus.OPEN:
        return
    for number, section in enumerate(period.sections.select_related("period", "namnd"), 1):
        if section.status in {SectionStatus.DRAFT, SectionStatus.RETURNED}:
            _write(section)
            _submit(section, submitted)
            section.refresh_from_db()
        if section.status == SectionStatus.SUBMITTED:
            _approve(section, approved, f"{number * 7}")

    reports.compile_report(period=period, version=current_version(period),
                           summary=COMPILED_SUMMARIES.get(
                               (period.budget_year.year, period.code), COMPILED_SUMMARY),
                           case_number=f"KS {period.budget_year.year}/{period.pk:03d}",
                           by=_user("ekonomichef"), today=compiled)
    reports.record_decision(period=period, body="ks", decided_on=ks, paragraph="112",
                            by=_user("kommunsekreterare"))
    reports.record_decision(period=period, body="kf", decided_on=kf, paragraph="45",
                            by=_user("kommunsekreterare"))


@transaction.atomic
def seed() -> None:
    # The demo's history: every report of 2025 and 2026 whose time has come, however long ago.
    for event in (CalendarEvent.objects.filter(budget_year__year__in=[2025, 2026],
                                               code__in=reports.CALENDAR_REPORTS,
                                               unit__isnull=True,
                                               date__lte=TODAY + dt.timedelta(days=45))
                  .select_related("budget_year")):
        reports.open_period(event=event, today=min(TODAY, event.date))
    periods = {(p.budget_year.year, p.code): p
               for p in Rapportperiod.objects.select_related("budget_year")}
    plan = {
        **{(2025, code): dict(submitted=dt.date(2025, month, 10), approved=dt.date(2025, month, 16),
                              compiled=dt.date(2025, month, 24), ks=dt.date(2025, month + 1, 12),
                              kf=dt.date(2025, month + 1, 22))
           for code, month in _months_after_follow_ups()},
        (2025, "ar"): dict(submitted=dt.date(2026, 2, 10), approved=dt.date(2026, 2, 25),
                           compiled=dt.date(2026, 3, 20), ks=dt.date(2026, 4, 7),
                           kf=dt.date(2026, 4, 27)),
        (2026, "feb"): dict(submitted=dt.date(2026, 3, 12), approved=dt.date(2026, 3, 18),
                            compiled=dt.date(2026, 3, 24), ks=dt.date(2026, 4, 13),
                            kf=dt.date(2026, 4, 27)),
        (2026, "apr"): dict(submitted=dt.date(2026, 5, 12), approved=dt.date(2026, 5, 19),
                            compiled=dt.date(2026, 5, 26), ks=dt.date(2026, 6, 12),
                            kf=dt.date(2026, 6, 22)),
    }
    # The finance office's part (financial goals, companies) is entered before it compiles.
    demo_municipality.seed(periods)
    for key, dates in plan.items():
        if key in periods:
            _approved_by_kf(periods[key], **dates)
    august = periods.get((2026, "aug"))
    if august is None or august.status != PeriodStatus.OPEN:
        return
    sections = {_key(s): s for s in august.sections.select_related("period", "namnd")}
    if any(s.status != SectionStatus.DRAFT for s in sections.values()):
        return  # already seeded
    for key in ("BUN", "SBN", "SN"):
        if key in sections:
            _write(sections[key])
            _submit(sections[key], dt.date(2026, 9, 14))
            sections[key].refresh_from_db()
    if "SN" in sections:
        reports.decide(section=sections["SN"], approve=False, decided_on=dt.date(2026, 9, 16),
                       paragraph="", by=_user("sn.ordforande"),
                       comment="Beskriv hur åtgärderna inom IFO ska minska underskottet och när "
                               "effekten väntas.")
    if "BUN" in sections:
        _approve(sections["BUN"], dt.date(2026, 9, 15), "88")
    if "KFN" in sections:
        _write(sections["KFN"])
