"""Demo: the October meetings of Socialnämnden and Barn- och utbildningsnämnden had their
economic status presented (F3), recorded by the förvaltningschef and the nämndsekreterare."""

import datetime as dt

from styrmodell.models import User

from .meeting_status import namnd_meetings, record_presented
from .models import MeetingPresentation

PRESENTED = (("SN", "sn.forvaltningschef", "§ 74"), ("BUN", "bun.sekreterare", "§ 98"))


def seed() -> None:
    for short_name, username, paragraph in PRESENTED:
        meeting = (namnd_meetings().filter(unit__short_name=short_name, date__year=2026,
                                           date__month=10).first())
        user = User.objects.filter(username=username).first()
        if meeting is None or user is None:
            continue
        if MeetingPresentation.objects.filter(meeting=meeting).exists():
            continue
        record_presented(meeting=meeting, user=user, paragraph=paragraph,
                         today=dt.date(2026, 11, 25))
