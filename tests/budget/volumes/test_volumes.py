"""Verksamhetens volymer (F1, budget/volumes.py): the variance from budget in Decimal, the
services that write measures and follow-ups (bad input refused, nothing saved half-way),
copying last year's measures, the B4 population beside them, and the demo's story."""

from decimal import Decimal

import pytest

from budget.followup.selectors import municipality_followup
from budget.models import Population, Volymmatt, Volymuppfoljning
from budget.templatetags.volume_tags import signed_volume, volume
from budget.volumes import services as volumes
from budget.volumes.services import VOLUME_PLACES, Entry, VolumeVariance
from styrmodell.errors import DomainError
from styrmodell.formatting import percent
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import STALE_MESSAGE

NBSP = "\u00a0"


@pytest.fixture
def year_2027(municipality):
    return BudgetYear.objects.get(year=2027)


@pytest.fixture
def measure(municipality, unit, year_2027):
    return volumes.add_measure(namnd=unit("bun"), budget_year=year_2027,
                               name="Antal elever i grundskolan", unit="elever",
                               budget=Decimal("1200"), cost_per_unit=Decimal("112000"))


def _save(namnd, year, period, entries, by=None):
    version = volumes.followups_version(namnd=namnd, budget_year=year, period=period)
    return volumes.save_followups(namnd=namnd, budget_year=year, period=period, version=version,
                                  entries=entries, by=by)


# --- the variance ------------------------------------------------------------------------------


def test_f1_variance_is_forecast_minus_budget_in_decimal_with_sign_and_percent():
    more = VolumeVariance(budget=Decimal("1460"), forecast=Decimal("2190"))
    assert more.amount == Decimal("730")
    assert more.percent == Decimal("50")
    assert more.text == "+730" and more.percent_text == f"+50,00{NBSP}%"
    assert more.cost(Decimal("4200")) == Decimal("3066000")
    fewer = VolumeVariance(budget=Decimal("315"), forecast=Decimal("305"))
    assert fewer.amount == Decimal("-10")
    assert fewer.percent_rounded == Decimal("-3.17")  # −3,1746… rounded half up
    assert fewer.text == "\u221210" and fewer.percent_text == f"\u22123,17{NBSP}%"
    assert fewer.cost(Decimal("6500")) == Decimal("-65000")
    assert fewer.cost(None) is None


def test_f1_variance_stays_exact_in_decimal_where_float_would_not():
    variance = VolumeVariance(budget=Decimal("0.3"), forecast=Decimal("0.6"))
    assert variance.amount == Decimal("0.3")  # 0.6 − 0.3 in float is 0.29999999999999993
    assert variance.percent == Decimal("100")
    assert VolumeVariance(budget=Decimal("0"), forecast=Decimal("5")).percent is None
    assert VolumeVariance(budget=Decimal("92"), forecast=Decimal("92")).text == "0"


def test_volumes_are_written_the_swedish_way():
    assert volume(Decimal("96000.00")) == f"96{NBSP}000"
    assert volume(Decimal("12.50")) == "12,5"
    assert volume(Decimal("12.505")) == "12,51"  # at most VOLUME_PLACES, half up
    assert signed_volume(Decimal("2500")) == f"+2{NBSP}500"
    assert signed_volume(Decimal("-3.25")) == "\u22123,25"
    assert percent(Decimal("0"), signed=True) == f"0,00{NBSP}%"
    assert VOLUME_PLACES == 2


# --- measures ----------------------------------------------------------------------------------


def test_f1_a_measure_keeps_its_budget_and_cost_per_unit_with_history(measure):
    assert measure.budget == Decimal("1200") and measure.cost_per_unit == Decimal("112000")
    assert measure.position == 1
    assert measure.history.count() == 1


@pytest.mark.parametrize("fields, message", [
    ({"name": " ", "unit": "elever", "budget": Decimal("1")}, "Skriv vad som mäts"),
    ({"name": "Elever", "unit": "", "budget": Decimal("1")}, "Ange enheten"),
    ({"name": "Elever", "unit": "elever", "budget": None}, "Ange den budgeterade volymen."),
    ({"name": "Elever", "unit": "elever", "budget": Decimal("-5")},
     "Den budgeterade volymen kan inte vara negativ."),
    ({"name": "Elever", "unit": "elever", "budget": Decimal("1.255")}, "högst två decimaler"),
    ({"name": "Elever", "unit": "elever", "budget": Decimal("1"),
      "cost_per_unit": Decimal("-1")}, "Kostnaden per enhet kan inte vara negativ."),
])
def test_a_measure_with_bad_input_is_refused_in_swedish(unit, year_2027, fields, message):
    with pytest.raises(DomainError, match=message):
        volumes.add_measure(namnd=unit("bun"), budget_year=year_2027, **fields)
    assert not Volymmatt.objects.filter(budget_year=year_2027).exists()


