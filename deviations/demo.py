"""Demo deviation cases for Ekbacka kommun (idempotent): Socialnämnden's väsentligt underskott
from the October follow-up, at the stage where measures are written and the nämnd's decision
is due (D1-D5), and the investment cases the projects' forecasts call for (D7, D8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from budget.followup import namnd_followup
from styrmodell.models import BudgetYear, OrganisationUnit, User

from . import detection, services
from .models import Avvikelse

OPENED = dt.date(2026, 11, 11)  # the day the October forecast was written
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
    _deficit_case(sn, year)
    detection.scan_investments(OPENED)


def _deficit_case(sn: OrganisationUnit, year: BudgetYear) -> None:
    latest = namnd_followup(namnd=sn, budget_year=year).latest
    if latest is None or latest.deviation is None:
        return
    case = detection.open_deficit_case(
        namnd=sn, budget_year=year, period=latest.forecast.period,
        frame=latest.deviation.frame, forecast=latest.deviation.forecast, today=OPENED)
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
