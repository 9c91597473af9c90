"""The budget cycle (B1): budgetunderlag, the distribution over verksamheter (B2), versions of a
frame side by side, and the year's checklist.
"""

from decimal import Decimal

import pytest

from budget.cycle import services as cycle
from budget.frames import services as frames
from budget.models import (
    Budgetunderlag,
    CostType,
    Driftbudgetram,
    Fordelning,
    FrameStage,
    IndexRate,
    Verksamhet,
)
from styrmodell.versioning import STALE_MESSAGE

# --- budgetunderlag ----------------------------------------------------------------------------


def _underlag_data(client, year, namnd, **changes):
    page = client.get(f"/budget/underlag/{year}/{namnd.pk}/andra/")
    assert page.status_code == 200
    data = {name: "" if value is None else str(value)
            for name, value in page.context["form"].initial.items()}
    data.update(changes)
    return data


def test_b1_the_forvaltning_writes_its_namnds_budgetunderlag(login, client, unit):
    login("kfn.forvaltningschef")
    personnel = CostType.objects.get(code="personal")
    data = _underlag_data(client, 2027, unit("kfn"), goals_text="Fler besökare i biblioteket.",
                          consequences="Öppettiderna kan behållas.",
                          **{f"index_{personnel.pk}": "3,5",
                             f"reason_{personnel.pk}": "Nya avtal för kulturskolans lärare."})
    assert data["version"] == "0"
    response = client.post(f"/budget/underlag/2027/{unit('kfn').pk}/andra/", data)
    assert response.status_code == 302
    underlag = Budgetunderlag.objects.get(namnd=unit("kfn"), budget_year__year=2027)
    assert underlag.goals_text == "Fler besökare i biblioteket." and not underlag.is_adopted
    [expected] = underlag.expected_indices.all()
    assert (expected.cost_type, expected.percent) == (personnel, Decimal("3.5"))


def test_b5_an_expected_deviating_index_needs_its_reason(login, client, unit):
    login("sn.forvaltningschef")
    personnel = CostType.objects.get(code="personal")
    data = _underlag_data(client, 2027, unit("sn"), **{f"index_{personnel.pk}": "3,9"})
    page = client.post(f"/budget/underlag/2027/{unit('sn').pk}/andra/", data)
    assert "Motivera det förväntade indexet för personal" in page.content.decode()
    assert not Budgetunderlag.objects.get(namnd=unit("sn"), budget_year__year=2027) \
        .expected_indices.exists()


def test_b1_a_second_concurrent_edit_of_an_underlag_is_refused(login, client, unit):
    login("sn.forvaltningschef")
    first = _underlag_data(client, 2027, unit("sn"), consequences="Första versionen.")
    second = _underlag_data(client, 2027, unit("sn"), consequences="Andra versionen.")
    assert client.post(f"/budget/underlag/2027/{unit('sn').pk}/andra/", first).status_code == 302
    page = client.post(f"/budget/underlag/2027/{unit('sn').pk}/andra/", second)
    assert STALE_MESSAGE in page.content.decode()
    assert Budgetunderlag.objects.get(namnd=unit("sn"), budget_year__year=2027) \
        .consequences == "Första versionen."


def test_p5_a_forvaltningschef_does_not_write_another_namnds_underlag(login, client, unit):
    login("bun.forvaltningschef")
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/andra/").status_code == 403
    assert client.post(f"/budget/underlag/2027/{unit('sn').pk}/andra/",
                       {"goals_text": "x", "consequences": "y"}).status_code == 403
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/").status_code == 403  # a draft


def test_p2_politicians_do_not_edit_the_underlag_text(login, client, unit):
    for username in ("sn.ordforande", "ks.ordforande"):
        login(username)
        assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/andra/").status_code == 403


def test_b1_the_budgetberedning_reads_every_namnds_adopted_underlag(login, client, unit):
    """Presented to the budgetberedning once the nämnd has adopted it; a draft is the
    nämnd's own (P5)."""
    login("ksau.ledamot")
    assert client.get(f"/budget/underlag/2027/{unit('bun').pk}/").status_code == 200
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/").status_code == 403
    page = client.get("/budget/underlag/2027/").content.decode()
    assert "Antaget av nämnden" in page and "Utkast" in page and "Inte påbörjat" in page