def test_a_nämnd_has_each_measure_once_a_year(measure, unit, year_2027):
    with pytest.raises(DomainError, match="har redan måttet"):
        volumes.add_measure(namnd=unit("bun"), budget_year=year_2027,
                            name="antal elever i grundskolan", unit="elever", budget=Decimal(1))
    # Another nämnd may count the same thing.
    volumes.add_measure(namnd=unit("kfn"), budget_year=year_2027,
                        name="Antal elever i grundskolan", unit="elever", budget=Decimal(1))


def test_measures_belong_to_a_nämnd_and_an_open_year(unit, municipality):
    with pytest.raises(DomainError, match="ingen nämnd"):
        volumes.add_measure(namnd=unit("ekbackaskolan"),
                            budget_year=BudgetYear.objects.get(year=2027), name="Elever",
                            unit="elever", budget=Decimal(1))
    with pytest.raises(DomainError, match="Budgetåret 2025 är avslutat"):
        volumes.add_measure(namnd=unit("bun"), budget_year=BudgetYear.objects.get(year=2025),
                            name="Nytt mått", unit="st", budget=Decimal(1))


def test_a_stale_measure_edit_is_refused(measure):
    from styrmodell.versioning import current_version

    version = current_version(measure)
    volumes.update_measure(measure=measure, version=version, name=measure.name, unit="elever",
                           budget=Decimal("1210"))
    with pytest.raises(DomainError, match="Någon annan har ändrat"):
        volumes.update_measure(measure=measure, version=version, name=measure.name,
                               unit="elever", budget=Decimal("1190"))
    measure.refresh_from_db()
    assert measure.budget == Decimal("1210")


def test_a_measure_with_reports_is_not_deleted(measure, unit, year_2027):
    _save(unit("bun"), year_2027, "feb", {measure.pk: Entry(Decimal("1198"), Decimal("1201"))})
    with pytest.raises(DomainError, match="kan inte tas bort"):
        volumes.delete_measure(measure=measure)
    Volymuppfoljning.objects.filter(measure=measure).delete()
    volumes.delete_measure(measure=measure)
    assert not Volymmatt.objects.filter(pk=measure.pk).exists()


# --- follow-ups --------------------------------------------------------------------------------


def test_f1_outcome_and_forecast_per_period_give_the_rows_of_the_period(measure, unit,
                                                                         year_2027):
    chief = User.objects.get(username="bun.forvaltningschef")
    assert _save(unit("bun"), year_2027, "feb",
                 {measure.pk: Entry(Decimal("1198"), Decimal("1205"), " Fler i F-klass. ")},
                 by=chief) == 1
    _save(unit("bun"), year_2027, "apr", {measure.pk: Entry(Decimal("1201"), Decimal("1210"))})
    feb = volumes.namnd_volumes(namnd=unit("bun"), budget_year=year_2027, period="feb")
    [row] = feb.rows
    assert (row.outcome, row.forecast, row.comment) == (Decimal("1198"), Decimal("1205"),
                                                        "Fler i F-klass.")
    assert row.entry.written_by == chief
    assert row.variance.amount == Decimal("5") and row.cost_effect == Decimal("560000")
    assert row.by_period()[:3] == [("feb", Decimal("1205")), ("apr", Decimal("1210")),
                                   ("aug", None)]
    latest = volumes.namnd_volumes(namnd=unit("bun"), budget_year=year_2027, period=None)
    assert latest.rows[0].forecast == Decimal("1210")
    assert volumes.namnd_volumes(namnd=unit("bun"), budget_year=year_2027,
                                 period="okt").rows[0].entry is None


def test_f1_in_the_annual_report_the_outcome_is_the_year(measure, unit, year_2027):
    _save(unit("bun"), year_2027, "ar", {measure.pk: Entry(Decimal("1207"), None)})
    entry = Volymuppfoljning.objects.get(measure=measure, period="ar")
    assert entry.outcome == entry.forecast == Decimal("1207")
    with pytest.raises(DomainError, match="ange bara utfallet"):
        _save(unit("bun"), year_2027, "ar", {measure.pk: Entry(Decimal("1207"),
                                                               Decimal("1300"))})


