"""A person's deadlines as an iCal feed for Outlook and as the page "Mina frister"."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from budget.followup.forecasts import ForecastVariance
from deviations import detection
from deviations.models import Avvikelse
from reporting import deadlines_feed
from reporting.deadlines_feed import Deadline, escape_text, fold, render_ics
from reporting.models import CalendarFeedToken
from styrmodell.models import BudgetYear, User

TODAY = dt.date(2026, 11, 25)


# --- A small parser of what we write (RFC 5545), strict where Outlook is -----------------------


def unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "bare LF line end"
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"line over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            assert value[i] not in ",;", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(body: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The calendar's own properties and its events, each as {NAME: raw value}."""
    calendar: dict[str, str] = {}
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(body):
        name_params, value = line.split(":", 1)
        name = name_params.split(";", 1)[0]
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
            current[f"{name}@params"] = name_params
        elif name not in {"BEGIN", "END"}:
            calendar[name] = value
    return calendar, events


def feed_of(client, user: User) -> tuple[dict[str, str], list[dict[str, str]]]:
    token = deadlines_feed.renew_feed_token(user=user)
    response = client.get(reverse("reporting:deadlines_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return parse(response.content)


def by_uid(events):
    return {event["UID"]: event for event in events}


def summaries(events) -> set[str]:
    return {unescape(event["SUMMARY"]) for event in events}


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


# --- Which deadlines ------------------------------------------------------------------------------


def test_the_feed_is_a_calendar_with_its_name_and_refresh(client, people, fixed_today):
    calendar, events = feed_of(client, people("sn.ordforande"))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"].startswith("-//")
    assert unescape(calendar["X-WR-CALNAME"]) == "Styrmodell – mina frister"
    assert calendar["REFRESH-INTERVAL"] == "PT1H"
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    assert events
    for event in events:
        assert event["DTSTART@params"] == "DTSTART;VALUE=DATE"
        assert len(event["DTSTART"]) == 8
        start = dt.datetime.strptime(event["DTSTART"], "%Y%m%d").date()
        assert event["DTEND"] == f"{start + dt.timedelta(days=1):%Y%m%d}"
        assert event["UID"].endswith("@styrmodell")
        assert event["URL"].startswith("http://testserver/")
        assert event["DTSTAMP"].endswith("Z")


def test_d3_d5_the_chair_of_socialnamnden_gets_the_open_cases_obligations(
        client, people, fixed_today):
    case = Avvikelse.objects.get(namnd__short_name="SN", status="oppen")
    _, events = feed_of(client, people("sn.ordforande"))
    events = by_uid(events)
    decision = events[f"avvikelse-{case.pk}-beslut@styrmodell"]
    assert unescape(decision["SUMMARY"]) == "Nämnden beslutar om åtgärder – Socialnämnden"
    assert decision["DTSTART"] == f"{case.decision_due:%Y%m%d}"
    assert decision["URL"] == f"http://testserver{case.get_absolute_url()}"
    assert f"avvikelse-{case.pk}-ksau@styrmodell" in events
    # D2's measures are already presented: done obligations are not in the feed.
    assert f"avvikelse-{case.pk}-atgarder@styrmodell" not in events
    # Another nämnd's case is not hers: the investment cases of BUN, SBN, KFN and KS.
    assert not any(unescape(e["SUMMARY"]).endswith("Barn- och utbildningsnämnden")
                   for e in events.values() if e["UID"].startswith("avvikelse-"))
    assert "Sammanträde: Socialnämnden" in summaries(events.values())


def test_d2_a_forvaltningschef_gets_the_measures_of_his_own_namnd_only(
        client, people, municipality, fixed_today):
    bun = municipality["bun"]
    Avvikelse.objects.filter(namnd=bun).delete()
    case = detection.open_deficit_case(variance=ForecastVariance(
        namnd=bun, budget_year=BudgetYear.objects.get(year=2026), period="okt",
        frame=Decimal("324900000"), forecast=Decimal("330100000")), today=TODAY)
    uid = f"avvikelse-{case.pk}-atgarder@styrmodell"

    _, bun_events = feed_of(client, people("bun.forvaltningschef"))
    measures = by_uid(bun_events)[uid]
    assert unescape(measures["SUMMARY"]) == (
        "Förvaltningschefen redovisar åtgärder – Barn- och utbildningsnämnden")
    assert measures["DTSTART"] == f"{case.measures_due:%Y%m%d}"
    # The chair's obligations are not the förvaltningschef's.
    assert f"avvikelse-{case.pk}-ksau@styrmodell" not in by_uid(bun_events)
    assert "Sammanträde: Barn- och utbildningsnämnden" in summaries(bun_events)
    assert "Uppföljningsrapport per oktober" in summaries(bun_events)

    _, sn_events = feed_of(client, people("sn.forvaltningschef"))
    assert uid not in by_uid(sn_events)
    assert "Sammanträde: Barn- och utbildningsnämnden" not in summaries(sn_events)


def test_b1_kf_ordforande_does_not_get_the_namnders_steps(client, people, fixed_today):
    _, events = feed_of(client, people("kf.ordforande"))
    titles = summaries(events)
    assert "KF beslutar budget, planår och mål" in titles
    assert "Sammanträde: Kommunfullmäktige" in titles
    assert "Nämnderna fastställer verksamhetsplan och budget" not in titles
    assert "Nämndernas årsrapporter" not in titles
    assert "Sammanträde: Socialnämnden" not in titles
    assert not any(event["UID"].startswith("avvikelse-") for event in events)


def test_f1_the_ekonomichef_gets_the_report_deadlines(client, people, fixed_today):
    _, events = feed_of(client, people("ekonomichef"))
    titles = summaries(events)
    assert {"Uppföljningsrapport per februari", "Uppföljningsrapport per april",
            "Delårsrapport per augusti", "Årsredovisning godkänns av KF"} <= titles
    assert "Nämnderna fastställer verksamhetsplan och budget" not in titles
    assert not any(event["UID"].startswith("avvikelse-") for event in events)


def test_uids_are_stable_between_fetches(client, people, fixed_today):
    user = people("sn.ordforande")
    _, first = feed_of(client, user)
    _, second = feed_of(client, user)
    assert [e["UID"] for e in first] == [e["UID"] for e in second]
    assert len({e["UID"] for e in first}) == len(first)


def test_a_registered_source_adds_its_deadlines(client, people, fixed_today, monkeypatch):
    monkeypatch.setattr(deadlines_feed, "_SOURCES", list(deadlines_feed._SOURCES))

    def report_parts(user, today, context):
        yield Deadline("rapport-1@styrmodell", "Lämna in delårsrapporten", today, "/rapporter/",
                       "Avsnitt 3")

    deadlines_feed.register_source(report_parts)
    deadlines_feed.register_source(report_parts)
    _, events = feed_of(client, people("sn.forvaltningschef"))
    assert [e["UID"] for e in events].count("rapport-1@styrmodell") == 1


# --- Escaping and folding -------------------------------------------------------------------------


def test_titles_with_swedish_letters_commas_and_long_text_are_escaped_and_folded():
    title = "Åtgärder, beslut; och återrapport\\KSAU – Östra ängens förskola"
    description = "Rad ett, med komma.\nRad två; med semikolon. " + "Långt ärende öäå " * 20
    body = render_ics([Deadline("x-1@styrmodell", title, TODAY, "/a/b/", description)],
                      absolute=lambda path: f"https://styrmodell.example{path}").encode()
    _, (event,) = parse(body)  # parse() checks CRLF and the 75-octet limit
    assert unescape(event["SUMMARY"]) == title
    assert unescape(event["DESCRIPTION"]) == (
        description + "\n\nhttps://styrmodell.example/a/b/")
    assert event["SUMMARY@params"] == "SUMMARY;LANGUAGE=sv"
    raw = body.decode()
    assert "Åtgärder\\, beslut\\; och återrapport\\\\KSAU" in raw.replace("\r\n ", "")
    assert "\r\n " in raw  # the long description was folded


def test_folding_never_splits_a_utf8_character():
    line = "SUMMARY:" + "å" * 100
    folded = fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_escape_text_handles_each_special_character():
    assert escape_text("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


# --- The secret address ---------------------------------------------------------------------------


def test_no_session_is_needed_but_a_valid_token_is(client, people, fixed_today):
    user = people("sn.ordforande")
    token = deadlines_feed.renew_feed_token(user=user)
    assert len(token) >= 40
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("reporting:deadlines_feed", args=[token])).status_code == 200
    assert client.head(reverse("reporting:deadlines_feed", args=[token])).status_code == 200
    assert client.get(reverse("reporting:deadlines_feed", args=["fel" + token])).status_code == 404
    assert client.post(reverse("reporting:deadlines_feed", args=[token])).status_code == 405
    assert client.get("/rapporter/kalender/.ics").status_code == 404


def _shown_token(response) -> str:
    url = response.context["https_url"]
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_a_renewed_token_makes_the_old_address_404(client, people, login, fixed_today):
    user = login("sn.ordforande")
    old = deadlines_feed.renew_feed_token(user=user)
    response = client.post(reverse("reporting:renew_deadlines_feed"))
    assert response.status_code == 200
    assert "Den gamla fungerar inte längre" in response.content.decode()
    new = _shown_token(response)
    assert new != old
    assert CalendarFeedToken.objects.filter(user=user).count() == 1
    assert client.get(reverse("reporting:deadlines_feed", args=[old])).status_code == 404
    assert client.get(reverse("reporting:deadlines_feed", args=[new])).status_code == 200


def test_the_secret_is_stored_only_as_its_hash(client, people, fixed_today):
    user = people("sn.ordforande")
    token = deadlines_feed.renew_feed_token(user=user)
    row = CalendarFeedToken.objects.get(user=user)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in
                         CalendarFeedToken.objects.filter(pk=row.pk).values().get().values()}
    # The hash itself is no address: only the token it was made from opens the feed.
    assert client.get(reverse("reporting:deadlines_feed",
                              args=[row.token_hash])).status_code == 404
    assert client.get(reverse("reporting:deadlines_feed", args=[token])).status_code == 200


def test_the_address_is_shown_when_made_and_never_again(client, login, fixed_today):
    login("sn.ordforande")
    token = _shown_token(client.post(reverse("reporting:renew_deadlines_feed")))
    again = client.get(reverse("reporting:my_deadlines"))
    assert "https_url" not in again.context
    assert token not in again.content.decode()
    assert client.get(reverse("reporting:deadlines_feed", args=[token])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_existing_plain_tokens_are_hashed_by_the_migration_and_keep_working(client,
                                                                           municipality):
    executor = MigrationExecutor(connection)
    before = [("reporting", "0004_companies")]
    after = executor.loader.graph.leaf_nodes("reporting")
    executor.migrate(before)
    user = User.objects.get(username="sn.ordforande")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO reporting_calendarfeedtoken (user_id, token, created_at) "
                       "VALUES (%s, %s, now())", [user.pk, "subscribed-before-the-change"])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    row = CalendarFeedToken.objects.get(user=user)
    assert row.token_hash == hashlib.sha256(b"subscribed-before-the-change").hexdigest()
    assert deadlines_feed.user_for_token("subscribed-before-the-change") == user
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(
            cursor, "reporting_calendarfeedtoken")]
    assert "token" not in columns


