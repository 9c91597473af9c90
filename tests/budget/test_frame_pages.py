"""The frame pages: every role reads them; only the finance office recomputes."""

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
    from budget.selectors import frame_overview

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