def test_b1_the_namnd_adopts_its_underlag_and_it_is_locked(login, client, unit):
    underlag = Budgetunderlag.objects.get(namnd=unit("sn"), budget_year__year=2027)
    login("sn.ordforande")
    page = client.get(f"/budget/underlag/2027/{unit('sn').pk}/anta/")
    version = page.context["form"].initial["version"]
    response = client.post(f"/budget/underlag/2027/{unit('sn').pk}/anta/",
                           {"version": version, "adopted_on": "2026-04-16", "paragraph": "§ 41"})
    assert response.status_code == 302
    underlag.refresh_from_db()
    assert underlag.adopted_on.isoformat() == "2026-04-16" and underlag.paragraph == "41"
    login("sn.forvaltningschef")
    response = client.get(f"/budget/underlag/2027/{unit('sn').pk}/andra/", follow=True)
    assert cycle.UNDERLAG_LOCKED in response.content.decode()
    with pytest.raises(Exception, match="låst"):
        cycle.save_underlag(namnd=unit("sn"), budget_year=underlag.budget_year,
                            version=cycle.underlag_version(underlag), goals_text="Ny",
                            consequences="Ny", expected={})


def test_b1_the_forvaltningschef_does_not_record_the_namnds_adoption(login, client, unit):
    login("sn.forvaltningschef")
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/anta/").status_code == 403


def test_b1_the_namndsekreterare_records_the_adoption_of_its_own_namnd_only(login, client,
                                                                            unit):
    login("bun.sekreterare")
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/anta/").status_code == 403


def test_p4_revisor_reads_underlag_and_writes_nothing(login, client, unit):
    login("revisor")
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/").status_code == 200
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/andra/").status_code == 403
    assert client.get(f"/budget/underlag/2027/{unit('sn').pk}/anta/").status_code == 403


