"""The finance office edits the frame assumptions in the application (B3-B6): every change
recomputes the preliminary frames and shows old → new; decided frames are never touched (B1).
"""

from decimal import Decimal

import pytest

from budget.frames import services as frames
from budget.models import (
    AdjustmentKind,
    AgeGroup,
    CostType,
    Driftbudgetram,
    FrameAdjustment,
    FrameStage,
    IndexRate,
    Population,
    Recomputation,
    VolumeRate,
)
from styrmodell.versioning import STALE_MESSAGE


def _preliminary(namnd):
    return Driftbudgetram.objects.get(namnd=namnd, budget_year__year=2027,
                                      stage=FrameStage.PRELIMINARY).total


def _index_form(client):
    """The index form as the page gives it: the version and the current values."""
    page = client.get("/budget/antaganden/2027/index/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: ("" if value is None else str(value)).replace(".", ",")
            for name, value in form.initial.items()}
    data["version"] = form.initial["version"]
    return data


def test_b5_changing_the_general_index_recomputes_every_preliminary_frame(login, client, unit):
    before = {key: _preliminary(unit(key)) for key in ("bun", "sn", "kfn")}
    login("ekonom")
    data = _index_form(client)
    data["general"] = "2,5"
    response = client.post("/budget/antaganden/2027/index/", data)
    assert response.status_code == 302
    # BUN: 28 % of its 2026 frame at the general index, 0.2 points more
    base = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2026,
                                      stage=FrameStage.DECIDED).total
    assert _preliminary(unit("bun")) - before["bun"] == frames.kronor(
        base * Decimal("0.28") * Decimal("0.002"))
    assert all(_preliminary(unit(key)) > before[key] for key in before)
    run = Recomputation.objects.filter(budget_year__year=2027).first()
    assert run.computed_by.username == "ekonom" and "allmänt index 2,5 %" in run.reason


def test_b5_the_page_shows_old_and_new_total_per_namnd_after_a_change(login, client, unit):
    before = _preliminary(unit("bun"))
    login("ekonom")
    data = _index_form(client)
    data["general"] = "2,5"
    page = client.post("/budget/antaganden/2027/index/", data, follow=True)
    changes = {change.namnd.pk: change for change in page.context["changes"]}
    assert changes[unit("bun").pk].old == before
    assert changes[unit("bun").pk].new == _preliminary(unit("bun"))
    assert "De preliminära ramarna är omräknade" in page.content.decode()


def test_b1_an_assumption_edit_never_touches_a_decided_frame(login, client, unit):
    """KF has decided BUN's 2027 frame: neither it nor BUN's earlier stages are recomputed."""
    preliminary = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                             stage=FrameStage.PRELIMINARY)
    proposal = frames.advance_frame(frame=preliminary)
    decided = frames.advance_frame(frame=proposal)
    lines_before = list(decided.lines.values_list("label", "amount"))
    sn_before = _preliminary(unit("sn"))
    login("ekonom")
    data = _index_form(client)
    data["general"] = "4"
    assert client.post("/budget/antaganden/2027/index/", data).status_code == 302
    decided.refresh_from_db()
    assert decided.total == proposal.total == preliminary.total
    assert list(decided.lines.values_list("label", "amount")) == lines_before
    assert _preliminary(unit("bun")) == preliminary.total
    assert _preliminary(unit("sn")) > sn_before


def test_b5_a_second_concurrent_index_edit_is_refused(login, client):
    login("ekonom")
    first, second = _index_form(client), _index_form(client)
    first["general"] = "2,6"
    assert client.post("/budget/antaganden/2027/index/", first).status_code == 302
    second["general"] = "2,1"
    page = client.post("/budget/antaganden/2027/index/", second)
    assert page.status_code == 200
    assert STALE_MESSAGE in page.content.decode()
    assert IndexRate.objects.get(budget_year__year=2027, cost_type=None).percent == Decimal("2.6")


def test_b5_a_differentiated_index_left_empty_follows_the_general_one(login, client, unit):
    personnel = CostType.objects.get(code="personal")
    login("ekonom")
    data = _index_form(client)
    data[f"type_{personnel.pk}"] = ""
    assert client.post("/budget/antaganden/2027/index/", data).status_code == 302
    assert not IndexRate.objects.filter(budget_year__year=2027, cost_type=personnel).exists()
    frame = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                       stage=FrameStage.PRELIMINARY)
    assert [line.label for line in frame.lines.filter(kind="index")] == [
        "Index personal 2,3 % på 72 % av ramen", "Allmänt index på övriga 28 %: 2,3 %"]


