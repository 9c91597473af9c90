"""The outcome import as a background task: the upload kept in pieces, its progress, the preview
of a re-import (stored against new, per nämnd and month, and every nämnd that would lose its
outcome), the confirmation that must match what was shown, and the log that keeps both."""

from __future__ import annotations

import datetime as dt
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from budget.ledger import outcomes, upload_jobs
from budget.ledger.totals import refresh_every_year
from budget.models import (
    ImportStatus,
    Objektkoppling,
    UploadStatus,
    Utfall,
    Utfallsfil,
    UtfallsfilDel,
    Utfallsimport,
    UtfallsimportSumma,
)
from styrmodell.models import User

DEMO_SIE = Path(__file__).resolve().parents[3] / "demo" / "sie" / "ekbacka-2026-11.se"
HEAD = "#FLAGGA 0\r\n#SIETYP 4\r\n#ORGNR 212000-9999\r\n"


def sie(*vouchers: tuple[str, str, str], date: str = "20261105", head: str = HEAD) -> bytes:
    """An SIE 4 file of one voucher per (account, object, amount), balanced against the bank."""
    body = "".join(
        f'#VER A {number} {date} "x"\r\n{{\r\n#TRANS {account} {{1 "{obj}"}} {amount}\r\n'
        f"#TRANS 1930 {{}} -{amount}\r\n}}\r\n"
        for number, (account, obj, amount) in enumerate(vouchers, 1))
    return (head + body).encode("cp437")


# Demo objects: 410 is BUN (Barn- och utbildningsnämnden), 500 SN, 300 KFN.
NOVEMBER = sie(("6110", "410", "1000.00"), ("6110", "500", "2000.00"), ("6110", "300", "300.00"))
# The same month again: BUN changed, SN the same, KFN not in the file at all.
NOVEMBER_AGAIN = sie(("6110", "410", "1500.00"), ("6110", "500", "2000.00"))


@pytest.fixture
def ekonom(login, municipality):
    Utfall.objects.all().delete()
    refresh_every_year()
    return login("ekonom")


