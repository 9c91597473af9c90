"""Key figures: definitions, values, targets, the chart, A2 and nämndnyckeltal (G8)."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from goals import demo_keyfigures, keyfigures
from goals.charts import Series, line_chart
from goals.models import (
    GoodDirection,
    Namndmal,
    Nyckeltal,
    NyckeltalMalvarde,
    NyckeltalVarde,
)
from styrmodell import formatting
from styrmodell.demo import DEMO_LOGINS
from styrmodell.models import BudgetYear, User
from styrmodell.permissions import Action, can, forget_assignments, may_somewhere
from styrmodell.versioning import STALE_MESSAGE, current_version

D = Decimal
CANDIDATE = "Kandidat till nämndmål nästa år"


@pytest.fixture
def figures(municipality):
    """The demo key figures, keyed by Kolada id."""
    demo_keyfigures.seed(municipality)
    return {figure.kolada_kpi: figure for figure in Nyckeltal.objects.exclude(kolada_kpi="")}


def _url(name, *args):
    return reverse(f"goals:{name}", args=args)


def _row_of(html: str, name: str) -> str:
    """The table row of the list page that holds the key figure's name."""
    for row in re.findall(r"<tr.*?</tr>", html, flags=re.S):
        if name in row:
            return row
    raise AssertionError(f"no row for {name}")


# --- A2 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "direction", "candidate"),
    [
        ({2024: D("86.4"), 2025: D("82.7")}, GoodDirection.UP, True),
        ({2024: D("82.7"), 2025: D("86.4")}, GoodDirection.UP, False),
        ({2024: D("0.6"), 2025: D("1.3")}, GoodDirection.DOWN, True),
        ({2024: D("7.6"), 2025: D("7.2")}, GoodDirection.DOWN, False),
        ({2024: D("7.2"), 2025: D("7.2")}, GoodDirection.DOWN, False),
        ({2025: D("50")}, GoodDirection.UP, False),
        ({}, GoodDirection.UP, False),
        # A year without a value is skipped: 2023 is compared with 2025.
        ({2023: D("80"), 2024: None, 2025: D("79")}, GoodDirection.UP, True),
        # Only the latest two periods count, not the whole series.
        ({2021: D("90"), 2024: D("70"), 2025: D("71")}, GoodDirection.UP, False),
    ],
)
def test_a2_negative_development_respects_the_good_direction(values, direction, candidate):
    assert keyfigures.is_candidate_for_namndmal(values, direction) is candidate


def test_a2_flag_with_text_and_symbol_on_list_and_detail(login, client, figures):
    login("medarbetare")
    html = client.get(_url("nyckeltal_list")).content.decode()
    falling = _row_of(html, figures["N15436"].name)
    assert CANDIDATE in falling
    assert "⚠" in falling and "Försämras" in falling
    rising = _row_of(html, figures["N01951"].name)
    assert CANDIDATE not in rising and "Förbättras" in rising

    detail = client.get(figures["N15436"].get_absolute_url()).content.decode()
    assert CANDIDATE in detail
    assert "86,4\u00a0% (2024) → 82,7\u00a0% (2025)" in detail
    assert "Enligt styrmodellen lyfts ett nyckeltal som utvecklas negativt" in detail
    assert CANDIDATE not in client.get(figures["N00090"].get_absolute_url()).content.decode()


def test_a2_lower_is_better_figure_rising_is_flagged(login, client, figures):
    login("ekonom")
    html = client.get(_url("nyckeltal_list")).content.decode()
    assert CANDIDATE in _row_of(html, figures["N00097"].name)  # 0,6 → 1,3, lower is better


def test_a2_compares_the_municipality_not_other_units(login, client, municipality, figures):
    figure = figures["N01951"]  # rising for the kommun
    for year, value in ((2024, "500"), (2025, "400")):
        NyckeltalVarde.objects.create(nyckeltal=figure, unit=municipality["bun"], period=year,
                                      value=D(value))
    detail = keyfigures.key_figure_detail(figure)
    assert detail.trend.latest_value == D("10231") and not detail.is_candidate
    assert [row for row in keyfigures.key_figure_rows(User.objects.get(username="ekonom"))
            if row.nyckeltal == figure][0].is_candidate is False


