"""The frame pages: every role reads them; only the finance office recomputes."""

from decimal import Decimal

from budget.models import Driftbudgetram, FrameStage, IndexRate


def test_b2_overview_shows_every_namnd_at_each_stage_with_totals(login, client):
    login("bun.ledamot")
    page = client.get("/budget/ramar/2027/").content.decode()
    assert "Barn- och utbildningsnämnden" in page and "Socialnämnden" in page
    assert "Summa" in page


def test_b2_frame_page_shows_each_component_with_its_reason(login, client, unit):
    login("revisor")
    page = client.get(f"/budget/ramar/2027/{unit('bun').pk}/").content.decode()
    for text in ["Beslutad ram 2026", "Index personal", "Volymförändring",
                 "Generellt förändringsuppdrag", "Läxhjälp och lovskola",
                 "Riktat – redovisas vid årets slut", "Befolkningsavstämning 2026"]:
        assert text in page, text


def test_b5_finance_office_changes_an_index_and_every_frame_is_recomputed(login, client, unit):
    before = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                        stage=FrameStage.PRELIMINARY).total
    IndexRate.objects.filter(budget_year__year=2027, cost_type=None).update(percent="3.3")
    login("ekonom")
    assert client.post("/budget/ramar/2027/rakna-om/").status_code == 302
    after = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                       stage=FrameStage.PRELIMINARY).total
    assert after > before


def test_p1_politicians_do_not_recompute_frames(login, client):
    login("ks.ordforande")
    assert client.post("/budget/ramar/2027/rakna-om/").status_code == 403


def test_b1_each_stage_is_kept_and_shown_side_by_side(login, client, unit):
    preliminary = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                             stage=FrameStage.PRELIMINARY)
    login("ksau.ledamot")  # in the budgetberedning
    client.post(f"/budget/ram/{preliminary.pk}/nasta-skede/")
    proposal = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                          stage=FrameStage.PROPOSAL)
    assert proposal.total == preliminary.total
    assert proposal.lines.count() == preliminary.lines.count()
    assert client.post(f"/budget/ram/{proposal.pk}/nasta-skede/").status_code == 403
    login("kommunsekreterare")
    client.post(f"/budget/ram/{proposal.pk}/nasta-skede/")
    decided = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                         stage=FrameStage.DECIDED)
    assert decided.total == proposal.total
    from budget.frames.selectors import frame_overview

    rows, _ = frame_overview(budget_year=decided.budget_year)
    [bun_row] = [row for row in rows if row.namnd == unit("bun")]
    assert [frame.stage for frame in bun_row.cells()] == [
        FrameStage.PRELIMINARY, FrameStage.PROPOSAL, FrameStage.DECIDED]


def test_b1_a_decided_frame_does_not_move_on(login, client, unit):
    decided = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2026,
                                         stage=FrameStage.DECIDED)
    login("kommunsekreterare")
    response = client.post(f"/budget/ram/{decided.pk}/nasta-skede/", follow=True)
    assert "redan beslutad" in response.content.decode()


# --- KF's decision with the plan years (B2) and the latest forecast (B4) ----------------------


def _bun_proposal(unit):
    from budget.frames import services as frames

    preliminary = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                             stage=FrameStage.PRELIMINARY)
    return frames.advance_frame(frame=preliminary)


def test_b2_recording_kfs_decision_decides_the_plan_years_and_shows_them(login, client, unit):
    proposal = _bun_proposal(unit)
    login("kommunsekreterare")
    page = client.post(f"/budget/ram/{proposal.pk}/nasta-skede/", follow=True).content.decode()
    assert "Planramar beslutade med budgeten: 2028: " in page
    assert "Budgetår 2027 och planåren" in page
    assert "2028 (planår)" in page and "2029 (planår)" in page
    decided = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                         stage=FrameStage.DECIDED)
    assert sorted(decided.plan_frames.values_list("year", flat=True)) == [2028, 2029]