def post_file(client, content: bytes, name: str = "nov.se") -> Utfallsfil:
    response = client.post("/budget/utfall/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    upload = Utfallsfil.objects.latest("pk")
    assert response.url == upload.get_absolute_url()
    return upload


def stored(unit, month: int = 11) -> Decimal:
    return sum(Utfall.objects.filter(namnd=unit, year=2026, month=month)
               .values_list("amount", flat=True), Decimal(0))


def confirm(client, upload: Utfallsfil, digest: str | None = None):
    return client.post(upload.get_absolute_url(), {
        "action": "bekrafta", "digest": upload.preview_digest if digest is None else digest})


def test_a_first_import_of_a_month_is_written_without_a_preview(client, ekonom, unit):
    upload = post_file(client, NOVEMBER)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.result is not None
    assert stored(unit("bun")) == Decimal("1000.00")
    assert not UtfallsfilDel.objects.filter(fil=upload).exists()  # the bytes are not kept
    assert client.get(upload.get_absolute_url())["Location"] == upload.result.get_absolute_url()


def test_a_reimport_shows_stored_against_new_per_namnd_and_month_and_changes_nothing(
        client, ekonom, unit):
    first = post_file(client, NOVEMBER, "forsta.se")
    upload = post_file(client, NOVEMBER_AGAIN, "andra.se")
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PREVIEW
    rows = {(row["name"], row["month"]): (row["stored"], row["new"]) for row in upload.preview}
    assert rows == {
        ("Barn- och utbildningsnämnden", 11): ("1000.00", "1500.00"),
        ("Socialnämnden", 11): ("2000.00", "2000.00"),
        ("Kultur- och fritidsnämnden", 11): ("300.00", None),
    }
    # Nothing is replaced before the finance office says yes.
    assert stored(unit("bun")) == Decimal("1000.00") and stored(unit("kfn")) == Decimal("300.00")
    assert Utfallsimport.objects.get().pk == first.result_id
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Granska innan utfallet ersätts" in page
    assert "1 nämnd har utfall i dag men inget i filen" in page
    assert "Kultur- och fritidsnämnden" in page and "Saknas, tas bort" in page
    assert "1\xa0500 kr" in page and "oförändrat" in page
    assert "Bekräfta och ersätt utfallet" in page


def test_confirming_the_preview_replaces_and_the_log_keeps_both(client, ekonom, unit):
    post_file(client, NOVEMBER, "forsta.se")
    upload = post_file(client, NOVEMBER_AGAIN, "andra.se")
    upload.refresh_from_db()
    response = confirm(client, upload)
    upload.refresh_from_db()
    assert response.status_code == 302 and upload.status == UploadStatus.DONE
    assert stored(unit("bun")) == Decimal("1500.00") and stored(unit("kfn")) == 0
    new_log = upload.result
    assert new_log.file_name == "andra.se" and new_log.imported_by.username == "ekonom"
    old_log = Utfallsimport.objects.get(file_name="forsta.se")
    assert old_log.status == ImportStatus.REPLACED and old_log.replaced_by == new_log
    both = {(row.namnd.name, row.month): (row.amount_before, row.amount, row.rows)
            for row in UtfallsimportSumma.objects.filter(utfallsimport=new_log)
            .select_related("namnd")}
    assert both == {
        ("Barn- och utbildningsnämnden", 11): (Decimal("1000.00"), Decimal("1500.00"), 1),
        ("Socialnämnden", 11): (Decimal("2000.00"), Decimal("2000.00"), 1),
        ("Kultur- och fritidsnämnden", 11): (Decimal("300.00"), Decimal("0.00"), 0),
    }
    page = client.get(new_log.get_absolute_url()).content.decode()
    assert "Utfall före och efter inläsningen" in page and "Kultur- och fritidsnämnden" in page


def test_cancelling_the_preview_keeps_the_stored_outcome_and_drops_the_file(client, ekonom,
                                                                            unit):
    post_file(client, NOVEMBER)
    upload = post_file(client, NOVEMBER_AGAIN)
    response = client.post(upload.get_absolute_url(), {"action": "avbryt"})
    upload.refresh_from_db()
    assert response.status_code == 302 and upload.status == UploadStatus.CANCELLED
    assert stored(unit("kfn")) == Decimal("300.00") and Utfallsimport.objects.count() == 1
    assert not UtfallsfilDel.objects.filter(fil=upload).exists()


def test_a_confirmation_of_another_preview_than_the_stored_one_is_refused(client, ekonom, unit):
    post_file(client, NOVEMBER)
    upload = post_file(client, NOVEMBER_AGAIN)
    upload.refresh_from_db()
    response = client.post(upload.get_absolute_url(), {"action": "bekrafta", "digest": "0" * 64},
                           follow=True)
    assert "Förhandsvisningen har ändrats" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PREVIEW and stored(unit("kfn")) == Decimal("300.00")


def test_a_mapping_changed_after_the_preview_gives_a_new_preview_not_a_write(client, ekonom,
                                                                              unit):
    post_file(client, NOVEMBER)
    upload = post_file(client, NOVEMBER_AGAIN)
    upload.refresh_from_db()
    shown = upload.preview_digest
    # Between the preview and the yes, object 410 is moved to Socialnämnden.
    Objektkoppling.objects.filter(object_id="410").update(namnd=unit("sn"), verksamhet=None)
    confirm(client, upload, shown)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PREVIEW and upload.preview_digest != shown
    assert "ändrades efter att du bekräftade" in upload.message
    assert stored(unit("bun")) == Decimal("1000.00")  # nothing written
    new = {row["name"]: row["new"] for row in upload.preview}
    assert new["Socialnämnden"] == "3500.00" and new["Barn- och utbildningsnämnden"] is None


def test_another_outcome_stored_after_the_preview_gives_a_new_preview(client, ekonom, unit):
    post_file(client, NOVEMBER)
    upload = post_file(client, NOVEMBER_AGAIN)
    upload.refresh_from_db()
    outcomes.import_sie(file=io.BytesIO(sie(("6110", "410", "7.00"))), file_name="x.se",
                        user=User.objects.get(username="ekonomichef"))
    confirm(client, upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PREVIEW
    assert stored(unit("bun")) == Decimal("7.00")


def test_another_organisations_file_is_refused_on_its_page_and_changes_nothing(client, ekonom,
                                                                              unit):
    post_file(client, NOVEMBER)
    other = sie(("6110", "410", "60000.00"),
                head="#FLAGGA 0\r\n#SIETYP 4\r\n#ORGNR 556677-8899\r\n#FNAMN \"Annat AB\"\r\n")
    upload = post_file(client, other)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "kommer från en annan organisation" in page and "556677-8899" in page
    assert "Annat AB" in page and "Ingenting sparades" in page
    assert stored(unit("sn")) == Decimal("2000.00") and Utfallsimport.objects.count() == 1


def test_a_file_that_is_no_ledger_file_is_refused_at_once_on_the_form(client, ekonom):
    response = client.post("/budget/utfall/", {"file": SimpleUploadedFile(
        "nov.se", b"<!DOCTYPE html><html><body>Fel 500</body></html>")})
    assert response.status_code == 200 and "webbsida (HTML)" in response.content.decode()
    assert not Utfallsfil.objects.exists()


def test_a_refused_file_is_read_again_without_a_new_upload(client, ekonom, unit):
    Objektkoppling.objects.filter(object_id="410").delete()
    upload = post_file(client, sie(("6110", "410", "10.00")))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED
    assert upload.unmapped == [{"dimension": 1, "object_id": "410", "name": "", "line": 6}]
    Objektkoppling.objects.create(dimension=1, object_id="410", namnd=unit("bun"))
    client.post(upload.get_absolute_url(), {"action": "las-igen"})
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and stored(unit("bun")) == Decimal("10.00")


def test_the_file_read_back_from_its_pieces_is_the_file(ekonom, monkeypatch):
    monkeypatch.setattr(UtfallsfilDel, "CHUNK", 1000)
    content = bytes(range(256)) * 40  # 10 240 bytes: eleven pieces, the last one short
    upload = upload_jobs.receive(file=io.BytesIO(content), file_name="x.csv",
                                 user=User.objects.get(username="ekonom"), format="csv")
    assert UtfallsfilDel.objects.filter(fil=upload).count() == 11
    upload.refresh_from_db()
    assert upload.size == len(content)
    stored_file = upload_jobs.open_stored(upload)
    assert stored_file.read() == content
    stored_file.seek(2995)
    assert stored_file.read(10) == content[2995:3005]  # across two pieces
    stored_file.seek(-3, io.SEEK_END)
    assert stored_file.read() == content[-3:]


def test_a_file_of_many_pieces_imports_and_reports_its_progress(ekonom, monkeypatch, unit):
    monkeypatch.setattr(UtfallsfilDel, "CHUNK", 4096)
    monkeypatch.setattr(upload_jobs, "PROGRESS_EVERY", 0)
    seen: list[int] = []
    update = upload_jobs._update

    def recording(upload, **fields):
        if "progress" in fields:
            seen.append(fields["progress"])
        update(upload, **fields)

    monkeypatch.setattr(upload_jobs, "_update", recording)
    content = sie(*[("6110", "410", "1.00")] * 2000)  # about 90 kB: 22 pieces
    upload = upload_jobs.receive(file=io.BytesIO(content), file_name="stor.se",
                                 user=User.objects.get(username="ekonom"))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and stored(unit("bun")) == Decimal("2000.00")
    assert upload.lines_read == content.count(b"\n")
    reading = [value for value in seen if 0 < value < upload_jobs.READ_SHARE]
    assert len(reading) > 10 and reading == sorted(reading)
    assert seen[-1] == 100


def test_the_progress_page_polls_while_the_file_is_read_and_stops_when_it_is_done(
        client, ekonom):
    upload = Utfallsfil.objects.create(file_name="nov.se", format="sie",
                                       status=UploadStatus.READING, progress=40,
                                       started_at=timezone.now(),
                                       uploaded_by=User.objects.get(username="ekonom"))
    page = client.get(upload.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page and "Filen läses" in page
    fragment = client.get(upload.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div id=\"inlasning-status\"") and "<html" not in fragment
    upload.status, upload.result = UploadStatus.DONE, Utfallsimport.objects.create(
        file_name="nov.se", sha256="0" * 64, format="sie", year=2026, months=[11],
        total_amount=0, imported_by=upload.uploaded_by)
    upload.save()
    done = client.get(upload.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == upload.result.get_absolute_url()


def test_a_reading_whose_worker_died_is_shown_as_not_finished(client, ekonom):
    long_ago = timezone.now() - dt.timedelta(seconds=upload_jobs.TIME_LIMIT + 120)
    upload = Utfallsfil.objects.create(file_name="nov.se", format="sie",
                                       status=UploadStatus.READING, started_at=long_ago,
                                       uploaded_by=User.objects.get(username="ekonom"))
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Inläsningen blev inte klar" in page and "hx-trigger" not in page


def test_an_upload_left_for_a_week_is_dropped(ekonom):
    upload = upload_jobs.receive(file=io.BytesIO(NOVEMBER_AGAIN), file_name="nov.se",
                                 user=User.objects.get(username="ekonom"))
    Utfallsfil.objects.filter(pk=upload.pk).update(
        status=UploadStatus.PREVIEW,
        uploaded_at=timezone.now() - dt.timedelta(days=upload_jobs.KEPT_DAYS + 1))
    UtfallsfilDel.objects.create(fil=upload, index=0, data=b"x")
    assert upload_jobs.drop_stale_uploads() == 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.CANCELLED and not upload.parts.exists()


def test_the_import_page_lists_uploads_that_wait_for_the_finance_office(client, ekonom):
    post_file(client, NOVEMBER)
    waiting = post_file(client, NOVEMBER_AGAIN, "andra.se")
    page = client.get("/budget/utfall/").content.decode()
    assert "Filer som inte är klara" in page and waiting.get_absolute_url() in page
    assert "Väntar på bekräftelse" in page


@pytest.mark.parametrize("username", ["bun.forvaltningschef", "revisor", "ks.ordforande"])
def test_p1_only_the_finance_office_sees_or_confirms_an_upload(client, ekonom, login, username):
    post_file(client, NOVEMBER)
    upload = post_file(client, NOVEMBER_AGAIN)
    upload.refresh_from_db()
    login(username)
    assert client.get(upload.get_absolute_url()).status_code == 403
    assert confirm(client, upload).status_code == 403
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PREVIEW


def test_the_file_is_read_in_a_thread_when_there_is_no_broker(transactional_db, client,
                                                            settings):
    """The embedded default: no worker, yet the upload returns at once and the page follows the
    reading until it is done."""
    call_command("seed_demo", stdout=io.StringIO())  # the whole demo, with its mappings
    Utfall.objects.all().delete()
    refresh_every_year()
    settings.EAGER_TASKS_IN_THREAD = True
    client.force_login(User.objects.get(username="ekonom"))
    response = client.post("/budget/utfall/", {"file": SimpleUploadedFile(
        "nov.se", DEMO_SIE.read_bytes())})
    upload = Utfallsfil.objects.get()
    assert response.url == upload.get_absolute_url()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        upload.refresh_from_db()
        if not upload.is_running:
            break
        # The page answers while the thread reads (302 to the result if it finished meanwhile).
        assert client.get(upload.get_absolute_url()).status_code in (200, 302)
        time.sleep(0.1)
    assert upload.status == UploadStatus.DONE, upload.message
    assert Utfallsimport.objects.get().total_amount == upload.result.total_amount