# --- the chart ----------------------------------------------------------------------------------


def test_chart_is_an_accessible_svg_with_title_desc_axes_and_target_line():
    svg = line_chart(
        [Series("Ekbacka kommun", {2021: D("84.2"), 2022: D("85.9"), 2023: None,
                                   2024: D("86.4"), 2025: D("82.7")})],
        chart_id="diagram-1", title="Behöriga <åk 9>", unit_label="%",
        targets={2025: D("88"), 2026: D("88")},
    )
    root = ET.fromstring(svg)  # well-formed XML, the same markup for a PDF
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    title, desc = root.find(f"{ns}title"), root.find(f"{ns}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Behöriga <åk 9>"
    assert "2025: 82,7\u00a0%" in desc.text and "Målvärde – 2025: 88\u00a0%" in desc.text
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert {"2021", "2025", "2026", "År", "%", "Målvärde", "Ekbacka kommun"} <= set(texts)
    one_target = line_chart([Series("K", {2025: D("1")})], chart_id="y", title="T",
                            targets={2026: D("2")})
    assert "Målvärde (2026)" in one_target
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{ns}line"))
    # 2023 has no value: the line is broken in two, not drawn through zero.
    assert len(list(root.iter(f"{ns}polyline"))) == 3  # two runs of the series, one target line
    assert "style=" not in svg and "<script" not in svg  # CSP: no inline styles or scripts
    assert "float" not in svg


def test_chart_without_values_is_empty_and_one_value_is_a_point():
    assert line_chart([Series("Kommunen", {2025: None})], chart_id="x", title="T") == ""
    svg = line_chart([Series("Kommunen", {2025: D("3")})], chart_id="x", title="T")
    root = ET.fromstring(svg)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}circle"))) == 2  # point and legend


def test_numbers_are_shown_the_swedish_way():
    assert formatting.number(D("10231.0000")) == "10\u00a0231"
    assert formatting.number(D("82.7000")) == "82,7"
    assert formatting.number(D("-2.5")) == "−2,5"
    assert formatting.number(D("0.0000")) == "0"
    assert formatting.number(D("7"), places=1) == "7,0"


# --- pages --------------------------------------------------------------------------------------


def test_detail_shows_definition_values_chart_source_and_linked_goals(login, client, figures,
                                                                      municipality):
    figure = figures["N15436"]
    goal = Namndmal.objects.create(
        namnd=municipality["bun"], budget_year=BudgetYear.objects.get(year=2026),
        title="Fler behöriga elever i nian", what="Fler elever blir behöriga.",
        how_measured="N15436", target="88 %", by_when=dt.date(2026, 12, 31),
        status="antaget",
    )
    goal.key_figures.add(figure)
    login("revisor")
    html = client.get(figure.get_absolute_url()).content.decode()
    assert "<h1>" + figure.name in html
    assert "Kolada (N15436)" in html
    assert "Högre är bättre" in html
    assert "Nämndnyckeltal för" in html and "Barn- och utbildningsnämnden" in html
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "Källa: Kolada" in html
    assert "82,7\u00a0%" in html and "88\u00a0%" in html  # a value and a target
    assert "Fler behöriga elever i nian" in html
    assert "Lägg in värde" not in html  # the revisor reads only


def test_manual_value_accepts_the_swedish_decimal_comma(login, client, figures, municipality):
    figure = figures["N00090"]
    login("ekonom")
    response = client.post(_url("nyckeltal_value", figure.pk), {
        "unit": municipality["kommun"].pk, "period": 2026, "value": " 6,85 ",
    })
    assert response.status_code == 302
    stored = NyckeltalVarde.objects.get(nyckeltal=figure, unit=municipality["kommun"],
                                        period=2026)
    assert stored.value == D("6.85") and stored.source == "manuell"

    # The same year again replaces the value; thousands may be spaced.
    client.post(_url("nyckeltal_value", figure.pk), {
        "unit": municipality["kommun"].pk, "period": 2026, "value": "1 234,5",
    })
    assert NyckeltalVarde.objects.get(nyckeltal=figure, period=2026,
                                      unit=municipality["kommun"]).value == D("1234.5")


