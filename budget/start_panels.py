"""The budget app's panels on the start page (styrmodell.start_page): the economy at a glance,
the finance office's imports, forecasts and applications, and the forecasts a förvaltning owes.

Each panel costs a fixed number of queries, whatever the number of nämnder, forecasts or
outcome rows: the figures are the follow-up's selectors (budget/followup/selectors.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.followup import selectors as followup
from budget.reserves.models import Ansokan, ApplicationStatus
from styrmodell.formatting import date_text, kronor
from styrmodell.models import BudgetYear, OrganisationUnit, Scope
from styrmodell.permissions import scope_root
from styrmodell.roles import (
    BUDGETBEREDNING,
    EKONOM,
    EKONOMICHEF,
    FORVALTNINGSCHEF,
    KF_LEDAMOT,
    KOMMUNDIREKTOR,
    KS_LEDAMOT,
    KSAU_LEDAMOT,
    NAMNDLEDAMOT,
    NAMNDORDFORANDE,
    PRESIDIUM,
)
from styrmodell.start_page import (
    LINES_SHOWN,
    Item,
    Panel,
    first_lines,
    register,
    role_codes,
    running_year,
)

POLITICIANS = frozenset({KF_LEDAMOT, KS_LEDAMOT, KSAU_LEDAMOT, NAMNDORDFORANDE, PRESIDIUM,
                         NAMNDLEDAMOT, BUDGETBEREDNING})
FINANCE_OFFICE = frozenset({EKONOM, EKONOMICHEF})
# Who reads the economy at a glance: the politicians and the officials who answer for it.
ECONOMY_READERS = POLITICIANS | FINANCE_OFFICE | {KOMMUNDIREKTOR, FORVALTNINGSCHEF}
FORVALTNING_HEADS = frozenset({KOMMUNDIREKTOR, FORVALTNINGSCHEF})

OK = ("✓", gettext_lazy("Klart"))


def own_namnder(assignments: Sequence) -> list[OrganisationUnit]:
    """The nämnder (and KS) the person holds a role for the whole nämnd in: a nämnd's
    politicians, its förvaltningschef and secretary."""
    found: dict[int, OrganisationUnit] = {}
    for assignment in assignments:
        if assignment.role.scope != Scope.NAMND:
            continue
        root = scope_root(assignment)
        if root is not None and root.is_namnd_like:
            found[root.pk] = root
    return sorted(found.values(), key=lambda unit: unit.path)


def _forecast_url(budget_year: BudgetYear, namnd: OrganisationUnit, period: str) -> str:
    return (reverse("budget:followup_namnd", args=[budget_year.year, namnd.pk])
            + f"?period={period}#prognosformular")


def _missing_item(missing: followup.MissingForecast, today: dt.date, *,
                  name_namnd: bool = True) -> Item:
    follow_up = missing.follow_up
    deadline = missing.deadline
    late = deadline is not None and deadline < today
    text = (_("Prognos saknas: %(namnd)s") % {"namnd": missing.namnd} if name_namnd
            else _("Skriv prognosen för %(period)s")
            % {"period": follow_up.label[:1].lower() + follow_up.label[1:]})
    return Item(
        text=text, url=_forecast_url(follow_up.budget_year, missing.namnd, follow_up.period),
        due=deadline, overdue=late,
        status=("⚠", _("Försenad")) if late else ("○", _("Saknas")),
        detail="" if deadline else _("Inget sista datum i kalendern."),
    )


# --- 1. The economy at a glance -------------------------------------------------------------


@register(5, "budget.economy")
def economy_at_a_glance(*, user, today: dt.date, assignments) -> Panel | None:
    """Each nämnd's latest forecast against its frame, a significant deficit set apart in
    words and symbol; the person's own nämnd first; LINES_SHOWN nämnder at most, the
    municipality's total over them all."""
    if not role_codes(assignments) & ECONOMY_READERS:
        return None
    budget_year = running_year(user)
    if budget_year is None:
        return None
    own = {namnd.pk for namnd in own_namnder(assignments)}
    rows = followup.latest_variances(budget_year=budget_year)
    total = followup.sum_of_variances(rows, budget_year=budget_year)
    rows.sort(key=lambda row: row.namnd.pk not in own)  # stable: the organisation's order
    shown = _rows_shown(rows, own)
    periods = {row.latest.period for row in shown if row.latest}
    common = (shown[0].latest.period_label
              if len(periods) == 1 and all(row.latest for row in shown) else "")
    url = reverse("budget:followup", args=[budget_year.year])
    more = ((_("Alla %(count)s nämnder i den ekonomiska uppföljningen %(year)s")
             % {"count": len(rows), "year": budget_year.year}, url) if len(shown) < len(rows)
            else (_("Hela den ekonomiska uppföljningen %(year)s") % {"year": budget_year.year},
                  url))
    return Panel(
        key="ekonomin", title=_("Ekonomin i korthet"), wide=True,
        template="budget/_start_economy.html",
        context={"rows": shown, "own": own, "budget_year": budget_year, "total": total,
                 "common_period_label": common, "hidden": len(rows) - len(shown),
                 "complete": all(row.variance for row in rows if row.frame is not None),
                 "significant": sum(1 for row in rows
                                    if row.variance and row.variance.is_significant_deficit)},
        more=more,
    )


