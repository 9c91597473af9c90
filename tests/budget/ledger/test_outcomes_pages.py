"""The outcome pages: upload and import log, one import's result, mappings, a year's table."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from budget.ledger import outcomes
from budget.ledger.totals import refresh_every_year
from budget.models import (
    ImportStatus,
    Objektkoppling,
    UploadStatus,
    Utfall,
    Utfallsfil,
    Utfallsimport,
)
from styrmodell.models import OrganisationUnit, User

DEMO_SIE = Path(__file__).resolve().parents[3] / "demo" / "sie" / "ekbacka-2026-11.se"
NOT_IMPORTERS = ["bun.forvaltningschef", "bun.ordforande", "ks.ordforande", "bun.ledamot",
                 "revisor", "kommundirektor", "admin"]


def upload(client, content: bytes, name: str = "ekbacka-2026-11.se", **data):
    """Upload a file; the reading runs at once in tests, and the redirect goes to the upload's
    page (which forwards to the import's result when it was written)."""
    return client.post("/budget/utfall/", {"file": SimpleUploadedFile(name, content), **data})


def confirm(client, response):
    """Confirm the preview an upload stopped at."""
    upload = Utfallsfil.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    assert upload.status == UploadStatus.PREVIEW
    return client.post(upload.get_absolute_url(), {"action": "bekrafta",
                                                  "digest": upload.preview_digest})


def imported(username: str = "ekonom"):
    return outcomes.import_sie(file=io.BytesIO(DEMO_SIE.read_bytes()), file_name="nov.se",
                               user=User.objects.get(username=username))


@pytest.mark.parametrize("username", ["ekonom", "ekonomichef"])
def test_utfall_finance_office_imports_the_demo_file_and_sees_each_namnd(login, client,
                                                                        username):
    login(username)
    response = upload(client, DEMO_SIE.read_bytes())
    log = Utfallsimport.objects.get()
    upload_page = Utfallsfil.objects.get().get_absolute_url()
    assert response.status_code == 302 and response["Location"] == upload_page
    assert client.get(upload_page)["Location"] == log.get_absolute_url()
    page = client.get(log.get_absolute_url()).content.decode()
    for name in ["Kommunstyrelsen", "Barn- och utbildningsnämnden", "Socialnämnden",
                 "Samhällsbyggnadsnämnden", "Kultur- och fritidsnämnden"]:
        assert name in page
    assert "nov 2026" in page and "<strong>27\xa0075</strong>" in page  # BUN: 324 900 tkr / 12


@pytest.mark.parametrize("username", NOT_IMPORTERS)
def test_p1_only_the_finance_office_imports_outcomes(login, client, username):
    login(username)
    assert client.get("/budget/utfall/").status_code == 200
    assert "Läs in utfall" not in client.get("/budget/utfall/").content.decode()
    assert upload(client, DEMO_SIE.read_bytes()).status_code == 403
    assert not Utfall.objects.filter(year=2026, month=11).exists()


def test_p4_revisor_reads_the_log_the_result_and_the_year_but_maps_nothing(login, client):
    log = imported()
    login("revisor")
    assert client.get(log.get_absolute_url()).status_code == 200
    assert client.get("/budget/utfall/2026/").status_code == 200
    assert client.get("/budget/utfall/kopplingar/").status_code == 200
    mapping = Objektkoppling.objects.get(object_id="410")
    assert client.get(f"/budget/utfall/kopplingar/{mapping.pk}/andra/").status_code == 403
    assert client.post("/budget/utfall/kopplingar/", {"dimension": 1, "object_id": "999",
                                                      "namnd": mapping.namnd_id}).status_code == 403


def test_utfall_malformed_upload_shows_the_line_and_saves_nothing(login, client):
    login("ekonom")
    bad = (b"#FLAGGA 0\r\n#SIETYP 4\r\n#VER A 1 20261115\r\n{\r\n"
           b'#TRANS 6110 {1 "410"} 1,5\r\n}\r\n')
    page = client.get(upload(client, bad, "fel.se").url).content.decode()
    assert "Rad 5" in page and "Filen lästes inte in" in page and "Ingenting sparades" in page
    assert not Utfallsimport.objects.exists()


def test_utfall_unmapped_objects_are_listed_with_a_link_that_prefills_the_mapping(login, client,
                                                                               unit):
    login("ekonom")
    data = DEMO_SIE.read_bytes().replace(b'#OBJEKT 1 "320"', b'#OBJEKT 1 "999" "Ny enhet"\r\n'
                                         b'#OBJEKT 1 "320"').replace(
        b'#TRANS 5010 {1 "320"}', b'#TRANS 5010 {1 "999"}')
    response = upload(client, data, "nov.se")
    page = client.get(response.url).content.decode()
    assert "Objekt som saknar koppling" in page and "Ny enhet" in page
    assert "/budget/utfall/kopplingar/?dimension=1&amp;objekt=999&amp;namn=Ny+enhet" in page
    assert not Utfallsimport.objects.exists()
    form = client.get("/budget/utfall/kopplingar/?dimension=1&objekt=999&namn=Ny+enhet")
    assert 'value="999"' in form.content.decode()
    kfn = OrganisationUnit.objects.get(name="Kultur- och fritidsnämnden")
    assert client.post("/budget/utfall/kopplingar/", {
        "dimension": 1, "object_id": "999", "name": "Ny enhet", "namnd": kfn.pk,
    }).status_code == 302
    assert upload(client, data, "nov.se").status_code == 302
    assert Utfall.objects.filter(namnd=kfn, month=11).exists()


def test_utfall_a_mapping_to_a_verksamhet_of_another_namnd_is_refused(login, client):
    login("ekonomichef")
    mapping = Objektkoppling.objects.select_related("verksamhet").get(object_id="410")
    sn = OrganisationUnit.objects.get(name="Socialnämnden")
    url = f"/budget/utfall/kopplingar/{mapping.pk}/andra/"
    version = client.get(url).context["form"].initial["version"]
    page = client.post(url, {"dimension": 1, "object_id": "410", "namnd": sn.pk,
                             "verksamhet": mapping.verksamhet_id, "version": version})
    assert "hör inte till Socialnämnden" in page.content.decode()
    mapping.refresh_from_db()
    assert mapping.namnd.name == "Barn- och utbildningsnämnden"


def test_utfall_two_saves_of_the_same_mapping_the_second_is_refused(login, client):
    login("ekonom")
    mapping = Objektkoppling.objects.get(object_id="410")
    url = f"/budget/utfall/kopplingar/{mapping.pk}/andra/"
    version = client.get(url).context["form"].initial["version"]
    data = {"dimension": 1, "object_id": "410", "name": "Grundskolan", "namnd": mapping.namnd_id,
            "version": version}
    assert client.post(url, data).status_code == 302
    page = client.post(url, {**data, "name": "Skolan"}).content.decode()
    assert "Någon annan har ändrat" in page
    mapping.refresh_from_db()
    assert mapping.name == "Grundskolan"


def test_utfall_year_table_has_totals_and_exports_to_excel(login, client):
    imported()
    login("bun.ledamot")
    page = client.get("/budget/utfall/2026/").content.decode()
    assert "Utfall per nämnd och månad (tkr)" in page and "Summa" in page
    response = client.get("/budget/utfall/2026/excel/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    bun = next(row for row in rows if row[0] == "Barn- och utbildningsnämnden")
    assert Decimal(str(bun[11])) == Decimal("27075000")  # November, kronor
    assert rows[-1][0] == "Summa"


def test_utfall_reimport_through_the_page_marks_the_first_replaced(login, client):
    login("ekonom")
    upload(client, DEMO_SIE.read_bytes(), "forsta.se")
    second = upload(client, DEMO_SIE.read_bytes(), "andra.se")
    assert Utfallsimport.objects.get().file_name == "forsta.se"  # the second waits for a yes
    confirm(client, second)
    first = Utfallsimport.objects.get(file_name="forsta.se")
    assert first.status == ImportStatus.REPLACED
    page = client.get("/budget/utfall/").content.decode()
    assert "Ersatt" in page and "andra.se" in page


def test_utfall_list_pages_take_a_fixed_number_of_queries(login, client,
                                                         django_assert_max_num_queries):
    login("ekonom")
    imported()
    with django_assert_max_num_queries(12):
        client.get("/budget/utfall/")
    with django_assert_max_num_queries(10):
        client.get("/budget/utfall/2026/")
    # The mappings page holds the import's rules, the table of rules and the single mapping
    # form; its selects are read once for the whole table.
    with django_assert_max_num_queries(13):
        client.get("/budget/utfall/kopplingar/")
    some = Objektkoppling.objects.first()
    Objektkoppling.objects.bulk_create([Objektkoppling(dimension=1, object_id=f"9{number:03d}",
                                                       namnd=some.namnd) for number in range(50)])
    with django_assert_max_num_queries(13):
        client.get("/budget/utfall/kopplingar/")
    for _ in range(5):
        imported()
    Utfall.objects.filter(year=2026, month=11).update(month=10)
    refresh_every_year()
    imported()
    with django_assert_max_num_queries(12):
        client.get("/budget/utfall/")
    with django_assert_max_num_queries(10):
        client.get("/budget/utfall/2026/")


def test_utfall_namnd_page_shows_the_year_per_verksamhet_and_account(login, client, unit,
                                                                    django_assert_max_num_queries):
    imported()
    login("bun.forvaltningschef")
    year_page = client.get("/budget/utfall/2026/").content.decode()
    url = f"/budget/utfall/2026/{unit('bun').pk}/"
    assert url in year_page
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    for text in ["Per verksamhet", "Grundskola", "Per konto", "5010 Löner månadsavlönade"]:
        assert text in page, text
    sheets = load_workbook(io.BytesIO(client.get(f"{url}excel/").getvalue()))
    assert sheets.sheetnames == ["Per verksamhet", "Per konto"]


def test_utfall_import_result_exports_to_excel(login, client):
    log = imported()
    login("revisor")
    response = client.get(f"/budget/utfall/import/{log.pk}/excel/")
    rows = [row for row in load_workbook(io.BytesIO(response.getvalue())).active
            .iter_rows(values_only=True) if row and row[0]]
    assert rows[-1][0] == "Summa" and Decimal(str(rows[-1][-1])) == log.total_amount


def test_the_years_with_outcome_are_each_year_once_newest_first(municipality):
    from budget.ledger.selectors import outcome_years

    demo_years = outcome_years()
    assert demo_years == sorted(set(Utfall.objects.values_list("year", flat=True)), reverse=True)
    row = Utfall.objects.filter(year=demo_years[0]).first()
    for year in (2019, 2031, 2031):
        Utfall.objects.create(namnd=row.namnd, konto=row.konto, year=year, month=1,
                              amount=Decimal(1))
    assert outcome_years() == [2031, *demo_years, 2019]
    Utfall.objects.all().delete()
    assert outcome_years() == []


def test_the_import_result_links_to_the_follow_up_it_changed(login, client):
    login("ekonom")
    upload(client, DEMO_SIE.read_bytes())
    log = Utfallsimport.objects.get()
    page = client.get(log.get_absolute_url()).content.decode()
    section = page[page.index('id="uppfoljningen"'):]
    assert 'href="/budget/uppfoljning/2026/"' in section
    namnder = set(log.sums.values_list("namnd_id", flat=True))
    assert namnder
    for namnd_id in namnder:
        assert f'href="/budget/uppfoljning/2026/{namnd_id}/"' in section