def test_values_are_kept_for_the_municipality_and_the_namnder_never_an_enhet(
        login, client, figures, municipality):
    figure = figures["N00090"]
    login("ekonom")
    html = client.get(_url("nyckeltal_value", figure.pk)).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', html))
    assert offered == {str(pk) for pk in keyfigures.units_with_values().values_list("pk",
                                                                                     flat=True)}
    assert str(municipality["kommun"].pk) in offered and str(municipality["bun"].pk) in offered
    assert str(municipality["aspaskolan"].pk) not in offered
    before = NyckeltalVarde.objects.count()
    response = client.post(_url("nyckeltal_value", figure.pk), {
        "unit": municipality["aspaskolan"].pk, "period": 2026, "value": "7"})
    assert response.status_code == 200 and "giltigt alternativ" in response.content.decode()
    assert NyckeltalVarde.objects.count() == before


@pytest.mark.parametrize("typed", ["sju", "7,5.2", "1,23456", "1e30"])
def test_a_value_that_is_not_a_number_is_explained_and_not_saved(login, client, figures,
                                                                  municipality, typed):
    figure = figures["N00090"]
    before = NyckeltalVarde.objects.count()
    login("ekonom")
    response = client.post(_url("nyckeltal_value", figure.pk), {
        "unit": municipality["kommun"].pk, "period": 2026, "value": typed,
    })
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert NyckeltalVarde.objects.count() == before


def test_create_a_key_figure_then_edit_it_with_a_version(login, client, municipality):
    login("ekonomichef")
    response = client.post(_url("nyckeltal_create"), {
        "name": "Andel ekologiska livsmedel", "unit_label": "%", "good_direction": "upp",
        "source": "", "kolada_kpi": "n00431", "description": "", "namnd": "",
    })
    assert response.status_code == 302
    figure = Nyckeltal.objects.get(name="Andel ekologiska livsmedel")
    assert figure.kolada_kpi == "N00431" and figure.source == "Kolada" and figure.namnd is None

    stale = current_version(figure)
    data = {"name": "Andel ekologiska livsmedel i kommunens kök", "unit_label": "%",
            "good_direction": "upp", "source": "Kolada", "kolada_kpi": "N00431",
            "description": "", "namnd": "", "version": stale}
    assert client.post(_url("nyckeltal_edit", figure.pk), data).status_code == 302
    data["name"] = "Ett annat namn"
    response = client.post(_url("nyckeltal_edit", figure.pk), data)  # the same, now old version
    assert STALE_MESSAGE in response.content.decode()
    figure.refresh_from_db()
    assert figure.name == "Andel ekologiska livsmedel i kommunens kök"


def test_a_kolada_id_is_used_by_one_key_figure_only(figures):
    with pytest.raises(keyfigures.DomainError, match="används redan"):
        keyfigures.create_key_figure(name="Dubblett", kolada_kpi="N15436")
    with pytest.raises(keyfigures.DomainError, match="fem siffror"):
        keyfigures.create_key_figure(name="Fel id", kolada_kpi="15419")


def test_target_is_set_per_year_and_removed_with_an_empty_value(login, client, figures):
    figure = figures["N01951"]
    login("kommundirektor")
    client.post(_url("nyckeltal_target", figure.pk), {"year": 2027, "value": "10 400"})
    assert NyckeltalMalvarde.objects.get(nyckeltal=figure, year=2027).value == D("10400")
    client.post(_url("nyckeltal_target", figure.pk), {"year": 2027, "value": ""})
    assert not NyckeltalMalvarde.objects.filter(nyckeltal=figure, year=2027).exists()