def test_an_inactive_persons_feed_is_gone(client, people, fixed_today):
    user = people("sn.ordforande")
    token = deadlines_feed.renew_feed_token(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("reporting:deadlines_feed", args=[token])).status_code == 404


def test_renewing_needs_login_and_post(client, people, login):
    assert client.post(reverse("reporting:renew_deadlines_feed")).status_code == 302
    assert not CalendarFeedToken.objects.exists()
    login("sn.ordforande")
    assert client.get(reverse("reporting:renew_deadlines_feed")).status_code == 405


def test_the_feeds_query_count_is_pinned(client, people, django_assert_max_num_queries,
                                        fixed_today):
    # KS's ordförande has five roles and some fifty events; none costs a query of its own
    # (the goals and the sections a person is appointed to answer for are a query each).
    token = deadlines_feed.renew_feed_token(user=people("ks.ordforande"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reporting:deadlines_feed", args=[token]))
    assert response.status_code == 200


# --- The page -------------------------------------------------------------------------------------


def test_the_page_needs_login(client, municipality):
    response = client.get(reverse("reporting:my_deadlines"))
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


@pytest.mark.parametrize("username", ["sn.ordforande", "ekonomichef"])
def test_the_page_lists_overdue_and_coming_with_the_subscription(
        client, login, django_assert_max_num_queries, fixed_today, username):
    login(username)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("reporting:my_deadlines"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skapa kalenderadress" in page and "/rapporter/kalender/" not in page
    created = client.post(reverse("reporting:renew_deadlines_feed"))
    token = _shown_token(created)
    shown = created.content.decode()
    assert f"webcal://testserver/rapporter/kalender/{token}.ics" in shown
    assert f"http://testserver/rapporter/kalender/{token}.ics" in shown
    assert "visas bara den här gången" in shown
    page = client.get(reverse("reporting:my_deadlines")).content.decode()
    assert token not in page and "Du har en kalenderadress" in page
    if username == "sn.ordforande":
        assert "Ordföranden informerar KSAU – Socialnämnden" in page
        assert "Nämnden beslutar om åtgärder – Socialnämnden" in page
    else:
        assert "Delårsrapport per augusti" in page
        assert len(response.context["overdue"]) == 2  # Budgetförslag, oktoberuppföljningen
    assert "Skapa ny adress" in page
    assert "slutar då att fungera" in page
    overdue, coming = response.context["overdue"], response.context["coming"]
    assert all(d.date < TODAY and d.overdue_when_past for d in overdue)
    assert all(d.date >= TODAY for d in coming)
    # Only the overdue rows say so; held meetings are not overdue.
    assert page.count("Försenad</strong>") == len(overdue)


def test_the_start_page_links_to_my_deadlines(client, login):
    login("sn.forvaltningschef")
    assert reverse("reporting:my_deadlines") in client.get("/").content.decode()


def test_f1_the_forvaltningschef_gets_the_report_section_to_submit(municipality):
    from reporting.deadlines_feed import deadlines_for
    from reporting.models import PeriodStatus, Rapportavsnitt, SectionStatus

    open_sections = Rapportavsnitt.objects.filter(
        period__status=PeriodStatus.OPEN, status__in=[SectionStatus.DRAFT,
                                                      SectionStatus.RETURNED])
    sn_section = open_sections.filter(namnd=municipality["sn"]).order_by(
        "-period__deadline").first()
    assert sn_section is not None, "the demo has an open report"
    sn_chef = {d.uid for d in deadlines_for(User.objects.get(username="sn.forvaltningschef"),
                                            sn_section.period.deadline)}
    assert f"rapportavsnitt-{sn_section.pk}@styrmodell" in sn_chef
    bun_section = open_sections.filter(namnd=municipality["bun"],
                                       period=sn_section.period).first()
    if bun_section is not None:
        assert f"rapportavsnitt-{bun_section.pk}@styrmodell" not in sn_chef
    ks_section = open_sections.filter(namnd=municipality["ks"], period=sn_section.period).get()
    director = {d.uid for d in deadlines_for(User.objects.get(username="kommundirektor"),
                                             sn_section.period.deadline)}
    assert f"rapportavsnitt-{ks_section.pk}@styrmodell" in director
    assert f"rapportavsnitt-{sn_section.pk}@styrmodell" not in director


def test_d3_an_open_cases_obligation_stays_listed_long_after_it_fell_due(people):
    """A calendar step drops off Mina frister 60 days after its day; what an open case still
    owes does not, for it is still to be done."""
    from reporting.deadlines_feed import PAST_DAYS, deadlines_for

    case = Avvikelse.objects.get(namnd__short_name="SN", status="oppen")
    uid = f"avvikelse-{case.pk}-beslut@styrmodell"
    chair = people("sn.ordforande")
    much_later = case.decision_due + dt.timedelta(days=PAST_DAYS + 40)

    listed = {d.uid: d for d in deadlines_for(chair, much_later)}
    assert uid in listed
    assert listed[uid].date == case.decision_due
    steps = [d for d in listed.values() if d.uid.startswith("kalender-")]
    assert all(d.date >= much_later - dt.timedelta(days=PAST_DAYS) for d in steps)

    case.status = "stangt"
    case.save(update_fields=["status"])
    assert uid not in {d.uid for d in deadlines_for(chair, much_later)}


def test_f1_a_section_not_submitted_stays_listed_after_the_deadline(municipality):
    from reporting.deadlines_feed import PAST_DAYS, deadlines_for
    from reporting.models import PeriodStatus, Rapportavsnitt, SectionStatus

    section = (Rapportavsnitt.objects
               .filter(period__status=PeriodStatus.OPEN, namnd=municipality["sn"],
                       status__in=[SectionStatus.DRAFT, SectionStatus.RETURNED])
               .order_by("-period__deadline").first())
    assert section is not None, "the demo has an open report"
    uid = f"rapportavsnitt-{section.pk}@styrmodell"
    chef = User.objects.get(username="sn.forvaltningschef")
    much_later = section.period.deadline + dt.timedelta(days=PAST_DAYS + 30)
    assert uid in {d.uid for d in deadlines_for(chef, much_later)}

    section.status = SectionStatus.SUBMITTED
    section.save(update_fields=["status"])
    assert uid not in {d.uid for d in deadlines_for(chef, much_later)}
