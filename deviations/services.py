"""What the people of a deviation case do: measures (D2), the nämnd's decision and its report
to KS (D3), the förvaltningschef's minuted opinion (D4), informing KSAU (D5), effect reports
(D6), informing the nämnd and reporting back to KF for investments (D7, D8), and closing.

Officials write measures, opinions and effects; politicians (or the secretary recording the
body) record decisions; neither edits the other's text (P1, P2): these services only add.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from budget.followup.selectors import namnd_followup
from styrmodell.errors import DomainError
from styrmodell.models import FOLLOW_UP_ORDER, BudgetYearStatus, User

from .models import Atgard, Avvikelse, CaseKind, CaseStatus, Effektrapport, Yttrande


def still_significant(case: Avvikelse) -> bool:
    """Whether the nämnd's latest forecast for a running year is still a väsentligt underskott
    (D1); a closed year's case may always be closed."""
    if case.budget_year.status != BudgetYearStatus.RUNNING:
        return False
    latest = namnd_followup(namnd=case.namnd, budget_year=case.budget_year).latest
    if latest is None or latest.variance is None:
        return False
    return latest.variance.is_significant_deficit


def _locked_open_case(case: Avvikelse) -> Avvikelse:
    case = Avvikelse.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("Ärendet är avslutat och kan inte ändras."))
    return case


