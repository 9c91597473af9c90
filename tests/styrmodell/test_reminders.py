"""The hourly scheduled work: reminders of dated steps (B1, F1), each sent once and recorded."""

import datetime as dt

from django.core import mail

from styrmodell import due_work
from styrmodell.models import Notification, User
from styrmodell.reminders import send_calendar_reminders
from styrmodell.selectors import my_tasks

BEFORE_VERKSAMHETSPLAN = dt.date(2026, 12, 26)  # the nämnder adopt it by 2026-12-31 (G7, B1)


def _recipients(code_part: str) -> set[str]:
    return set(
        Notification.objects.filter(key__startswith="kalender-paminnelse:",
                                    subject__contains=code_part)
        .values_list("recipient__username", flat=True)
    )


def test_b1_reminder_reaches_those_responsible_in_every_namnd(municipality):
    send_calendar_reminders(BEFORE_VERKSAMHETSPLAN)
    recipients = _recipients("verksamhetsplan")
    assert {"bun.forvaltningschef", "sn.forvaltningschef", "sbn.forvaltningschef",
            "kfn.forvaltningschef", "bun.ordforande", "sn.ordforande",
            "ks.ordforande"} <= recipients
    assert "kf.ordforande" not in recipients
    assert "medarbetare" not in recipients


def test_b1_reminder_is_sent_once_when_the_task_runs_twice(
    municipality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_calendar_reminders(BEFORE_VERKSAMHETSPLAN)
    with django_capture_on_commit_callbacks(execute=True):
        second = send_calendar_reminders(BEFORE_VERKSAMHETSPLAN)
    assert first > 0
    assert second == 0
    assert len(mail.outbox) == first
    assert Notification.objects.filter(key__startswith="kalender-paminnelse:").count() == first


def test_b1_a_run_late_after_an_outage_still_reminds_and_then_never_again(municipality):
    # No run between 12-24 and 12-30: the first run after the outage still catches the step.
    assert send_calendar_reminders(dt.date(2026, 12, 30)) > 0
    assert _recipients("verksamhetsplan")
    reminded = Notification.objects.filter(subject__contains="verksamhetsplan").count()
    send_calendar_reminders(dt.date(2026, 12, 31))
    assert Notification.objects.filter(subject__contains="verksamhetsplan").count() == reminded


def test_kf_chair_is_not_given_the_namnders_steps_on_the_start_page(municipality):
    user = User.objects.get(username="kf.ordforande")
    tasks = my_tasks(user, today=BEFORE_VERKSAMHETSPLAN)
    titles = [event.title for event in tasks.upcoming + tasks.overdue]
    assert "Nämnderna fastställer verksamhetsplan och budget" not in titles


def test_the_due_work_runs_every_registered_piece(municipality):
    assert due_work.run_all(BEFORE_VERKSAMHETSPLAN)["kalenderpaminnelser"] > 0


def test_reminder_is_shown_on_the_start_page_and_can_be_marked_read(login, client, municipality):
    send_calendar_reminders(BEFORE_VERKSAMHETSPLAN)
    login("bun.forvaltningschef")
    page = client.get("/").content.decode()
    assert "Nya aviseringar" in page
    assert "Påminnelse: Nämnderna fastställer verksamhetsplan och budget" in page
    note = Notification.objects.get(recipient__username="bun.forvaltningschef",
                                    subject__contains="verksamhetsplan")
    client.post(f"/aviseringar/{note.pk}/last/")
    assert "Påminnelse: Nämnderna fastställer verksamhetsplan och budget" not in \
        client.get("/").content.decode()


def test_nobody_marks_another_persons_notification_read(login, client, municipality):
    send_calendar_reminders(BEFORE_VERKSAMHETSPLAN)
    note = Notification.objects.filter(recipient__username="sn.forvaltningschef").first()
    login("bun.forvaltningschef")
    client.post(f"/aviseringar/{note.pk}/last/")
    note.refresh_from_db()
    assert note.read_at is None