def test_b4_a_new_population_forecast_changes_the_volume_of_the_frame(login, client, unit):
    old = Population.objects.get(year=2027, age_group__name="80 år och äldre").forecast
    group = AgeGroup.objects.get(name="80 år och äldre")
    before = _preliminary(unit("sn"))
    login("ekonom")
    page = client.get("/budget/antaganden/2027/befolkning/")
    data = {name: "" if value is None else str(value)
            for name, value in page.context["form"].initial.items()}
    data[f"forecast_{group.pk}_2027"] = str(old + 10)
    assert client.post("/budget/antaganden/2027/befolkning/", data).status_code == 302
    assert _preliminary(unit("sn")) - before == 10 * Decimal("145000")


def test_b4_kronor_per_inhabitant_edited_in_a_grid(login, client, unit):
    group = AgeGroup.objects.get(name="80 år och äldre")
    before = _preliminary(unit("sn"))
    login("ekonom")
    page = client.get("/budget/antaganden/2027/volympeng/")
    data = {name: "" if value is None else str(value)
            for name, value in page.context["form"].initial.items()}
    data[f"rate_{unit('sn').pk}_{group.pk}"] = "150 000"
    assert client.post("/budget/antaganden/2027/volympeng/", data).status_code == 302
    assert VolumeRate.objects.get(namnd=unit("sn"), age_group=group).amount == Decimal("150000")
    assert _preliminary(unit("sn")) - before == 25 * Decimal("5000")  # +25 over 80 × 5 000 kr


def test_b5_cost_shares_above_100_percent_are_refused_and_nothing_saved(login, client, unit):
    personnel = CostType.objects.get(code="personal")
    other = CostType.objects.get(code="ovrigt")
    login("ekonom")
    page = client.get("/budget/antaganden/2027/kostnadsandelar/")
    data = {name: "" if value is None else str(value)
            for name, value in page.context["form"].initial.items()}
    data[f"share_{unit('bun').pk}_{other.pk}"] = "40"
    page = client.post("/budget/antaganden/2027/kostnadsandelar/", data)
    assert "mer än 100 %" in page.content.decode()
    assert unit("bun").pk not in {s.namnd_id for s in other.costshare_set.all()}
    assert personnel.costshare_set.get(namnd=unit("bun")).percent == Decimal("72")


def _adjustment(client, **fields):
    data = {"version": "0", "kind": "", "namnd": "", "reason": "", "percent": "", "amount": ""}
    data.update(fields)
    return client.post("/budget/antaganden/2027/justering/ny/", data)


def test_b6_a_change_requirement_is_a_percent_or_an_amount_never_both(login, client):
    login("ekonom")
    count = FrameAdjustment.objects.count()
    page = _adjustment(client, kind=AdjustmentKind.EFFICIENCY, reason="Lokaleffektivisering",
                       percent="0,5", amount="1000000")
    assert "antingen procent eller belopp, inte båda" in page.content.decode()
    page = _adjustment(client, kind=AdjustmentKind.EFFICIENCY, reason="Lokaleffektivisering")
    assert "antingen i procent av basen eller som belopp" in page.content.decode()
    assert FrameAdjustment.objects.count() == count


def test_b6_a_change_requirement_as_an_amount_for_one_namnd(login, client, unit):
    before = _preliminary(unit("kfn"))
    login("ekonom")
    response = _adjustment(client, kind=AdjustmentKind.EFFICIENCY, namnd=unit("kfn").pk,
                           reason="Färre öppettimmar i sporthallen", amount="250 000")
    assert response.status_code == 302
    assert _preliminary(unit("kfn")) - before == Decimal("-250000")


def test_b3_an_earmarked_allocation_needs_a_namnd(login, client):
    login("ksau.ledamot")  # in the budgetberedning
    page = _adjustment(client, kind=AdjustmentKind.EARMARKED, reason="Simskola",
                       amount="300000")
    assert "välj nämnd" in page.content.decode()
    assert not FrameAdjustment.objects.filter(reason="Simskola").exists()