def _required_text(value: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(_("Skriv %(what)s.") % {"what": what})
    return text


def _not_in_future(day: dt.date | None, today: dt.date, what: str) -> dt.date:
    if day is None:
        raise DomainError(_("Ange datum för %(what)s.") % {"what": what})
    if day > today:
        raise DomainError(_("Datum för %(what)s kan inte ligga i framtiden.") % {"what": what})
    return day


def _deficit_case(case: Avvikelse, what: str) -> None:
    if case.kind != CaseKind.DEFICIT:
        raise DomainError(_("%(what)s hör till ärenden om väsentligt underskott.") % {"what": what})


@transaction.atomic
def add_measure(*, case: Avvikelse, author: User, description: str, expected_effect: Decimal,
                responsible: str) -> Atgard:
    """D2: a measure towards a zero result at year-end, with its effect in kronor."""
    case = _locked_open_case(case)
    _deficit_case(case, _("Åtgärder"))
    if expected_effect is None or expected_effect < 0:
        raise DomainError(_("Ange åtgärdens förväntade effekt i kronor (0 eller mer)."))
    if case.decided_on:
        # The nämnd decided on the measures it was shown; new ones need a new decision (D6).
        raise DomainError(_("Nämnden har redan beslutat om åtgärderna. Redovisa behovet av nya "
                          "beslut i en effektrapport."))
    return Atgard.objects.create(
        case=case, written_by=author, description=_required_text(description, _("åtgärden")),
        expected_effect=expected_effect,
        responsible=_required_text(responsible, _("vem som är ansvarig")),
    )


@transaction.atomic
def record_decision(*, case: Avvikelse, recorder: User, decided_on: dt.date, paragraph: str,
                    text: str, today: dt.date) -> Avvikelse:
    """D3: the nämnd's decision on the measures, once, after they have been presented."""
    case = _locked_open_case(case)
    _deficit_case(case, _("Nämndens beslut om åtgärder"))
    if case.decided_on:
        raise DomainError(_("Nämndens beslut är redan registrerat."))
    if not case.measures.exists():
        raise DomainError(_("Förvaltningschefen har inte redovisat några åtgärder ännu; nämnden "
                          "beslutar om de åtgärder som redovisats."))
    case.decided_on = _not_in_future(decided_on, today, _("beslutet"))
    if case.decided_on < case.opened_on:
        raise DomainError(_("Beslutet kan inte vara fattat innan ärendet öppnades."))
    case.paragraph = _required_text(paragraph, _("paragrafen i protokollet"))
    case.decision_text = _required_text(text, _("vad nämnden beslutade"))
    case.decision_recorded_by = recorder
    case.save()
    return case


@transaction.atomic
def record_reported_to_ks(*, case: Avvikelse, on: dt.date, today: dt.date) -> Avvikelse:
    """D3: the nämnd's decision anmäls to KS for information."""
    case = _locked_open_case(case)
    if not case.decided_on:
        raise DomainError(_("Nämndens beslut måste vara registrerat innan det anmäls till KS."))
    if case.reported_to_ks_on:
        raise DomainError(_("Beslutet är redan anmält till KS."))
    case.reported_to_ks_on = _not_in_future(on, today, _("anmälan"))
    case.save()
    return case


@transaction.atomic
def add_opinion(*, case: Avvikelse, author: User, proposal: str, opinion: str,
                meeting_on: dt.date, today: dt.date) -> Yttrande:
    """D4: the förvaltningschef's minuted opinion on a proposal judged to lead to a deficit."""
    case = _locked_open_case(case)
    _deficit_case(case, _("Yttranden till protokollet"))
    return Yttrande.objects.create(
        case=case, written_by=author,
        proposal=_required_text(proposal, _("vilket förslag det gäller")),
        opinion=_required_text(opinion, _("yttrandet")),
        meeting_on=_not_in_future(meeting_on, today, _("sammanträdet")),
    )


@transaction.atomic
def record_opinion_reported(*, opinion: Yttrande, on: dt.date, today: dt.date) -> Yttrande:
    """D4: the protocol extract with the opinion is reported to KS."""
    opinion = Yttrande.objects.select_for_update().get(pk=opinion.pk)
    if opinion.reported_to_ks_on:
        raise DomainError(_("Protokollsutdraget är redan anmält till KS."))
    opinion.reported_to_ks_on = _not_in_future(on, today, _("anmälan"))
    opinion.save()
    return opinion


@transaction.atomic
def record_ksau_informed(*, case: Avvikelse, chair: User, on: dt.date,
                         today: dt.date) -> Avvikelse:
    """D5 (and D7): the nämnd's ordförande has informed KSAU."""
    case = _locked_open_case(case)
    if case.ksau_informed_on:
        raise DomainError(_("Det är redan registrerat att KSAU har informerats."))
    case.ksau_informed_on = _not_in_future(on, today, _("informationen"))
    if case.ksau_informed_on < case.opened_on:
        raise DomainError(_("KSAU kan inte ha informerats innan ärendet öppnades."))
    case.ksau_informed_by = chair
    case.save()
    return case


@transaction.atomic
def record_namnd_informed(*, case: Avvikelse, on: dt.date, today: dt.date) -> Avvikelse:
    """D7: an expected investment overrun is reported to the nämnd."""
    case = _locked_open_case(case)
    if case.kind != CaseKind.INVESTMENT:
        raise DomainError(_("Det gäller ärenden om investeringar."))
    if case.namnd_informed_on:
        raise DomainError(_("Det är redan registrerat att nämnden har informerats."))
    case.namnd_informed_on = _not_in_future(on, today, _("informationen"))
    case.save()
    return case


@transaction.atomic
def record_reported_to_kf(*, case: Avvikelse, on: dt.date, today: dt.date) -> Avvikelse:
    """D8: the project's overrun has been reported back to KF."""
    case = _locked_open_case(case)
    if not case.report_to_kf:
        raise DomainError(_("Projektet behöver inte återrapporteras till KF (högst 5,0 mnkr eller "
                          "högst 10 % över budget)."))
    if case.reported_to_kf_on:
        raise DomainError(_("Återrapporteringen till KF är redan registrerad."))
    case.reported_to_kf_on = _not_in_future(on, today, _("återrapporteringen"))
    case.save()
    return case


@transaction.atomic
def add_effect_report(*, case: Avvikelse, author: User, period: str, assessment: str,
                      expected_effect: Decimal, comment: str) -> Effektrapport:
    """D6: at a later follow-up, whether the measures suffice or new decisions are needed."""
    case = _locked_open_case(case)
    _deficit_case(case, _("Effektrapporter"))
    if period not in FOLLOW_UP_ORDER or FOLLOW_UP_ORDER.index(period) <= FOLLOW_UP_ORDER.index(
            case.period):
        raise DomainError(_("Effekten redovisas vid en senare uppföljning än den som öppnade "
                          "ärendet."))
    if case.effect_reports.filter(period=period).exists():
        raise DomainError(_("Effekten är redan redovisad för den uppföljningen."))
    if expected_effect is None or expected_effect < 0:
        raise DomainError(_("Ange den samlade förväntade effekten i kronor (0 eller mer)."))
    return Effektrapport.objects.create(
        case=case, written_by=author, period=period, assessment=assessment,
        expected_effect=expected_effect, comment=_required_text(comment, _("en kommentar")),
    )


@transaction.atomic
def close_case(*, case: Avvikelse, closer: User, note: str, today: dt.date) -> Avvikelse:
    """Close when the forecast is back within the limit, or at year-end, with a note."""
    case = _locked_open_case(case)
    if case.kind == CaseKind.DEFICIT and still_significant(case):
        raise DomainError(_("Prognosen visar fortfarande ett underskott på mer än 1 % av ramen. "
                          "Ärendet avslutas när prognosen är inom gränsen eller när året är "
                          "slut."))
    case.closing_note = _required_text(note, _("varför ärendet avslutas"))
    case.status = CaseStatus.CLOSED
    case.closed_on = today
    case.closed_by = closer
    case.save()
    return case
