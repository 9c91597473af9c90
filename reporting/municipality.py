"""The municipality's own part of the compiled report: its financial goals followed up in every
report (G3 with the analysis model, A1, A3, A4) and, in the årsredovisning, the accounts
consolidated with the municipality's companies and foundations (F1).

The finance office enters the goals' outcomes and the companies' year-end figures while the
report is open; once it is compiled they are locked with it. Where a goal's measure can be
computed from the budget's frames, forecasts and outcomes, that figure is offered as the
suggestion, but the value the finance office enters is the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budget.followup.selectors import decided_frames, last_outcome_month
from budget.models import Prognos, UtfallManad
from goals import services as goal_services
from goals.models import (
    ComputedMeasure,
    DecisionStatus,
    FinansielltMal,
    FinansielltMalUtfall,
    Level,
    ReportPeriod,
)
from styrmodell.errors import DomainError
from styrmodell.formatting import quantity, tkr
from styrmodell.models import (
    FOLLOW_UP_ORDER,
    GROUP_COMPANY_KINDS,
    NAMND_LIKE_KINDS,
    OrganisationUnit,
    User,
)
from styrmodell.permissions import Action, can
from styrmodell.versioning import STALE_MESSAGE, check_version

from .models import Bolagsbokslut, PeriodStatus, Rapportperiod

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
# Messages kept in Swedish as constants and translated where they are shown.
NOT_ASSESSED = gettext_noop("Ej bedömt")
FOLLOW_UPS = FOLLOW_UP_ORDER
OUTCOMES_LOCKED = gettext_noop("Rapporten är sammanställd; de finansiella målens utfall och "
                               "bedömning kan inte längre ändras.")
COMPANIES_LOCKED = gettext_noop("Årsredovisningen är sammanställd; bolagens och stiftelsernas "
                                "uppgifter kan inte längre ändras.")
# The units a computed measure may be expressed in: kronor per unit.
MONEY_UNITS = {"kr": Decimal("1"), "tkr": Decimal("1000"), "mnkr": Decimal("1000000")}
# Django's month names: "februari" in Swedish, "February" in English.
MONTHS = {period: MONTH_NAMES[period.last_month]
          for period in ReportPeriod if period != ReportPeriod.YEAR}
# Bolagsbokslut's amounts are DecimalField(max_digits=16, decimal_places=2).
AMOUNT_LIMIT = Decimal(10) ** 14


# --- The financial goals (G3; A1, A3, A4) -------------------------------------------------------


@dataclass
class FinancialGoalRow:
    """A financial goal in a report: its target beside the outcome and assessment of the
    report's follow-up (or "Ej bedömt")."""

    goal: FinansielltMal
    outcome: FinansielltMalUtfall | None
    may_enter: bool = False

    @property
    def target_text(self) -> str:
        return quantity(self.goal.target_value, self.goal.target_unit)

    @property
    def outcome_text(self) -> str:
        if self.outcome is None:
            return "–"
        return quantity(self.outcome.value, self.goal.target_unit)

    @property
    def level_label(self) -> str:
        return _short_level(self.outcome.level) if self.outcome else _(NOT_ASSESSED)

    @property
    def forecast_label(self) -> str:
        if self.outcome is None or not self.outcome.forecast:
            return "–"
        return _short_level(self.outcome.forecast)


def _short_level(level: str) -> str:
    """The A3 scale as a word (Ja, Delvis, Nej): the table's column says what it assesses."""
    return str(Level(level).label).split(" – ")[0]


def may_enter_outcomes(period: Rapportperiod) -> bool:
    """Outcomes are entered in a report of one of the year's follow-ups while it is open."""
    return bool(period.period) and period.status == PeriodStatus.OPEN


