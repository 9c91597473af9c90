"""A person appointed to write one report section reads that section in the API, as on its
page, while the appointment is in its period — and no other draft of the nämnd."""

import datetime as dt

from reporting.models import Rapportavsnitt, SectionStatus
from styrmodell import appointments
from styrmodell.models import User


def _sections(api_get, secret) -> set[int]:
    body = api_get("/api/v1/rapporter/", secret, page_size=1000).json()
    return {(report["id"], section["namnd"]) for report in body["results"]
            for section in report["sections"]}


def test_an_appointed_writer_reads_the_draft_section_they_answer_for(api_get, token_for, unit):
    section = Rapportavsnitt.objects.exclude(status=SectionStatus.APPROVED).filter(
        namnd=unit("bun")).first()
    secret = token_for("bun.malansvarig")
    assert (section.period_id, section.namnd_id) not in _sections(api_get, secret)
    today = dt.date.today()
    appointments.appoint(by=User.objects.get(username="bun.forvaltningschef"),
                         person=User.objects.get(username="bun.malansvarig"), obj=section,
                         starts_on=today, ends_on=today + dt.timedelta(days=30), reason="Test")
    listed = _sections(api_get, secret)
    assert (section.period_id, section.namnd_id) in listed
    other_drafts = {(s.period_id, s.namnd_id) for s in Rapportavsnitt.objects
                    .exclude(status=SectionStatus.APPROVED).exclude(pk=section.pk)}
    assert not listed & other_drafts