@pytest.mark.parametrize("entry, message", [
    (Entry(Decimal("-1"), Decimal("1200")), "Utfallet för ”Antal elever i grundskolan” kan "
                                            "inte vara negativ"),
    (Entry(Decimal("1200"), Decimal("-3")), "Helårsprognosen för ”Antal elever i grundskolan” "
                                            "kan inte vara negativ"),
    (Entry(Decimal("1200"), None), "Ange helårsprognosen för ”Antal elever i grundskolan”"),
    (Entry(None, Decimal("1200")), "Ange utfallet för ”Antal elever i grundskolan”"),
    (Entry(None, None, "Bara en kommentar"), "Ange utfall och prognos"),
    (Entry(Decimal("1200"), Decimal("10000000000000")), "orimligt stor"),
])
def test_bad_follow_up_input_is_refused_in_swedish_and_nothing_is_saved(
        measure, unit, year_2027, entry, message):
    second = volumes.add_measure(namnd=unit("bun"), budget_year=year_2027, name="Barn",
                                 unit="barn", budget=Decimal("500"))
    with pytest.raises(DomainError, match=message):
        # The good row comes first: it must not be saved when the second one is refused.
        _save(unit("bun"), year_2027, "apr", {second.pk: Entry(Decimal("501"), Decimal("505")),
                                              measure.pk: entry})
    assert not Volymuppfoljning.objects.filter(measure__budget_year=year_2027).exists()


def test_a_period_that_does_not_exist_is_refused(measure, unit, year_2027):
    with pytest.raises(DomainError, match="Välj en av årets uppföljningar"):
        volumes.save_followups(namnd=unit("bun"), budget_year=year_2027, period="", version="0",
                               entries={measure.pk: Entry(Decimal(1), Decimal(1))}, by=None)


def test_a_measure_of_another_nämnd_is_refused(measure, unit, year_2027):
    with pytest.raises(DomainError, match="hör inte till Kultur- och fritidsnämnden"):
        _save(unit("kfn"), year_2027, "feb", {measure.pk: Entry(Decimal(1), Decimal(1))})


def test_a_stale_follow_up_save_is_refused_and_emptying_a_row_removes_it(measure, unit,
                                                                         year_2027):
    old = volumes.followups_version(namnd=unit("bun"), budget_year=year_2027, period="feb")
    _save(unit("bun"), year_2027, "feb", {measure.pk: Entry(Decimal("1198"), Decimal("1205"))})
    with pytest.raises(DomainError, match=STALE_MESSAGE[:20]):
        volumes.save_followups(namnd=unit("bun"), budget_year=year_2027, period="feb",
                               version=old, entries={measure.pk: Entry(Decimal(1), Decimal(1))},
                               by=None)
    assert _save(unit("bun"), year_2027, "feb", {measure.pk: Entry(None, None)}) == 1
    assert not Volymuppfoljning.objects.filter(measure=measure).exists()
    assert Volymuppfoljning.history.filter(measure_id=measure.pk, history_type="-").count() == 1


def test_a_closed_year_takes_no_follow_ups(municipality, unit):
    year = BudgetYear.objects.get(year=2025)
    measure = Volymmatt.objects.filter(namnd=unit("sn"), budget_year=year).first()
    with pytest.raises(DomainError, match="avslutat"):
        _save(unit("sn"), year, "ar", {measure.pk: Entry(Decimal(1), None)})


# --- copying last year's measures ----------------------------------------------------------------


def test_f1_last_years_measures_start_the_new_year_in_the_same_order(municipality, unit,
                                                                     year_2027):
    kept = volumes.add_measure(namnd=unit("sn"), budget_year=year_2027,
                               name="Platser i särskilt boende", unit="platser",
                               budget=Decimal("96"))
    added = volumes.copy_measures(namnd=unit("sn"), budget_year=year_2027)
    names_2026 = list(Volymmatt.objects.filter(namnd=unit("sn"), budget_year__year=2026)
                      .order_by("position").values_list("name", flat=True))
    assert [m.name for m in added] == [n for n in names_2026 if n != kept.name]
    hvb = next(m for m in added if m.name.startswith("Placeringsdygn HVB"))
    assert hvb.budget == Decimal("1460") and hvb.cost_per_unit == Decimal("4200")
    assert not hvb.followups.exists()
    kept.refresh_from_db()
    assert kept.budget == Decimal("96")  # what the year already had is left alone
    with pytest.raises(DomainError, match="har redan alla måtten från 2026"):
        volumes.copy_measures(namnd=unit("sn"), budget_year=year_2027)


def test_copying_needs_measures_last_year(unit, year_2027):
    Volymmatt.objects.filter(namnd=unit("sbn"), budget_year__year=2026).delete()
    with pytest.raises(DomainError, match="inga volymmått för 2026 att kopiera"):
        volumes.copy_measures(namnd=unit("sbn"), budget_year=year_2027)


# --- B4 beside the volumes ----------------------------------------------------------------------


