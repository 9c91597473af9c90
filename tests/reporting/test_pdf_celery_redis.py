"""The PDF task on a real Celery worker over the machine's Redis (no eager mode)."""

import subprocess
import time

from reporting.meeting_status import namnd_meetings
from reporting.models import PdfRendering, RenderingStatus
from reporting.pdf_documents import MEETING_STATUS
from reporting.tasks import render_pdf_task
from styrmodell import demo
from tests.styrmodell.test_celery_redis import worker  # noqa: F401 - the real-worker fixture


def test_pdf_renders_on_a_real_worker_and_is_cached_the_second_time(worker, tmp_path):  # noqa: F811
    units = demo.seed()
    meeting = namnd_meetings().get(unit=units["sn"], date="2026-11-16")
    started = time.monotonic()
    first = worker.send_task(render_pdf_task.name, args=[MEETING_STATUS, meeting.pk])\
        .get(timeout=120)
    rendering = PdfRendering.objects.get(pk=first)
    assert rendering.status == RenderingStatus.DONE and rendering.progress == 100
    assert rendering.started_at and rendering.finished_at >= rendering.started_at
    finished_at = rendering.finished_at
    second = worker.send_task(render_pdf_task.name, args=[MEETING_STATUS, meeting.pk])\
        .get(timeout=60)
    assert second == first
    assert PdfRendering.objects.get(pk=first).finished_at == finished_at  # not rendered again
    assert time.monotonic() - started < 170
    path = tmp_path / "f3.pdf"
    path.write_bytes(bytes(PdfRendering.objects.get(pk=first).pdf))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Ekonomiskt läge" in text and "Socialnämnden" in text