def test_b2_the_overview_shows_the_plan_years_beside_the_decided_frame(login, client, unit):
    from styrmodell.templatetags.styrmodell_tags import tkr

    proposal = _bun_proposal(unit)
    login("kommunsekreterare")
    client.post(f"/budget/ram/{proposal.pk}/nasta-skede/")
    plan = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                      stage=FrameStage.DECIDED).plan_frames.get(year=2029)
    login("revisor")
    page = client.get("/budget/ramar/2027/").content.decode()
    assert "Plan 2028" in page and "Plan 2029" in page
    assert tkr(plan.total) in page


def test_b2_a_preliminary_frame_without_a_plan_says_it_starts_from_last_years_frame(
        login, client, unit):
    login("revisor")
    page = client.get(f"/budget/ramar/2027/{unit('bun').pk}/").content.decode()
    assert "KF har inte beslutat någon planram för 2027 för nämnden" in page


def test_b4_a_forecast_changed_after_the_proposal_is_said_when_kf_decides(login, client, unit):
    from budget.models import Population

    proposal = _bun_proposal(unit)
    row = Population.objects.get(year=2027, age_group__name="6–15 år")
    row.forecast += 10
    row.save()
    login("kommunsekreterare")
    page = client.post(f"/budget/ram/{proposal.pk}/nasta-skede/", follow=True).content.decode()
    assert "Befolkningsprognosen har ändrats efter budgetförslaget" in page
    assert "Volymförändringen bygger på befolkningsprognosen senast ändrad" in page
    decided = Driftbudgetram.objects.get(namnd=unit("bun"), budget_year__year=2027,
                                         stage=FrameStage.DECIDED)
    assert decided.total - proposal.total == 10 * 112000


def test_b4_kfs_decision_on_the_whole_budget_says_what_it_did_per_namnd(login, client, unit):
    from budget.frames import services as frames

    _bun_proposal(unit)
    frames.advance_frame(frame=Driftbudgetram.objects.get(
        namnd=unit("sn"), budget_year__year=2027, stage=FrameStage.PRELIMINARY))
    login("bun.ledamot")
    assert client.post("/budget/ramar/2027/kf-beslut/").status_code == 403
    login("kommunsekreterare")
    overview = client.get("/budget/ramar/2027/").content.decode()
    assert "Registrera KF:s beslut om budgeten" in overview
    page = client.post("/budget/ramar/2027/kf-beslut/", follow=True).content.decode()
    assert "ramen 2027 för Barn- och utbildningsnämnden är registrerat" in page
    assert "ramen 2027 för Socialnämnden är registrerat" in page
    assert Driftbudgetram.objects.filter(budget_year__year=2027,
                                         stage=FrameStage.DECIDED).count() == 2


def test_b2_next_years_frame_page_says_it_starts_from_the_plan_frame(login, client, unit):
    from budget.frames import services as frames
    from styrmodell.models import BudgetYear

    frames.decide_frame(frame=_bun_proposal(unit))
    y2028 = BudgetYear.objects.create(year=2028)
    IndexRate.objects.create(budget_year=y2028, percent="2.3")
    frames.recompute_all(budget_year=y2028)
    login("bun.ledamot")
    page = client.get(f"/budget/ramar/2028/{unit('bun').pk}/").content.decode()
    assert "Ramen utgår från planramen för 2028 som KF beslutade med budget 2027" in page
    assert "Planram 2028 beslutad av KF med budget 2027" in page


def test_b2_the_overview_excel_has_the_plan_years_beside_the_decided_frame(login, client, unit):
    import io

    from openpyxl import load_workbook

    from budget.frames import services as frames

    decided = frames.decide_frame(frame=_bun_proposal(unit)).frame
    login("ekonom")
    sheet = load_workbook(io.BytesIO(client.get("/budget/ramar/2027/excel/").getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    [header] = [row for row in rows if row[0] == "Nämnd"]
    assert header[-2:] == ["Plan 2028", "Plan 2029"]
    [bun] = [row for row in rows if row[0] == "Barn- och utbildningsnämnden"]
    plans = decided.plan_frames.order_by("year")
    assert [Decimal(str(value)) for value in bun[-2:]] == [plan.total for plan in plans]
