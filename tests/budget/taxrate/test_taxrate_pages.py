"""The skattesats pages (B11): who may propose and who records KF's decision, and the page
showing it with its history."""

from budget.models import Skattesats
from styrmodell.versioning import current_version


def test_b11_rate_recorded_by_the_kommunsekreterare_and_shown_with_history(login, client):
    login("ksau.ledamot")  # in the budgetberedning: may propose, not record KF's decision
    assert client.get("/budget/skattesats/2027/forslag/").status_code == 200
    assert client.get("/budget/skattesats/2027/beslut/").status_code == 403
    login("kommunsekreterare")
    rate = Skattesats.objects.get(budget_year__year=2027)
    assert (
        client.post(
            "/budget/skattesats/2027/beslut/",
            {
                "percent": "22,29",
                "decided_on": "2026-11-23",
                "paragraph": "98",
                "version": current_version(rate),
            },
        ).status_code
        == 302
    )
    page = client.get("/budget/skattesats/2027/").content.decode()
    assert "22,29" in page
    assert "KF 23 november 2026, § 98" in page and "Ändringshistorik" in page