# --- G8 and permissions ---------------------------------------------------------------------


def test_g8_namndnyckeltal_is_the_namnds_own_and_labelled_so(login, client, figures):
    login("bun.ledamot")
    html = client.get(_url("nyckeltal_list")).content.decode()
    assert "Nämndnyckeltal, BUN" in _row_of(html, figures["N15436"].name)
    assert "Kommungemensamt" in _row_of(html, figures["N01951"].name)
    only_bun = client.get(_url("nyckeltal_list") + f"?visa={figures['N15436'].namnd_id}")
    assert figures["N01951"].name not in only_bun.content.decode()
    detail = client.get(figures["N15436"].get_absolute_url()).content.decode()
    assert "inte i KF:s årsredovisning" in detail


def test_g8_forvaltningschef_changes_own_namnds_figures_only(login, client, figures,
                                                             municipality):
    login("bun.forvaltningschef")
    assert client.get(_url("nyckeltal_edit", figures["N15436"].pk)).status_code == 200
    assert client.get(_url("nyckeltal_edit", figures["U21401"].pk)).status_code == 403  # SN's
    assert client.get(_url("nyckeltal_edit", figures["N01951"].pk)).status_code == 403  # common
    response = client.post(_url("nyckeltal_value", figures["N01951"].pk), {
        "unit": municipality["kommun"].pk, "period": 2026, "value": "1"})
    assert response.status_code == 403

    # A new one can only be BUN's own: no common choice, SN not offered.
    form = client.get(_url("nyckeltal_create")).content.decode()
    assert "Kommungemensamt nyckeltal" not in form and "Socialnämnden" not in form
    for namnd in ("", municipality["sn"].pk):
        response = client.post(_url("nyckeltal_create"), {"name": "Smygtal",
                                                          "good_direction": "upp",
                                                          "namnd": namnd})
        assert response.status_code == 403
    assert not Nyckeltal.objects.filter(name="Smygtal").exists()
    client.post(_url("nyckeltal_create"), {"name": "Frånvaro i grundskolan",
                                           "good_direction": "ned",
                                           "namnd": municipality["bun"].pk})
    assert Nyckeltal.objects.get(name="Frånvaro i grundskolan").namnd == municipality["bun"]


def test_politician_cannot_edit_a_key_figure(login, client, figures, municipality):
    login("bun.ordforande")
    figure = figures["N15436"]
    assert client.get(figure.get_absolute_url()).status_code == 200
    for name in ("nyckeltal_edit", "nyckeltal_value", "nyckeltal_target"):
        assert client.get(_url(name, figure.pk)).status_code == 403
    response = client.post(_url("nyckeltal_value", figure.pk), {
        "unit": municipality["kommun"].pk, "period": 2026, "value": "99"})
    assert response.status_code == 403
    assert not NyckeltalVarde.objects.filter(nyckeltal=figure, period=2026).exists()
    assert client.get(_url("nyckeltal_create")).status_code == 403