def _rows_shown(rows: list[followup.VarianceRow], own: set[int]) -> list[followup.VarianceRow]:
    """The LINES_SHOWN rows the start page has room for: the person's own nämnder, then those
    with a significant deficit, then the others; in the order of `rows` (own first, then the
    organisation's)."""
    def rank(row: followup.VarianceRow) -> int:
        if row.namnd.pk in own:
            return 0
        return 1 if row.variance and row.variance.is_significant_deficit else 2

    chosen = {row.namnd.pk for row in sorted(rows, key=rank)[:LINES_SHOWN]}
    return [row for row in rows if row.namnd.pk in chosen]


# --- 2. The finance office ------------------------------------------------------------------


@register(40, "budget.finance_office")
def outcomes_and_forecasts(*, user, today: dt.date, assignments) -> Panel | None:
    """The outcome imported against what the current follow-up needs, and the nämnder whose
    forecast for it is missing."""
    if not role_codes(assignments) & FINANCE_OFFICE:
        return None
    budget_year = running_year(user)
    if budget_year is None:
        return None
    follow_up = followup.current_follow_up(budget_year=budget_year, today=today)
    items = [_outcome_item(budget_year, follow_up, today)]
    intro, more = "", None
    if follow_up is not None:
        deadline = follow_up.deadline_for()
        intro = (_("%(period)s %(year)s, sista dag %(date)s.")
                 % {"period": follow_up.label, "year": budget_year.year,
                    "date": date_text(deadline)} if deadline else
                 _("%(period)s %(year)s.") % {"period": follow_up.label,
                                              "year": budget_year.year})
        missing = followup.missing_forecasts(follow_up=follow_up)
        items += first_lines([_missing_item(entry, today) for entry in missing],
                             LINES_SHOWN - 1)
        if not missing:
            items.append(Item(
                text=_("Alla nämnder har lämnat prognos"),
                url=reverse("budget:followup", args=[budget_year.year]), status=OK))
        more = _all_missing_link(budget_year, len(missing), len(items) - 1)
    return Panel(key="utfall-och-prognoser", title=_("Utfall och prognoser"), intro=intro,
                 items=items, more=more)


def _all_missing_link(budget_year: BudgetYear, missing: int,
                      shown: int) -> tuple[str, str] | None:
    """The follow-up overview, when the panel lists fewer missing forecasts than there are."""
    if missing <= shown:
        return None
    return (_("Alla %(count)s nämnder som saknar prognos") % {"count": missing},
            reverse("budget:followup", args=[budget_year.year]))


def _outcome_item(budget_year: BudgetYear, follow_up: followup.CurrentFollowUp | None,
                  today: dt.date) -> Item:
    """How far the year's outcome is imported, against the month the current follow-up needs
    (its last month, by its report deadline)."""
    last = followup.last_outcome_month(year=budget_year.year)
    url = reverse("budget:outcome_imports")
    if last:
        text = _("Utfall inläst till och med %(month)s %(year)s") % {
            "month": followup.MONTH_NAMES[last - 1], "year": budget_year.year}
    else:
        text = _("Inget utfall är inläst för %(year)s") % {"year": budget_year.year}
    next_month = (last or 0) + 1
    ended = next_month <= 12 and followup.month_is_over(budget_year.year, next_month, today)
    next_text = (_("Nästa månad att läsa in: %(month)s.")
                 % {"month": followup.MONTH_NAMES[next_month - 1]} if ended else "")
    if follow_up is None:
        return Item(text=text, url=url, detail=next_text)
    period = follow_up.label[:1].lower() + follow_up.label[1:]
    if (last or 0) >= follow_up.last_month:
        return Item(text=text, url=url, status=OK,
                    detail=" ".join(filter(None, [
                        _("Det räcker för %(period)s.") % {"period": period}, next_text])))
    deadline = follow_up.deadline_for()
    late = deadline is not None and deadline < today
    return Item(text=text, url=url, due=deadline, overdue=late,
                status=("⚠", _("Försenad") if late else _("Saknas")),
                detail=_("%(period)s behöver utfallet till och med %(month)s.")
                % {"period": follow_up.label, "month": follow_up.last_month_name})


