"""The bokslut pages (F4, B3): who proposes a disposition of a result, and who accounts for an
earmarked allocation, through the page."""

from decimal import Decimal

from budget.models import FrameStage, Ramrad
from budget.yearend.forms import earmark_prefix
from styrmodell.versioning import current_version


def test_f4_finance_office_proposes_and_the_kommunsekreterare_records_kf(login, client, unit):
    login("bun.ordforande")
    assert client.get(f"/budget/bokslut/2025/{unit('bun').pk}/forslag/").status_code == 403
    login("ekonom")
    assert client.get(f"/budget/bokslut/2025/{unit('bun').pk}/forslag/").status_code == 200
    assert client.get("/budget/bokslut/2025/").status_code == 200


# B3: the förvaltning accounts for each earmarked allocation on the bokslut page -------------


def _earmark_url(unit, key="bun"):
    line = Ramrad.objects.get(
        frame__namnd=unit(key),
        frame__budget_year__year=2025,
        frame__stage=FrameStage.DECIDED,
        earmarked=True,
    )
    return line, f"/budget/bokslut/2025/tillskott/{line.pk}/"


def test_b3_the_namnds_forvaltningschef_accounts_for_its_earmark_on_the_bokslut_page(
    login, client, unit
):
    line, url = _earmark_url(unit)
    login("bun.forvaltningschef")
    page = client.get("/budget/bokslut/2025/").content.decode()
    assert "Specificerade budgettillskott" in page and f'action="{url}"' in page
    assert f'action="{_earmark_url(unit, "sn")[1]}"' not in page  # not another nämnd's
    response = client.post(url, _posted(line, used="1 200 000", used_for="Lovskola i juni."))
    assert response.status_code == 302
    line.accounting.refresh_from_db()
    assert (line.accounting.used_amount, line.accounting.used_for) == (
        Decimal("1200000"),
        "Lovskola i juni.",
    )
    assert line.accounting.written_by.username == "bun.forvaltningschef"
    page = " ".join(client.get("/budget/bokslut/2025/").content.decode().split())
    assert "Delvis använt." in page and "inte fria medel" in page


def test_b3_another_namnds_chief_and_the_politicians_may_not_account(login, client, unit):
    line, url = _earmark_url(unit)
    before = line.accounting.used_amount
    for username in [
        "sn.forvaltningschef",
        "bun.ordforande",
        "kf.ordforande",
        "revisor",
        "kommunsekreterare",
    ]:
        login(username)
        assert client.post(url, _posted(line, used="1")).status_code == 403, username
        assert f'action="{url}"' not in client.get("/budget/bokslut/2025/").content.decode()
    line.accounting.refresh_from_db()
    assert line.accounting.used_amount == before


def test_b3_the_finance_office_accounts_for_every_namnd(login, client, unit):
    login("ekonom")
    for key in ("bun", "sn"):
        line, url = _earmark_url(unit, key)
        assert client.post(url, _posted(line, used="800 000")).status_code == 302, key


def test_b3_the_page_says_every_error_in_swedish_and_saves_nothing(login, client, unit):
    line, url = _earmark_url(unit)
    before = line.accounting.used_amount
    login("bun.forvaltningschef")
    page = client.post(url, _posted(line, used="", used_for="")).content.decode()
    assert page.count("errorlist") >= 2  # both fields at once
    line.accounting.refresh_from_db()
    assert line.accounting.used_amount == before


def _posted(line, *, used, used_for="Enligt KF:s beslut."):
    prefix = earmark_prefix(line.pk)
    accounting = getattr(line, "accounting", None)
    return {
        f"{prefix}-version": current_version(accounting) if accounting else "0",
        f"{prefix}-used_amount": used,
        f"{prefix}-used_for": used_for,
    }
