"""Demo deviation cases for Ekbacka kommun (idempotent). Socialnämnden's forecast went over the
limit in April: that case ran its course (measures, the nämnd's decision in June, KSAU
informed, the effect reported in August) and was closed when the forecast came back within
1 %. In October it went over again: the new case is at the stage where measures are written
and the nämnd's decision is due (D1-D5). The projects' forecasts give the investment cases
(D7, D8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budget.followup.selectors import namnd_followup
from styrmodell.models import BudgetYear, OrganisationUnit, User

from . import detection, services
from .models import Avvikelse, CaseStatus

OPENED = dt.date(2026, 11, 11)  # the day the October forecast was written
SPRING_OPENED = dt.date(2026, 5, 13)  # the April forecast
SPRING_MEASURES = (
    ("Två externa placeringar ersätts med familjehemsvård när avtalen löper ut i juni.",
     "1600000", "Enhetschef barn och unga"),
    ("Hemtjänstens planering samordnas mellan områdena; övertid begränsas.", "900000",
     "Enhetschef hemtjänst"),
)
MEASURES = (
    ("Vakanser inom IFO:s administration hålls obesatta resten av året.", "650000",
     "Avdelningschef IFO"),
    ("Två externa placeringar ersätts med förstärkt familjehemsvård på hemmaplan.", "1900000",
     "Enhetschef barn och unga"),
    ("Inköpsstopp för inventarier och utbildning utöver lagkrav.", "400000",
     "Socialchefen"),
)


@transaction.atomic
def seed() -> None:
    sn = OrganisationUnit.objects.filter(name="Socialnämnden").first()
    year = BudgetYear.objects.filter(year=2026).first()
    if sn is None or year is None or Avvikelse.objects.exists():
        return
    _spring_case(sn, year)
    _deficit_case(sn, year)
    detection.scan_investments(OPENED)


def _spring_case(sn: OrganisationUnit, year: BudgetYear) -> None:
    """The April case as it was closed in September (written as it stood then: today's
    October forecast would not let it close)."""
    april = next((row for row in namnd_followup(namnd=sn, budget_year=year).forecasts
                  if row.forecast.period == "apr"), None)
    people = {u.username: u for u in User.objects.filter(
        username__in=["sn.forvaltningschef", "sn.ordforande", "ekonomichef"])}
    if april is None or april.variance is None or len(people) < 3:
        return
    case = detection.open_deficit_case(variance=april.variance, today=SPRING_OPENED)
    if case is None:
        return
    chef = people["sn.forvaltningschef"]
    for description, effect, responsible in SPRING_MEASURES:
        services.add_measure(case=case, author=chef, description=description,
                             expected_effect=Decimal(effect), responsible=responsible)
    services.record_ksau_informed(case=case, chair=people["sn.ordforande"],
                                  on=dt.date(2026, 5, 25), today=dt.date(2026, 5, 25))
    services.record_decision(
        case=case, recorder=people["sn.ordforande"], decided_on=dt.date(2026, 6, 16),
        paragraph="52", text="Nämnden beslutar om förvaltningens åtgärder för en budget i "
                             "balans och uppdrar åt förvaltningen att redovisa effekten i "
                             "delårsrapporten.", today=dt.date(2026, 6, 16))
    services.record_reported_to_ks(case=case, on=dt.date(2026, 6, 22), today=dt.date(2026, 6, 22))
    services.add_effect_report(
        case=case, author=chef, period="aug", assessment="tillrackliga",
        expected_effect=Decimal("2500000"),
        comment="Placeringarna har avslutats enligt plan och övertiden har minskat. Prognosen "
                "är åter inom 1 % av ramen.")
    case.measures.update(created_at=timezone.make_aware(dt.datetime(2026, 5, 22, 9)))
    case.refresh_from_db()
    case.status, case.closed_on, case.closed_by = (CaseStatus.CLOSED, dt.date(2026, 9, 21),
                                                   people["ekonomichef"])
    case.closing_note = ("Delårsrapportens prognos, −0,90 % av ramen, är inom gränsen för ett "
                         "väsentligt underskott. Åtgärderna har gett avsedd effekt.")
    case.save()


def _deficit_case(sn: OrganisationUnit, year: BudgetYear) -> None:
    latest = namnd_followup(namnd=sn, budget_year=year).latest
    if latest is None or latest.variance is None:
        return
    case = detection.open_deficit_case(variance=latest.variance, today=OPENED)
    chef = User.objects.filter(username="sn.forvaltningschef").first()
    if case is None or chef is None:
        return
    for description, effect, responsible in MEASURES:
        services.add_measure(case=case, author=chef, description=description,
                             expected_effect=Decimal(effect), responsible=responsible)
    services.add_opinion(
        case=case, author=chef, proposal="Utökad öppettid på träffpunkten för äldre i december",
        opinion="Förslaget saknar finansiering inom ramen och bedöms öka underskottet med "
                "0,2 mnkr. Förvaltningschefen avstyrker.",
        meeting_on=dt.date(2026, 11, 16), today=dt.date(2026, 11, 16))