def financial_goal_rows(period: Rapportperiod, *, user=None) -> list[FinancialGoalRow]:
    """Every financial goal KF decided for the report's year, the municipality's and the
    nämnders', with the outcome of the report's follow-up (an extra follow-up shows the latest).
    Two queries, whatever the number of goals and follow-ups."""
    goals = (FinansielltMal.objects.filter(budget_year=period.budget_year)
             .exclude(status=DecisionStatus.DRAFT).select_related("unit")
             .prefetch_related("outcomes").order_by("unit__path", "pk"))
    open_ = user is not None and may_enter_outcomes(period)
    rows = []
    for goal in goals:
        outcomes = list(goal.outcomes.all())
        if period.period:
            found = next((o for o in outcomes if o.period == period.period), None)
        else:
            found = max(outcomes, key=lambda o: FOLLOW_UPS.index(o.period), default=None)
        rows.append(FinancialGoalRow(
            goal, found,
            may_enter=open_ and can(user, Action.CHANGE, "financial_outcome", goal.unit)))
    return rows


@dataclass(frozen=True)
class Suggestion:
    """An outcome computed from the budget's data, with how it was computed."""

    value: Decimal
    text: str  # the value in the goal's unit, as the report shows it
    explanation: str


def suggested_outcome(goal: FinansielltMal, follow_up: str) -> Suggestion | None:
    """The goal's outcome computed from frames and forecasts (or, for the year, the outcome),
    where its measure is one the budget's data answers; None where it is not, or where the data
    is not all there yet (no number is made up)."""
    if goal.computed_as != ComputedMeasure.NAMND_RESULT:
        return None
    unit = goal.target_unit.strip()
    if unit not in MONEY_UNITS and unit != "%":
        return None
    budget_year = goal.budget_year
    frames = decided_frames(budget_year=budget_year)
    if goal.unit.kind in NAMND_LIKE_KINDS:
        frames = {pk: total for pk, total in frames.items() if pk == goal.unit_id}
    if not frames:
        return None
    if follow_up == ReportPeriod.YEAR:
        if last_outcome_month(year=budget_year.year) != 12:
            return None
        spent = dict(UtfallManad.objects.filter(year=budget_year.year, namnd_id__in=frames)
                     .values("namnd").annotate(total=Sum("amount")).order_by()
                     .values_list("namnd", "total"))
        basis = _("årets utfall")
    else:
        spent = dict(Prognos.objects.filter(budget_year=budget_year, period=follow_up,
                                            namnd_id__in=frames)
                     .values_list("namnd_id", "total"))
        if set(spent) != set(frames):
            return None
        basis = (_("helårsprognoserna per %(month)s") if len(frames) > 1
                 else _("helårsprognosen per %(month)s")) % {"month": MONTHS[follow_up]}
    frame_total = sum(frames.values(), ZERO)
    spent_total = sum((spent.get(pk) or ZERO for pk in frames), ZERO)
    result = frame_total - spent_total
    if unit == "%":
        if not frame_total:
            return None
        value = (result * HUNDRED / frame_total).quantize(CENT, ROUND_HALF_UP)
    else:
        value = (result / MONEY_UNITS[unit]).quantize(CENT, ROUND_HALF_UP)
    frames_text = (_("%(namnd)ss beslutade ram") % {"namnd": goal.unit.name}
                   if goal.unit.kind in NAMND_LIKE_KINDS else _("Nämndernas beslutade ramar"))
    return Suggestion(value, quantity(value, unit),
                      _("%(frames)s %(frame_total)s minus %(basis)s %(spent_total)s ger "
                        "%(result)s.") % {"frames": frames_text, "frame_total": _tkr(frame_total),
                                          "basis": basis, "spent_total": _tkr(spent_total),
                                          "result": _tkr(result)})


def _tkr(amount: Decimal) -> str:
    """Tkr with the decimals the suggestion keeps, so the sum reads exactly as it is made."""
    return tkr(amount, places=None, max_places=2)