def test_underlag_list_query_count(login, client, django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(12):
        assert client.get("/budget/underlag/2027/").status_code == 200


# --- distribution over verksamheter (B2) -------------------------------------------------------


def _fordelning_data(client, namnd, year=2026, **amounts):
    page = client.get(f"/budget/fordelning/{year}/{namnd.pk}/")
    assert page.status_code == 200
    data = {name: "" if value is None else str(value)
            for name, value in page.context["form"].initial.items()}
    data.update(amounts)
    return data


def test_b2_the_distribution_must_equal_the_decided_frame_exactly(login, client, unit):
    bun = unit("bun")
    frame = Driftbudgetram.objects.get(namnd=bun, budget_year__year=2026,
                                       stage=FrameStage.DECIDED).total
    verksamheter = list(Verksamhet.objects.filter(namnd=bun).order_by("code"))
    login("bun.sekreterare")
    data = _fordelning_data(client, bun, adopted_on="2025-12-15", paragraph="120")
    first = [Decimal("97470000"), Decimal("155952000"), Decimal("55233000")]
    rest = frame - sum(first)

    def written(amount: Decimal) -> str:
        return f"{amount:,.0f}".replace(",", " ")

    # One krona short of the frame
    data.update({f"amount_{v.pk}": written(amount) for v, amount in zip(
        verksamheter, [*first, rest - 1], strict=True)})
    page = client.post(f"/budget/fordelning/2026/{bun.pk}/", data)
    assert "1 kr kvar att fördela" in page.content.decode().replace("\u00a0", " ")
    data[f"amount_{verksamheter[-1].pk}"] = written(rest + 1)
    page = client.post(f"/budget/fordelning/2026/{bun.pk}/", data)
    assert "1 kr för mycket fördelat" in page.content.decode().replace("\u00a0", " ")
    data[f"amount_{verksamheter[-1].pk}"] = written(rest)
    assert client.post(f"/budget/fordelning/2026/{bun.pk}/", data).status_code == 302
    fordelning = Fordelning.objects.get(namnd=bun, budget_year__year=2026)
    assert sum(row.amount for row in fordelning.rows.all()) == frame
    assert fordelning.paragraph == "120"


def test_b2_a_new_decision_replaces_the_distribution_and_history_keeps_both(login, client,
                                                                           unit):
    sn = unit("sn")
    fordelning = Fordelning.objects.get(namnd=sn, budget_year__year=2026)
    first = {row.verksamhet_id: row.amount for row in fordelning.rows.all()}
    login("sn.ordforande")
    keys = sorted(first)
    data = _fordelning_data(client, sn, adopted_on="2026-03-16", paragraph="22",
                            **{f"amount_{keys[0]}": str(first[keys[0]] - 100000),
                               f"amount_{keys[1]}": str(first[keys[1]] + 100000)})
    assert client.post(f"/budget/fordelning/2026/{sn.pk}/", data).status_code == 302
    row = fordelning.rows.get(verksamhet_id=keys[0])
    assert row.amount == first[keys[0]] - 100000
    assert [r.amount for r in row.history.order_by("history_id")] == [
        first[keys[0]], first[keys[0]] - 100000]
    assert fordelning.history.count() == 2


def test_b2_a_stale_distribution_is_refused(login, client, unit):
    sn = unit("sn")
    login("sn.ordforande")
    first = _fordelning_data(client, sn, paragraph="23")
    second = _fordelning_data(client, sn, paragraph="24")
    assert client.post(f"/budget/fordelning/2026/{sn.pk}/", first).status_code == 302
    assert STALE_MESSAGE in client.post(f"/budget/fordelning/2026/{sn.pk}/",
                                        second).content.decode()


def test_b2_no_distribution_before_kf_has_decided_the_frame(login, client, unit):
    login("bun.sekreterare")
    page = client.get(f"/budget/fordelning/2027/{unit('bun').pk}/")
    assert "ingen ram för 2027 beslutad av KF" in page.content.decode()


@pytest.mark.parametrize("username", ["bun.forvaltningschef", "ekonom", "revisor", "sn.ordforande"])
def test_p1_only_the_namnds_recorder_or_chair_records_its_distribution(login, client, unit,
                                                                       username):
    login(username)
    assert client.get(f"/budget/fordelning/2026/{unit('bun').pk}/").status_code == 403


def test_b2_the_frame_page_shows_the_distribution(login, client, unit):
    login("bun.ledamot")
    page = client.get(f"/budget/ramar/2026/{unit('bun').pk}/").content.decode()
    assert "Fördelning på verksamheter" in page and "Grundskola" in page
    assert "Beslutad av nämnden 15 december 2025, § 112" in page


# --- versions side by side (B1) ----------------------------------------------------------------


def test_b1_stages_side_by_side_line_by_line_with_differences(login, client, unit):
    preliminary = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                             stage=FrameStage.PRELIMINARY)
    proposal = frames.advance_frame(frame=preliminary)
    # the budgetberedning adds 2 mnkr to the proposal
    proposal.lines.create(kind="prioritering", label="Fler speciallärare",
                          amount=Decimal("2000000"), position=99)
    proposal.total += Decimal("2000000")
    proposal.save()
    comparison = cycle.compare_stages([preliminary, proposal])
    assert comparison.titles == ["Preliminär ram", "Budgetförslag"]
    assert comparison.difference == Decimal("2000000")
    [added] = [row for row in comparison.rows if row.label == "Fler speciallärare"]
    assert added.amounts == [None, Decimal("2000000")] and added.difference == Decimal("2000000")
    assert all(row.difference == 0 for row in comparison.rows if row is not added)
    login("bun.ledamot")
    page = client.get(f"/budget/ramar/2027/{unit('bun').pk}/").content.decode()
    assert "Skedena sida vid sida" in page and "Fler speciallärare" in page


def test_b1_every_recomputation_is_a_version_with_date_who_and_total(login, client, unit):
    login("ekonom")
    client.post("/budget/ramar/2027/rakna-om/")
    frame = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                       stage=FrameStage.PRELIMINARY)
    versions = cycle.versions_of(frame)
    assert len(versions) == 4  # three from the demo and this one
    assert versions[0].run.computed_by.username == "ekonom"
    assert versions[0].total == frame.total
    page = client.get(f"/budget/ramar/2027/{unit('bun').pk}/").content.decode()
    assert "Preliminära ramar i januari" in page and "Elin Ström" in page


