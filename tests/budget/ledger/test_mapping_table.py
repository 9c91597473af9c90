"""The mapping rules as one table: checked whole, saved whole, out and in as Excel and CSV, and
a refused file's objects mapped in one form."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from budget.ledger import mappings
from budget.ledger.mappings import MappingRow, MappingTableError
from budget.models import (
    MappingKind,
    Objektkoppling,
    UploadStatus,
    Utfallsfil,
    Utfallsregler,
    Verksamhet,
)
from styrmodell.errors import DomainError


def row(kind, low, namnd, high="", line=1, verksamhet=None, name=""):
    return MappingRow(kind, low, high, name, namnd, verksamhet, line)


def test_a_table_with_errors_names_every_one_and_saves_nothing(unit):
    before = list(Objektkoppling.objects.values_list("object_id", flat=True).order_by("pk"))
    rows = [
        row(MappingKind.EXACT, "", unit("bun"), line=1),
        row(MappingKind.RANGE, "2000", unit("sn"), line=2),
        row(MappingKind.RANGE, "3000", unit("sn"), "2000", line=3),
        row(MappingKind.RANGE, "100", unit("sn"), "ABC", line=4),
        row(MappingKind.EXACT, "410", None, line=5),
        row(
            MappingKind.EXACT,
            "411",
            unit("sn"),
            line=6,
            verksamhet=Verksamhet.objects.filter(namnd=unit("bun")).first(),
        ),
        row(MappingKind.PREFIX, "41", unit("sn"), line=7),
        row(MappingKind.PREFIX, "41", unit("bun"), line=8),
    ]
    with pytest.raises(MappingTableError) as refused:
        mappings.replace_mappings(rows)
    text = "; ".join(refused.value.row_errors)
    for expected in (
        "rad 1: objekt saknas",
        "rad 2: ett intervall behöver",
        "rad 3: intervallet slutar",
        "rad 4: ett intervall går från ett nummer",
        "rad 5: nämnd saknas",
        "rad 6: verksamheten",
        "rad 8: samma regel som rad 7",
    ):
        assert expected in text
    assert list(Objektkoppling.objects.values_list("object_id", flat=True).order_by("pk")) == before


def test_overlapping_ranges_are_refused(unit):
    with pytest.raises(MappingTableError, match="överlappar"):
        mappings.replace_mappings(
            [
                row(MappingKind.RANGE, "2000", unit("bun"), "2999", 1),
                row(MappingKind.RANGE, "2500", unit("sn"), "3500", 2),
            ]
        )


def test_a_valid_table_replaces_the_rules(unit):
    saved = mappings.replace_mappings(
        [
            row(MappingKind.RANGE, "2000", unit("bun"), "2999", 1),
            row(MappingKind.PREFIX, "3", unit("sn"), line=2),
        ]
    )
    assert len(saved) == 2
    assert sorted(Objektkoppling.objects.values_list("object_id", flat=True)) == ["2000", "3"]


def test_the_table_goes_out_and_comes_back_the_same_as_excel_and_csv(unit, login, client):
    mappings.replace_mappings(
        [
            row(
                MappingKind.EXACT,
                "410",
                unit("bun"),
                line=1,
                name="Grundskola",
                verksamhet=Verksamhet.objects.get(namnd=unit("bun"), code="410"),
            ),
            row(MappingKind.PREFIX, "5", unit("sn"), line=2),
            row(MappingKind.RANGE, "7000", unit("sbn"), "7999", line=3),
        ]
    )
    before = sorted(
        Objektkoppling.objects.values_list(
            "kind", "object_id", "object_to", "name", "namnd", "verksamhet"
        )
    )
    login("ekonom")
    excel = client.get("/budget/utfall/kopplingar/export/").getvalue()
    sheet = load_workbook(io.BytesIO(excel)).worksheets[0]
    assert any(cell.value == "Börjar med" for line in sheet.iter_rows() for cell in line)
    csv_file = client.get("/budget/utfall/kopplingar/export/?format=csv").content
    assert csv_file.decode("utf-8-sig").splitlines()[0] == ";".join(mappings.COLUMNS)
    for content, name in ((csv_file, "kopplingar.csv"), (excel, "kopplingar.xlsx")):
        mappings.replace_mappings(mappings.read_table(io.BytesIO(content), name))
        assert (
            sorted(
                Objektkoppling.objects.values_list(
                    "kind", "object_id", "object_to", "name", "namnd", "verksamhet"
                )
            )
            == before
        )


def test_an_excel_table_whose_rows_are_wrong_is_refused_with_the_rows(unit):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(mappings.COLUMNS))
    sheet.append(["Objekt", 410, "", "", "Finns inte", ""])
    sheet.append(["Cirkel", 411, "", "", "BUN", ""])
    sheet.append(["Objekt", 412, "", "", "BUN", "999"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(MappingTableError) as refused:
        mappings.read_table(buffer, "kopplingar.xlsx")
    text = "; ".join(refused.value.row_errors)
    assert 'rad 2: nämnden "Finns inte" finns inte' in text
    assert 'rad 3: okänd regel "Cirkel"' in text
    assert 'rad 4: verksamheten "999" finns inte' in text


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(DomainError, match="saknas: objekt, nämnd"):
        mappings.read_table(io.BytesIO(b"a;b\n1;2\n"), "x.csv")


def test_moving_the_ansvar_to_another_dimension_takes_the_table_along(municipality):
    count = Objektkoppling.objects.filter(dimension=1).count()
    mappings.save_rules(ansvar_dimension=7, verksamhet_dimension=None, unplaced_namnd=None)
    assert Objektkoppling.objects.filter(dimension=7).count() == count
    assert Utfallsregler.current().ansvar_dimension == 7


def test_the_verksamhet_may_not_share_the_ansvars_dimension(municipality):
    with pytest.raises(DomainError, match="annan dimension"):
        mappings.save_rules(ansvar_dimension=1, verksamhet_dimension=1, unplaced_namnd=None)


# --- Pages --------------------------------------------------------------------------------------


def test_the_table_is_saved_from_the_page_and_an_error_keeps_what_was_typed(login, client, unit):
    login("ekonom")
    page = client.get("/budget/utfall/kopplingar/").content.decode()
    assert 'aria-label="Objekt, rad 1"' in page
    data = {
        "action": "tabell",
        "tabell-TOTAL_FORMS": 2,
        "tabell-INITIAL_FORMS": 0,
        "tabell-0-kind": "intervall",
        "tabell-0-object_id": "2000",
        "tabell-0-object_to": "1000",
        "tabell-0-namnd": unit("bun").pk,
        "tabell-1-kind": "prefix",
        "tabell-1-object_id": "4",
        "tabell-1-namnd": unit("sn").pk,
    }
    refused = client.post("/budget/utfall/kopplingar/", data)
    assert refused.status_code == 200
    assert "Kopplingarna sparades inte" in refused.content.decode()
    assert 'value="2000"' in refused.content.decode()
    data["tabell-0-object_to"] = "2999"
    assert client.post("/budget/utfall/kopplingar/", data).status_code == 302
    assert sorted(Objektkoppling.objects.values_list("object_id", flat=True)) == ["2000", "4"]


def test_the_rules_are_saved_from_the_page(login, client, unit):
    login("ekonom")
    response = client.post(
        "/budget/utfall/kopplingar/",
        {
            "action": "regler",
            "regler-ansvar_dimension": 1,
            "regler-verksamhet_dimension": 2,
            "regler-unplaced_namnd": unit("ks").pk,
        },
    )
    assert response.status_code == 302
    rules = Utfallsregler.current()
    assert (rules.verksamhet_dimension, rules.unplaced_namnd) == (2, unit("ks"))


def test_a_politician_sees_the_table_but_cannot_change_it(login, client, unit):
    login("bun.ordforande")
    page = client.get("/budget/utfall/kopplingar/")
    assert page.status_code == 200 and "Spara kopplingarna" not in page.content.decode()
    assert client.post("/budget/utfall/kopplingar/", {"action": "regler"}).status_code == 403
    assert client.post("/budget/utfall/kopplingar/okopplade/", {}).status_code == 403


def test_every_unmapped_object_of_a_refused_file_is_mapped_in_one_form(login, client, unit):
    login("ekonom")
    Objektkoppling.objects.filter(object_id__in=["410", "420"]).delete()
    sie = (
        "#FLAGGA 0\r\n#SIETYP 4\r\n#ORGNR 212000-9999\r\n"
        + "".join(
            f'#VER A {n} 20261105 "x"\r\n{{\r\n#TRANS 6110 {{1 "{code}"}} 1.00\r\n'
            f"#TRANS 1930 {{}} -1.00\r\n}}\r\n"
            for n, code in enumerate(("410", "420"), 1)
        )
    ).encode("cp437")
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post("/budget/utfall/", {"file": SimpleUploadedFile("nov.se", sie)},
                       follow=True)
    text = page.content.decode()
    assert "Objekt som saknar koppling" in text and 'aria-label="Nämnd för objekt 420"' in text
    upload = Utfallsfil.objects.get()
    assert upload.status == UploadStatus.REFUSED
    response = client.post(
        "/budget/utfall/kopplingar/okopplade/",
        {
            "fil": upload.pk,
            "okopplade-TOTAL_FORMS": 2,
            "okopplade-INITIAL_FORMS": 2,
            "okopplade-0-object_id": "410",
            "okopplade-0-namnd": unit("bun").pk,
            "okopplade-1-object_id": "420",
            "okopplade-1-namnd": unit("bun").pk,
        },
    )
    assert response.status_code == 302 and response.url == upload.get_absolute_url()
    assert Objektkoppling.objects.filter(object_id__in=["410", "420"]).count() == 2
    # The same upload is read again at once: no second upload of the file is needed.
    upload.refresh_from_db()
    assert upload.status in (UploadStatus.PREVIEW, UploadStatus.DONE)
    assert {row["new"] for row in upload.preview if row["namnd"] == unit("bun").pk} == {"2.00"}


def test_a_table_of_a_citys_thousand_kostnadsstallen_is_saved_from_the_page(login, client, unit):
    login("ekonom")
    rows = 1000
    data = {"action": "tabell", "tabell-TOTAL_FORMS": rows, "tabell-INITIAL_FORMS": 0}
    for number in range(rows):
        data |= {f"tabell-{number}-kind": "exakt",
                 f"tabell-{number}-object_id": f"{10000 + number}",
                 f"tabell-{number}-namnd": unit("bun").pk}
    assert client.post("/budget/utfall/kopplingar/", data).status_code == 302
    assert Objektkoppling.objects.filter(dimension=1).count() == rows


def test_a_single_mapping_outside_the_ansvar_dimension_is_refused_not_ignored(unit):
    from budget.ledger import outcomes

    with pytest.raises(DomainError, match="gäller dimension 1"):
        outcomes.save_mapping(dimension=6, object_id="P12", name="", namnd=unit("bun"))
    assert not Objektkoppling.objects.filter(dimension=6).exists()