def record_financial_outcome(*, period: Rapportperiod, goal: FinansielltMal, author: User,
                             version: str | None, **answers) -> FinansielltMalUtfall:
    """A financial goal's outcome and assessment in this report, while the report is open."""
    if not period.period:
        raise DomainError(_("En extra uppföljning visar de senaste utfallen; de finansiella "
                            "målen följs upp i de ordinarie rapporterna."))
    if goal.budget_year_id != period.budget_year_id:
        raise DomainError(_("Målet gäller ett annat budgetår än rapporten."))
    if period.status != PeriodStatus.OPEN:
        raise DomainError(_(OUTCOMES_LOCKED))
    return goal_services.save_financial_outcome(goal=goal, period=period.period, author=author,
                                                version=version, **answers)


# --- Companies and foundations in the årsredovisning (F1) ----------------------------------------


def _weighted(amount: Decimal, share: Decimal) -> Decimal:
    """The municipality's part of an amount: exact, never rounded before it is shown."""
    return amount * share / HUNDRED


@dataclass
class CompanyRow:
    unit: OrganisationUnit
    figures: Bolagsbokslut | None
    may_enter: bool = False

    @property
    def share(self) -> Decimal | None:
        return self.figures.ownership_share if self.figures else self.unit.ownership_share

    @property
    def share_text(self) -> str:
        return quantity(self.share, "%")

    @property
    def weighted_result(self) -> Decimal | None:
        if self.figures is None:
            return None
        return _weighted(self.figures.result_after_financial_items, self.figures.ownership_share)

    @property
    def weighted_equity(self) -> Decimal | None:
        if self.figures is None:
            return None
        return _weighted(self.figures.equity, self.figures.ownership_share)