def test_b1_two_versions_compared_line_by_line(login, client, unit):
    frame = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                       stage=FrameStage.PRELIMINARY)
    newest, _august, january = cycle.versions_of(frame)
    comparison = cycle.compare_versions(newest, january)
    assert comparison.totals == [january.total, newest.total]
    assert comparison.difference == newest.total - january.total
    index_rows = [row for row in comparison.rows if row.kind == "index"]
    # the index lines whose rates changed are matched, not shown as two new lines each
    assert len(index_rows) == 2 and all(None not in row.amounts for row in index_rows)
    assert sum(row.difference for row in comparison.rows) == comparison.difference
    base = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2026,
                                      stage=FrameStage.DECIDED).total
    # personnel 3.0 % → 3.4 % on 72 %, general 2.0 % → 2.3 % on 28 %
    assert comparison.difference == frames.kronor(base * Decimal("0.72") * Decimal("0.004")) \
        + frames.kronor(base * Decimal("0.28") * Decimal("0.003"))
    login("revisor")
    page = client.get(f"/budget/ramar/2027/{unit('bun').pk}/?a={january.pk}&b={newest.pk}")
    assert page.context["version_comparison"].difference == comparison.difference


# --- the year's checklist (B1) -----------------------------------------------------------------


def test_b1_the_cycle_page_shows_each_step_with_the_state_of_its_data(login, client,
                                                                     django_assert_max_num_queries):
    login("ekonomichef")
    with django_assert_max_num_queries(14):
        page = client.get("/budget/cykel/2027/")
    text = page.content.decode()
    assert "KS lämnar preliminära ramar till nämnderna" in text
    assert "5 av 5 nämnder har preliminär ram" in text
    assert "1 av 5 antagna, 2 utkast" in text
    assert "0 av 5 nämnder har ram beslutad av KF" in text
    steps = {step.event.code: step for step in page.context["steps"]}
    assert steps["b1-preliminara-ramar"].state == "klar"
    assert steps["b1-budgetunderlag"].overdue  # April has passed with drafts left
    page = client.get("/budget/cykel/2026/").content.decode()
    assert "5 av 5 nämnder har fördelat ramen på verksamheter" in page


def test_b1_cycle_page_is_read_by_every_role(login, client):
    login("medarbetare")
    assert client.get("/budget/cykel/").status_code == 302
    assert client.get("/budget/cykel/2027/").status_code == 200


def test_b5_the_index_form_shows_the_rate_as_swedish_readers_write_it(login, client):
    login("ekonom")
    page = client.get("/budget/antaganden/2027/index/")
    assert IndexRate.objects.get(budget_year__year=2027, cost_type=None).percent == Decimal("2.3")
    assert page.context["form"].initial["general"] == "2,3"


# --- exports -----------------------------------------------------------------------------------


def _sheet_titles(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    return load_workbook(BytesIO(response.getvalue())).sheetnames


def test_b1_the_cycle_tables_export_to_excel(login, client, unit):
    login("revisor")
    assert _sheet_titles(client.get("/budget/antaganden/2027/excel/")) == [
        "Index", "Kostnadsandelar", "Befolkning", "Kronor per invånare", "Ramjusteringar",
        "Senaste omräkning"]
    assert _sheet_titles(client.get("/budget/underlag/2027/excel/")) == ["Budgetunderlag 2027"]
    assert _sheet_titles(client.get("/budget/cykel/2027/excel/")) == ["Budgetprocessen 2027"]
    assert _sheet_titles(client.get(f"/budget/ramar/2027/{unit('bun').pk}/jamforelse/")) == [
        "Versioner", "Beräkningar"]


def test_frame_page_with_versions_and_distribution_query_count(login, client, unit,
                                                              django_assert_max_num_queries):
    login("ekonom")
    for _ in range(3):  # more versions cost no more queries
        client.post("/budget/ramar/2027/rakna-om/")
    with django_assert_max_num_queries(16):
        page = client.get(f"/budget/ramar/2027/{unit('bun').pk}/")
    assert len(page.context["versions"]) == 6
    with django_assert_max_num_queries(17):  # a decided frame also shows its plan years (B2)
        assert client.get(f"/budget/ramar/2026/{unit('bun').pk}/").status_code == 200


def test_b1_underlag_list_offers_its_excel_export(login, client):
    login("ekonom")
    page = client.get("/budget/underlag/2027/").content.decode()
    assert "<title>Budgetunderlag 2027" in page and "/budget/underlag/2027/excel/" in page