@register(45, "budget.pot_applications")
def applications_waiting(*, user, today: dt.date, assignments) -> Panel | None:
    """Applications to KS's ofördelad budget that wait for the finance office's yttrande."""
    if not role_codes(assignments) & FINANCE_OFFICE:
        return None
    # The first LINES_SHOWN, each with the number of all that wait, in one query.
    waiting = list(Ansokan.objects.filter(status=ApplicationStatus.FILED)
                   .annotate(waiting=Window(Count("pk")))
                   .select_related("namnd").order_by("filed_at", "pk")[:LINES_SHOWN])
    items = [Item(text=f"{application.namnd}: {application.title}",
                  url=application.get_absolute_url(),
                  status=("○", _("Väntar på yttrande")),
                  detail=_("Söker %(amount)s, inlämnad %(date)s") % {
                      "amount": kronor(application.amount),
                      "date": date_text(application.filed_at.date())})
             for application in waiting]
    budget_year = running_year(user)
    count = waiting[0].waiting if waiting else 0
    more = None
    if budget_year:
        text = (_("Alla %(count)s ansökningar som väntar på yttrande") % {"count": count}
                if count > len(waiting)
                else _("Ofördelad budget %(year)s") % {"year": budget_year.year})
        more = (text, reverse("budget:pot", args=[budget_year.year]))
    return Panel(key="ansokningar-ofordelad", title=_("Ansökningar om ofördelad budget"),
                 items=items, empty=_("Inga ansökningar väntar på yttrande."), more=more)


# --- 3. The forecasts a förvaltning owes ----------------------------------------------------


@register(35, "budget.forecasts_due")
def forecasts_due(*, user, today: dt.date, assignments) -> Panel | None:
    """The förvaltningschef's nämnd's forecast for the current follow-up (every nämnd's for
    the kommundirektör), with the calendar's deadline."""
    codes = role_codes(assignments)
    if not codes & FORVALTNING_HEADS:
        return None
    budget_year = running_year(user)
    if budget_year is None:
        return None
    follow_up = followup.current_follow_up(budget_year=budget_year, today=today)
    if follow_up is None:
        return None
    every_namnd = KOMMUNDIREKTOR in codes
    namnd_ids = None if every_namnd else [namnd.pk for namnd in own_namnder(assignments)]
    if namnd_ids == []:
        return None
    states = followup.forecast_states(follow_up=follow_up, namnd_ids=namnd_ids)
    items = [_missing_item(followup.MissingForecast(namnd, follow_up), today,
                           name_namnd=every_namnd)
             for namnd, written in states if not written]
    if not every_namnd:
        items += [Item(text=_("Prognosen för %(namnd)s är lämnad") % {"namnd": namnd},
                       url=_forecast_url(budget_year, namnd, follow_up.period), status=OK)
                  for namnd, written in states if written]
    elif not items:
        items.append(Item(text=_("Alla nämnder har lämnat prognos"),
                          url=reverse("budget:followup", args=[budget_year.year]), status=OK))
    missing = sum(1 for _namnd, written in states if not written)
    shown = first_lines(items)
    deadline = follow_up.deadline_for(namnd_ids[0] if namnd_ids else None)
    intro = (_("%(period)s %(year)s, sista dag %(date)s.")
             % {"period": follow_up.label, "year": budget_year.year, "date": date_text(deadline)}
             if deadline else
             _("%(period)s %(year)s.") % {"period": follow_up.label, "year": budget_year.year})
    return Panel(key="prognoser-att-lamna", title=_("Prognoser att lämna"), intro=intro,
                 items=shown, more=_all_missing_link(
                     budget_year, missing, sum(1 for item in shown if item.status != OK)))