def test_b3_the_budgetberedning_enters_a_priority_and_the_frame_follows(login, client, unit):
    before = _preliminary(unit("sbn"))
    login("ksau.ledamot")
    response = _adjustment(client, kind=AdjustmentKind.PRIORITY, namnd=unit("sbn").pk,
                           reason="Fler gatlyktor", amount="400000")
    assert response.status_code == 302
    assert _preliminary(unit("sbn")) - before == Decimal("400000")


def test_p1_the_finance_office_does_not_enter_political_priorities(login, client, unit):
    login("ekonom")
    page = _adjustment(client, kind=AdjustmentKind.PRIORITY, namnd=unit("sbn").pk,
                       reason="Fler gatlyktor", amount="400000")
    assert page.status_code == 403
    assert not FrameAdjustment.objects.filter(reason="Fler gatlyktor").exists()
    adjustment = FrameAdjustment.objects.get(reason="Förstärkt hemtjänst nattetid")
    assert client.get(f"/budget/justering/{adjustment.pk}/").status_code == 403
    assert client.post(f"/budget/justering/{adjustment.pk}/ta-bort/").status_code == 403


def test_p1_the_budgetberedning_does_not_edit_the_finance_offices_indices(login, client):
    login("ks.ordforande")
    assert client.get("/budget/antaganden/2027/index/").status_code == 403
    general = FrameAdjustment.objects.get(reason="Generellt förändringsuppdrag 0,5 %")
    assert client.get(f"/budget/justering/{general.pk}/").status_code == 403


def test_b6_editing_an_adjustment_against_a_stale_version_is_refused(login, client, unit):
    adjustment = FrameAdjustment.objects.get(reason="Generellt förändringsuppdrag 0,5 %")
    login("ekonom")
    form = client.get(f"/budget/justering/{adjustment.pk}/").context["form"]
    data = {"version": form.initial["version"], "kind": adjustment.kind, "namnd": "",
            "reason": adjustment.reason, "percent": "0,6", "amount": ""}
    assert client.post(f"/budget/justering/{adjustment.pk}/", data).status_code == 302
    data["percent"] = "0,7"
    page = client.post(f"/budget/justering/{adjustment.pk}/", data)
    assert STALE_MESSAGE in page.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.percent == Decimal("0.6")


def test_b6_deleting_an_adjustment_recomputes_the_frames(login, client, unit):
    adjustment = FrameAdjustment.objects.get(reason="Generellt förändringsuppdrag 0,5 %")
    before = _preliminary(unit("bun"))
    login("ekonomichef")
    assert client.post(f"/budget/justering/{adjustment.pk}/ta-bort/").status_code == 302
    base = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2026,
                                      stage=FrameStage.DECIDED).total
    assert _preliminary(unit("bun")) - before == frames.kronor(base * Decimal("0.005"))


def test_b4_a_forecast_the_frames_follow_cannot_be_emptied(login, client):
    """Without the 2027 forecast for an age group the volume cannot be computed: refused."""
    group = AgeGroup.objects.get(name="1–5 år")
    login("ekonom")
    page = client.get("/budget/antaganden/2027/befolkning/")
    data = {name: "" if value is None else str(value)
            for name, value in page.context["form"].initial.items()}
    data[f"forecast_{group.pk}_2027"] = ""
    page = client.post("/budget/antaganden/2027/befolkning/", data)
    assert "Ange prognosen för 1–5 år 2027" in page.content.decode()
    assert Population.objects.filter(year=2027, age_group=group).exists()


@pytest.mark.parametrize("username", ["revisor", "bun.forvaltningschef", "bun.ordforande"])
def test_p4_only_the_finance_office_edits_assumptions(login, client, username):
    login(username)
    assert client.get("/budget/antaganden/2027/").status_code == 200
    for url in ("index", "kostnadsandelar", "befolkning", "volympeng"):
        assert client.get(f"/budget/antaganden/2027/{url}/").status_code == 403
    assert client.get("/budget/antaganden/2027/justering/ny/").status_code == 403


def test_assumption_page_query_count(login, client, django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(20):
        page = client.get("/budget/antaganden/2027/")
    text = page.content.decode()
    for heading in ("Index", "Kostnadsandelar per nämnd", "Befolkning per åldersgrupp",
                    "Kronor per invånare", "Ramjusteringar", "Senaste omräkning"):
        assert heading in text
