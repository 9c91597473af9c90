"""The pages of B7 and B10: who may do what (P1, P2, P4, P5), the whole flow through the forms;
what a revisor may do, the Excel exports and the number of queries of each list, for these and
the B11 and F4 pages beside them."""

from decimal import Decimal

import pytest

from budget.models import (
    Ansokan,
    ApplicationStatus,
    Driftbudgetram,
    FrameStage,
    OfordeladBudget,
)
from styrmodell.excel import XLSX_TYPE
from styrmodell.versioning import STALE_MESSAGE, current_version


def _pending():
    return Ansokan.objects.get(
        status=ApplicationStatus.STATEMENT, title="Tidiga insatser i förskolan"
    )


def test_b7_the_whole_flow_through_the_pages(login, client, unit):
    login("bun.forvaltningschef")
    response = client.post(
        "/budget/ofordelad/2026/ansok/",
        {
            "namnd": unit("bun").pk,
            "title": "Vattenskada i Aspaskolan",
            "amount": "600 000",
            "criterion": "b",
            "motivation": "Skadan var oförutsedd och kostar 0,6 mnkr.",
            "namnd_decision": "BUN 2026-11-19 § 97",
            "version": "",
        },
    )
    assert response.status_code == 302
    application = Ansokan.objects.get(title="Vattenskada i Aspaskolan")
    assert (
        application.amount == Decimal("600000")
        and application.filed_by.username == "bun.forvaltningschef"
    )
    login("kommunsekreterare")
    page = client.get(f"/budget/ofordelad/ansokan/{application.pk}/beslut/", follow=True)
    assert "innan ekonomiavdelningen har lämnat" in page.content.decode()
    login("ekonom")
    assert (
        client.post(
            f"/budget/ofordelad/ansokan/{application.pk}/yttrande/",
            {
                "criteria_met": "ja",
                "statement": "Kriterium (b) är uppfyllt.",
                "version": current_version(application),
            },
        ).status_code
        == 302
    )
    login("kommunsekreterare")
    assert (
        client.post(
            f"/budget/ofordelad/ansokan/{application.pk}/beslut/",
            {
                "outcome": "bifall",
                "granted_amount": "500000",
                "decided_on": "2026-11-25",
                "paragraph": "130",
                "case_number": "KS 2026/200",
            },
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    frame = Driftbudgetram.objects.get(
        namnd=unit("bun"), budget_year__year=2026, stage=FrameStage.DECIDED
    )
    assert frame.total == sum(line.amount for line in frame.lines.all())
    page = client.get(f"/budget/ramar/2026/{unit('bun').pk}/").content.decode()
    assert ("Tilldelning ur ofördelad budget: Vattenskada i Aspaskolan, KS 25 november 2026 §130"
            in page)
    page = client.get(f"/budget/ofordelad/ansokan/{application.pk}/").content.decode()
    assert "Beviljad av KS" in page and "Ändringshistorik" in page


def test_b7_ekonom_writes_the_yttrande_but_cannot_decide(login, client):
    application = _pending()
    login("ekonom")
    assert client.get(f"/budget/ofordelad/ansokan/{application.pk}/yttrande/").status_code == 200
    assert (
        client.post(
            f"/budget/ofordelad/ansokan/{application.pk}/beslut/",
            {
                "outcome": "bifall",
                "granted_amount": "1",
                "decided_on": "2026-11-25",
                "paragraph": "1",
            },
        ).status_code
        == 403
    )
    assert client.get("/budget/ofordelad/2026/ansok/").status_code == 403


@pytest.mark.parametrize("username", ["ks.ordforande", "bun.ordforande", "bun.ledamot"])
def test_b7_politicians_do_not_write_the_yttrande_or_the_application(login, client, username):
    application = _pending()
    login(username)
    assert client.get(f"/budget/ofordelad/ansokan/{application.pk}/yttrande/").status_code == 403
    assert (
        client.post(
            f"/budget/ofordelad/ansokan/{application.pk}/yttrande/",
            {"criteria_met": "nej", "statement": "Nej."},
        ).status_code
        == 403
    )
    assert client.get("/budget/ofordelad/2026/ansok/").status_code == 403
    application.refresh_from_db()
    assert application.criteria_met is True


def test_b7_a_forvaltningschef_applies_only_for_its_own_namnd(login, client, unit):
    login("sn.forvaltningschef")
    response = client.post(
        "/budget/ofordelad/2026/ansok/",
        {
            "namnd": unit("bun").pk,
            "title": "Fel nämnd",
            "amount": "1",
            "criterion": "a",
            "motivation": "x",
        },
    )
    assert response.status_code == 200  # BUN is not among the choices offered
    assert not Ansokan.objects.filter(title="Fel nämnd").exists()
    login("bun.forvaltningschef")
    filed = client.post(
        "/budget/ofordelad/2026/ansok/",
        {
            "namnd": unit("bun").pk,
            "title": "Egen",
            "amount": "1",
            "criterion": "a",
            "motivation": "x",
        },
    )
    assert filed.status_code == 302
    login("sn.forvaltningschef")
    own = Ansokan.objects.get(title="Egen")
    assert client.get(f"/budget/ofordelad/ansokan/{own.pk}/andra/").status_code == 403


def test_b7_second_of_two_concurrent_edits_of_an_application_is_refused(login, client, unit):
    login("bun.forvaltningschef")
    client.post(
        "/budget/ofordelad/2026/ansok/",
        {
            "namnd": unit("bun").pk,
            "title": "Utkast",
            "amount": "1000",
            "criterion": "a",
            "motivation": "x",
        },
    )
    application = Ansokan.objects.get(title="Utkast")
    version = current_version(application)
    data = {
        "title": "Utkast",
        "amount": "2000",
        "criterion": "a",
        "motivation": "y",
        "version": version,
    }
    assert (
        client.post(f"/budget/ofordelad/ansokan/{application.pk}/andra/", data).status_code == 302
    )
    second = client.post(
        f"/budget/ofordelad/ansokan/{application.pk}/andra/", {**data, "amount": "3000"}
    )
    assert STALE_MESSAGE in second.content.decode()
    application.refresh_from_db()
    assert application.amount == Decimal("2000")


REVISOR_WRITES = [
    ("get", "/budget/ofordelad/2026/belopp/"),
    ("get", "/budget/ofordelad/2026/ansok/"),
    ("get", "/budget/lonerorelse/2026/reserv/"),
    ("get", "/budget/lonerorelse/2026/anvands/"),
    ("get", "/budget/lonerorelse/2026/fordela/"),
    ("get", "/budget/skattesats/2027/forslag/"),
    ("get", "/budget/skattesats/2027/beslut/"),
    ("post", "/budget/skattesats/2027/beslut/"),
]


def test_p4_revisor_reads_every_page_and_writes_nothing(login, client, unit):
    login("revisor")
    application = _pending()
    for url in [
        "/budget/ofordelad/2026/",
        f"/budget/ofordelad/ansokan/{application.pk}/",
        "/budget/lonerorelse/2026/",
        "/budget/skattesats/",
        "/budget/skattesats/2027/",
        "/budget/bokslut/2025/",
    ]:
        assert client.get(url).status_code == 200, url
    writes = [
        *REVISOR_WRITES,
        ("get", f"/budget/ofordelad/ansokan/{application.pk}/yttrande/"),
        ("get", f"/budget/ofordelad/ansokan/{application.pk}/beslut/"),
        ("get", f"/budget/bokslut/2025/{unit('bun').pk}/forslag/"),
    ]
    for method, url in writes:
        assert getattr(client, method)(url).status_code == 403, url


def test_b10_ksau_distribution_recorded_through_the_page(login, client, unit):
    login("kommunsekreterare")
    response = client.post(
        "/budget/lonerorelse/2026/fordela/",
        {f"namnd_{unit('kfn').pk}": "150 000", "decided_on": "2026-11-25", "paragraph": "140"},
    )
    assert response.status_code == 302
    page = client.get("/budget/lonerorelse/2026/").content.decode()
    assert "KSAU 25 november 2026, § 140" in page
    too_much = client.post("/budget/lonerorelse/2026/fordela/", {
        f"namnd_{unit('kfn').pk}": "1 000 000", "decided_on": "2026-11-25",
        "paragraph": "141"})
    assert "större än det som finns kvar" in too_much.content.decode()
    login("ksau.ledamot")
    assert client.get("/budget/lonerorelse/2026/fordela/").status_code == 403


EXPORTS = [
    "/budget/ofordelad/2026/excel/",
    "/budget/lonerorelse/2026/excel/",
    "/budget/skattesats/excel/",
    "/budget/bokslut/2025/excel/",
]


@pytest.mark.parametrize("url", EXPORTS)
def test_every_list_exports_to_excel(login, client, url):
    login("revisor")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    assert response.getvalue()[:2] == b"PK"


LIST_PAGES = [
    ("/budget/ofordelad/2026/", 14),
    ("/budget/lonerorelse/2026/", 11),
    ("/budget/skattesats/", 8),
    ("/budget/bokslut/2025/", 14),
]


@pytest.mark.parametrize(("url", "queries"), LIST_PAGES)
def test_list_pages_keep_their_query_count_whatever_the_number_of_rows(
    login, client, django_assert_max_num_queries, unit, url, queries
):
    import datetime as dt

    from budget.models import Lonereserv
    from budget.reserves import pot, salary
    from styrmodell.models import User

    the_pot = OfordeladBudget.objects.get(budget_year__year=2026)
    for number in range(4):
        pot.file_application(
            pot=the_pot,
            namnd=unit("kfn"),
            title=f"Behov {number}",
            amount=Decimal("1000"),
            criterion="a",
            motivation="x",
            filed_by=User.objects.get(username="kfn.forvaltningschef"),
        )
    for number in range(3):
        salary.distribute(
            reserve=Lonereserv.objects.get(budget_year__year=2026),
            amounts={unit("kfn"): Decimal("1000"), unit("sbn"): Decimal("1000")},
            decided_on=dt.date(2026, 9, 1),
            paragraph=str(60 + number),
            recorder=User.objects.get(username="kommunsekreterare"),
        )
    login("ekonomichef")
    client.get(url)  # warm the session and the user's assignments
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


def test_b7_pot_page_shows_sums_and_the_pending_application(login, client):
    login("bun.ledamot")
    page = client.get("/budget/ofordelad/2026/").content.decode()
    assert "Kvar att bevilja" in page and "Tidiga insatser i förskolan" in page
    assert "Yttrande lämnat – väntar på KS beslut" in page
    assert OfordeladBudget.objects.get(budget_year__year=2026).amount == Decimal("8000000")