@dataclass
class Consolidation:
    """The companies' figures of the year, the municipality's share of their result and equity,
    and beside it the nämnders' result against their frames (what the budget's data can say of
    the municipality's own result)."""

    rows: list[CompanyRow]
    namnd_frames: Decimal | None = None
    namnd_outcome: Decimal | None = None

    @property
    def reported(self) -> list[CompanyRow]:
        return [row for row in self.rows if row.figures is not None]

    @property
    def commented(self) -> list[CompanyRow]:
        return [row for row in self.reported if row.figures.comment]

    @property
    def missing(self) -> list[CompanyRow]:
        return [row for row in self.rows if row.figures is None]

    @property
    def missing_names(self) -> str:
        """"A, B och C": the companies whose figures are not in yet."""
        names = [row.unit.name for row in self.missing]
        if len(names) < 2:
            return "".join(names)
        return _("%(names)s och %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}

    @property
    def weighted_result(self) -> Decimal:
        return sum((row.weighted_result for row in self.reported), ZERO)

    @property
    def weighted_equity(self) -> Decimal:
        return sum((row.weighted_equity for row in self.reported), ZERO)

    @property
    def namnd_result(self) -> Decimal | None:
        """Σ(frame − outcome) over the nämnder; None unless the year's outcome is all in."""
        if self.namnd_frames is None or self.namnd_outcome is None:
            return None
        return self.namnd_frames - self.namnd_outcome


def may_enter_companies(period: Rapportperiod) -> bool:
    return period.is_annual and period.status == PeriodStatus.OPEN


def consolidation(period: Rapportperiod, *, user=None) -> Consolidation | None:
    """The årsredovisning's consolidated part: None in every other report, and where the
    municipality has no companies or foundations. Five queries, whatever their number."""
    if not period.is_annual:
        return None
    budget_year = period.budget_year
    figures = {f.unit_id: f for f in Bolagsbokslut.objects.filter(budget_year=budget_year)
               .select_related("unit")}
    units = {u.pk: u for u in OrganisationUnit.objects.filter(kind__in=GROUP_COMPANY_KINDS,
                                                               is_active=True)}
    units.update({pk: f.unit for pk, f in figures.items()})  # a company sold since still counts
    if not units:
        return None
    open_ = user is not None and may_enter_companies(period)
    rows = [CompanyRow(unit, figures.get(unit.pk),
                       may_enter=open_ and can(user, Action.CHANGE, "company_accounts", unit))
            for unit in sorted(units.values(), key=lambda u: u.name)]
    result = Consolidation(rows)
    frames = decided_frames(budget_year=budget_year)
    if frames and last_outcome_month(year=budget_year.year) == 12:
        result.namnd_frames = sum(frames.values(), ZERO)
        result.namnd_outcome = (UtfallManad.objects.filter(year=budget_year.year,
                                                           namnd_id__in=frames)
                                .aggregate(total=Sum("amount"))["total"] or ZERO)
    return result


def company_or_none(unit_id: int) -> OrganisationUnit | None:
    return OrganisationUnit.objects.filter(pk=unit_id, kind__in=GROUP_COMPANY_KINDS).first()


@transaction.atomic
def save_company_figures(*, period: Rapportperiod, unit: OrganisationUnit, entered_by: User,
                         version: str | None, turnover: Decimal | None,
                         result_after_financial_items: Decimal | None, equity: Decimal | None,
                         balance_sheet_total: Decimal | None, ownership_share: Decimal | None,
                         comment: str = "") -> Bolagsbokslut:
    """F1: a company's or foundation's figures of the årsredovisning's year, in kronor, with the
    municipality's ownership share that year."""
    if not period.is_annual:
        raise DomainError(_("Bolagen och stiftelserna redovisas i årsredovisningen."))
    if unit.kind not in GROUP_COMPANY_KINDS:
        raise DomainError(_("%(unit)s är inte ett bolag eller en stiftelse.") % {"unit": unit})
    if period.status != PeriodStatus.OPEN:
        raise DomainError(_(COMPANIES_LOCKED))
    amounts = {"turnover": (turnover, _("omsättningen")),
               "result_after_financial_items": (result_after_financial_items,
                                                _("resultatet efter finansiella poster")),
               "equity": (equity, _("det egna kapitalet")),
               "balance_sheet_total": (balance_sheet_total, _("balansomslutningen"))}
    for field, (amount, label) in amounts.items():
        if amount is None:
            raise DomainError(_("Fyll i %(what)s.") % {"what": label}, field=field)
        if abs(amount) >= AMOUNT_LIMIT:
            raise DomainError(_("Beloppet för %(what)s är för stort.") % {"what": label},
                              field=field)
    if turnover < 0:
        raise DomainError(_("Omsättningen kan inte vara negativ."), field="turnover")
    if balance_sheet_total < 0:
        raise DomainError(_("Balansomslutningen kan inte vara negativ."),
                          field="balance_sheet_total")
    if equity > balance_sheet_total:
        raise DomainError(_("Det egna kapitalet kan inte vara större än balansomslutningen."),
                          field="equity")
    if ownership_share is None:
        raise DomainError(_("Fyll i kommunens ägarandel."), field="ownership_share")
    if not ZERO < ownership_share <= HUNDRED:
        raise DomainError(_("Ägarandelen ska vara större än 0 och högst 100 procent."),
                          field="ownership_share")
    if ownership_share != ownership_share.quantize(CENT):
        raise DomainError(_("Ägarandelen kan ha högst två decimaler."), field="ownership_share")
    figures = (Bolagsbokslut.objects.select_for_update()
               .filter(unit=unit, budget_year=period.budget_year).first())
    if figures is None:
        if version not in (None, "", "0"):
            raise DomainError(_(STALE_MESSAGE))
        figures = Bolagsbokslut(unit=unit, budget_year=period.budget_year)
    else:
        check_version(figures, version)
    figures.turnover, figures.equity = turnover, equity
    figures.result_after_financial_items = result_after_financial_items
    figures.balance_sheet_total = balance_sheet_total
    figures.ownership_share = ownership_share
    figures.comment = (comment or "").strip()
    figures.entered_by = entered_by
    try:
        with transaction.atomic():
            figures.save()
    except IntegrityError as error:  # someone else entered the same company just now
        raise DomainError(_(STALE_MESSAGE)) from error
    return figures