def test_b4_the_population_the_namnd_follows_with_the_surplus_it_must_deliver(municipality,
                                                                            unit):
    year = BudgetYear.objects.get(year=2026)
    bun = volumes.namnd_volumes(namnd=unit("bun"), budget_year=year, period="aug")
    by_group = {row.age_group: row for row in bun.population}
    assert list(by_group) == ["1–5 år", "6–15 år", "16–18 år"]
    small = by_group["1–5 år"]  # 645 forecast, 628 actual, 158 000 kr per inhabitant
    assert small.difference == -17 and small.difference_text == "\u221217"
    assert small.surplus_required == Decimal("2686000")
    assert by_group["6–15 år"].surplus_required == Decimal("672000")
    assert by_group["16–18 år"].actual is None and by_group["16–18 år"].surplus_required is None
    assert bun.surplus_required == Decimal("3358000")
    # More inhabitants than forecast ask for no surplus.
    Population.objects.filter(year=2026, age_group__name="1–5 år").update(actual=650)
    bun = volumes.namnd_volumes(namnd=unit("bun"), budget_year=year, period="aug")
    assert bun.population[0].surplus_required == Decimal("0")
    # A nämnd without kronor per inhabitant has no population block.
    kfn = volumes.namnd_volumes(namnd=unit("kfn"), budget_year=year, period="aug")
    assert kfn.population == []


def test_volumes_of_many_namnder_cost_a_fixed_number_of_queries(
        municipality, django_assert_num_queries):
    year = BudgetYear.objects.get(year=2026)
    namnder = volumes.namnder_with_volumes(budget_year=year)
    with django_assert_num_queries(4):
        found = volumes.volumes_for(budget_year=year, namnder=namnder, period="aug")
        assert sum(len(v.rows) + len(v.population) for v in found.values()) > 15
        assert all(row.entry for v in found.values() for row in v.rows)


# --- the demo tells one story -------------------------------------------------------------------


def test_f1_demo_volumes_cover_every_report_and_october_has_just_opened(municipality):
    for year, periods in ((2025, {"feb", "apr", "aug", "okt", "ar"}),
                          (2026, {"feb", "apr", "aug"})):
        measures = Volymmatt.objects.filter(budget_year__year=year)
        assert measures.values("namnd").distinct().count() == 5
        for measure in measures.prefetch_related("followups"):
            assert {e.period for e in measure.followups.all()} >= periods, measure
    reported_in_october = set(Volymuppfoljning.objects.filter(
        measure__budget_year__year=2026, period="okt")
        .values_list("measure__namnd__short_name", flat=True))
    assert reported_in_october == {"BUN", "SN"}
    for measure in Volymmatt.objects.all():
        assert 3 <= Volymmatt.objects.filter(namnd=measure.namnd,
                                             budget_year=measure.budget_year).count() <= 4


def test_f1_demo_socialnamndens_deficit_comes_from_more_hvb_days_than_budgeted(
        municipality, unit):
    year = BudgetYear.objects.get(year=2026)
    overview = {row.namnd.pk: row for row in municipality_followup(budget_year=year).rows}
    sn = volumes.namnd_volumes(namnd=unit("sn"), budget_year=year, period="okt")
    hvb = next(row for row in sn.rows if row.measure.name.startswith("Placeringsdygn HVB"))
    assert hvb.variance.amount > 0 and hvb.variance.percent > 25
    # The volumes carry the forecast deficit: their cost effect is of its size.
    deficit = -overview[unit("sn").pk].variance.amount
    assert deficit > 0
    assert deficit * Decimal("0.8") < sn.cost_effect < deficit * Decimal("1.2")
    # Lower in August after two placements ended, higher again in October (D6's story).
    forecasts = dict(hvb.by_period())
    assert forecasts["apr"] > forecasts["aug"] < forecasts["okt"]
    # BUN near its limit: a smaller cost effect, mostly from tilläggsbelopp.
    bun = volumes.namnd_volumes(namnd=unit("bun"), budget_year=year, period="okt")
    bun_deficit = -overview[unit("bun").pk].variance.amount
    assert 0 < bun.cost_effect < sn.cost_effect
    assert bun_deficit * Decimal("0.7") < bun.cost_effect < bun_deficit * Decimal("1.3")
    biggest = max(bun.rows, key=lambda row: row.cost_effect or 0)
    assert biggest.measure.name == "Elever med tilläggsbelopp"
    # Kultur- och fritidsnämnden, in surplus, has fewer pupils in kulturskolan than budgeted.
    kfn = volumes.namnd_volumes(namnd=unit("kfn"), budget_year=year, period="aug")
    assert kfn.cost_effect < 0 and overview[unit("kfn").pk].variance.amount > 0