def test_revisor_reads_key_figures_but_writes_nothing(login, client, figures):
    login("revisor")
    figure = figures["N01951"]
    assert client.get(_url("nyckeltal_list")).status_code == 200
    assert client.get(figure.get_absolute_url()).status_code == 200
    for url in (_url("nyckeltal_edit", figure.pk), _url("nyckeltal_value", figure.pk),
                _url("nyckeltal_target", figure.pk), _url("nyckeltal_create"),
                _url("nyckeltal_import")):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_p5_key_figure_and_plan_pages_follow_the_table_for_every_role(client, figures,
                                                                      municipality, username):
    bun, sbn = municipality["bun"], municipality["sbn"]
    year = BudgetYear.objects.get(year=2027)
    goal = Namndmal.objects.create(namnd=bun, budget_year=year, title="Walk", what="x",
                                   how_measured="x", target="x", by_when=dt.date(2027, 12, 31))
    from goals import plans

    plans.create_plan(namnd=bun, budget_year=year)
    cases = [
        ("nyckeltal", Action.VIEW, None, _url("nyckeltal_list")),
        ("nyckeltal", Action.VIEW, bun, figures["N15436"].get_absolute_url()),
        ("nyckeltal", Action.ADD, "somewhere", _url("nyckeltal_create")),
        ("nyckeltal", Action.CHANGE, None, _url("nyckeltal_edit", figures["N01951"].pk)),
        ("nyckeltal", Action.CHANGE, bun, _url("nyckeltal_value", figures["N15436"].pk)),
        ("verksamhetsplan", Action.VIEW, bun, _url("verksamhetsplan", bun.pk, 2027)),
        ("verksamhetsplan", Action.ADD, sbn, _url("verksamhetsplan_create", sbn.pk, 2027)),
        ("verksamhetsplan", Action.CHANGE, bun, _url("verksamhetsplan_edit", bun.pk, 2027)),
        ("verksamhetsplan", Action.CHANGE, bun,
         _url("verksamhetsplan_row", bun.pk, 2027, goal.pk)),
        ("verksamhetsplan", Action.APPROVE, bun, _url("verksamhetsplan_adopt", bun.pk, 2027)),
    ]
    user = User.objects.get(username=username)
    client.force_login(user)
    failures = []
    for kind, action, unit, url in cases:
        forget_assignments(user)
        if unit == "somewhere":  # a create page opens if the user may add in some unit
            allowed = may_somewhere(user, kind, action)
        else:
            allowed = can(user, action, kind, unit)
        want = 200 if allowed else 403
        got = client.get(url).status_code
        if got != want:
            failures.append(f"{kind}/{action} {url}: got {got}, expected {want}")
    assert failures == []


# --- queries --------------------------------------------------------------------------------


def _more_figures(count: int, kommun) -> None:
    for number in range(count):
        figure = Nyckeltal.objects.create(name=f"Extra {number:03d}", unit_label="%",
                                          namnd=None)
        NyckeltalMalvarde.objects.create(nyckeltal=figure, year=2026, value=D(number))
        for year in (2023, 2024, 2025):
            NyckeltalVarde.objects.create(nyckeltal=figure, unit=kommun, period=year,
                                          value=D(number + year % 7))


@pytest.mark.parametrize("extra", [2, 40])
def test_list_page_queries_do_not_grow_with_the_number_of_key_figures(
    login, client, figures, municipality, django_assert_max_num_queries, extra
):
    _more_figures(extra, municipality["kommun"])
    login("ekonom")
    with django_assert_max_num_queries(12):  # the same at both sizes
        response = client.get(_url("nyckeltal_list"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/mal/nyckeltal/') >= extra + len(figures)


# --- demo -----------------------------------------------------------------------------------


def test_demo_key_figures_are_idempotent_and_plans_need_namndmal(municipality):
    from goals.models import Verksamhetsplan
    from styrmodell.models import OrganisationUnit, UnitKind

    demo_keyfigures.seed(municipality)
    counts = (Nyckeltal.objects.count(), NyckeltalVarde.objects.count(),
              NyckeltalMalvarde.objects.count(), Verksamhetsplan.objects.count())
    demo_keyfigures.seed(municipality)
    assert (Nyckeltal.objects.count(), NyckeltalVarde.objects.count(),
            NyckeltalMalvarde.objects.count(), Verksamhetsplan.objects.count()) == counts
    assert Nyckeltal.objects.filter(namnd=municipality["bun"]).exists()  # G8
    assert any(row.is_candidate for row in keyfigures.key_figure_rows(
        User.objects.get(username="ekonom")))  # A2 shows in the demo

    empty = OrganisationUnit.objects.create(name="Ny nämnd utan mål", kind=UnitKind.NAMND,
                                            parent=municipality["kf"])
    demo_keyfigures.seed({**municipality, "bun": empty, "sn": empty})
    assert not Verksamhetsplan.objects.filter(namnd=empty).exists()
