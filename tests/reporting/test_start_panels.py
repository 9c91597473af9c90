"""The reporting app's start-page panels per demo role: the coming meetings with their
lägesrapport and agenda, what waits for a body's decision, the sections the förvaltning must
rework or write, the reports the finance office compiles; and late reports flagged on the list.

The expectations are read from the models as the linked pages read them, not from the panels'
own selectors; each panel's queries stay the same with more nämnder, reports and sections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import reports, start_panels
from reporting.deadlines_feed import deadlines_for
from reporting.models import PeriodStatus, Rapportavsnitt, Rapportperiod, SectionStatus
from reporting.report_work import period_is_late
from styrmodell.models import CalendarEvent, EventKind, OrganisationUnit, UnitKind, User
from styrmodell.permissions import POLITICAL_ROLES, active_assignments
from styrmodell.start_page import LINES_SHOWN, panels_for
from styrmodell.versioning import current_version

TODAY = dt.date(2026, 11, 25)
MINE = ("kommande-sammantraden", "vantar-pa-beslut", "aterremitterade-avsnitt",
        "rapporter-att-sammanstalla")
POLITICIANS = ("bun.ordforande", "bun.ledamot", "ks.ordforande", "kf.ordforande")
SHOWN = {
    **{name: {"kommande-sammantraden", "vantar-pa-beslut"} for name in POLITICIANS},
    "bun.forvaltningschef": {"aterremitterade-avsnitt"},
    "kommundirektor": {"aterremitterade-avsnitt"},
    "ekonom": {"rapporter-att-sammanstalla"},
    "ekonomichef": {"rapporter-att-sammanstalla"},
    "enhetschef": set(),
    "medarbetare": set(),
}


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def user(username: str) -> User:
    return User.objects.get(username=username)  # a fresh object: no cached assignments


def panels(username: str) -> dict:
    return {panel.key: panel for panel in panels_for(user(username), TODAY)
            if panel.key in MINE}


def page(client, username: str) -> str:
    client.force_login(user(username))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def items_of(panel, name: str = "items") -> list:
    return panel.context[name]


def body_meetings(username: str) -> list[CalendarEvent]:
    """The meetings of the bodies the person holds a political role in, as the calendar has
    them, the next 60 days, at most five."""
    bodies = {a.unit_id for a in active_assignments(user(username), TODAY)
              if a.role.code in POLITICAL_ROLES}
    return list(CalendarEvent.objects.filter(kind=EventKind.MEETING, unit_id__in=bodies,
                                             date__gte=TODAY,
                                             date__lte=TODAY + dt.timedelta(days=60))
                .order_by("date", "unit__path")[:5])


def period(code: str) -> Rapportperiod:
    return Rapportperiod.objects.select_related("budget_year").get(budget_year__year=2026,
                                                                   code=code)


def section(code: str, namnd: OrganisationUnit) -> Rapportavsnitt:
    return Rapportavsnitt.objects.select_related("period__budget_year", "namnd").get(
        period__budget_year__year=2026, period__code=code, namnd=namnd)


def write_and_submit(item: Rapportavsnitt, on: dt.date = TODAY) -> None:
    writer = user("kommundirektor")
    reports.save_texts(section=item, version=current_version(item), by=writer,
                       summary="Verksamheten följer planen.", conclusion="Slutsats.",
                       priorities="Prioriteringar.", recommendation="Inga.",
                       future_challenges="Utmaningar.")
    reports.submit(section=item, by=writer, today=on)


def approve_every_section(code: str) -> None:
    for item in Rapportavsnitt.objects.filter(period=period(code)).select_related("period"):
        if item.status in {SectionStatus.DRAFT, SectionStatus.RETURNED}:
            write_and_submit(item)
            item.refresh_from_db()
        if item.status == SectionStatus.SUBMITTED:
            reports.decide(section=item, approve=True, decided_on=TODAY, paragraph="1",
                           comment="", by=user("ks.ordforande"))


def compile_october() -> Rapportperiod:
    approve_every_section("okt")
    october = period("okt")
    return reports.compile_report(period=october, version=current_version(october),
                                  summary="Kommunens ekonomi är i balans.", case_number="",
                                  by=user("ekonomichef"), today=TODAY)


# --- who gets which panel --------------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(SHOWN))
def test_each_demo_role_gets_the_reporting_panels_its_role_needs(municipality, fixed_today,
                                                                username):
    assert set(panels(username)) == SHOWN[username]


def test_the_panels_are_on_the_start_page_of_those_who_need_them(client, municipality,
                                                                fixed_today):
    headings = {"kommande-sammantraden": "Kommande sammanträden",
                "vantar-pa-beslut": "Väntar på beslut",
                "aterremitterade-avsnitt": "Återremitterade avsnitt",
                "rapporter-att-sammanstalla": "Rapporter att sammanställa"}
    for username, keys in SHOWN.items():
        html = page(client, username)
        for key, heading in headings.items():
            assert (f'<h2 id="{key}">{heading}</h2>' in html) == (key in keys), (username, key)


# --- Kommande sammanträden -------------------------------------------------------------------


@pytest.mark.parametrize("username", POLITICIANS)
def test_the_coming_meetings_are_the_bodies_next_meetings_from_the_calendar(
        municipality, fixed_today, username):
    rows = items_of(panels(username)["kommande-sammantraden"], "rows")
    assert [row["meeting"].pk for row in rows] == [m.pk for m in body_meetings(username)]
    assert rows, username


def test_the_bun_chair_sees_bun_and_kf_meetings_with_buns_lagesrapport(municipality,
                                                                      fixed_today):
    rows = items_of(panels("bun.ordforande")["kommande-sammantraden"], "rows")
    assert [(row["meeting"].unit.short_name, row["meeting"].date) for row in rows] == [
        ("BUN", dt.date(2026, 12, 15)), ("KF", dt.date(2026, 12, 22)),
        ("BUN", dt.date(2027, 1, 15)), ("KF", dt.date(2027, 1, 22))]
    for row in rows:
        # F3: a nämnd's meeting has its ekonomisk lägesrapport; KF's meeting has none.
        expected = (reverse("reporting:meeting_status", args=[row["meeting"].pk])
                    if row["meeting"].unit.short_name == "BUN" else "")
        assert row["status_url"] == expected


def test_the_ks_chair_sees_five_meetings_of_ksau_ks_and_kf(municipality, fixed_today):
    rows = items_of(panels("ks.ordforande")["kommande-sammantraden"], "rows")
    assert [row["meeting"].unit.short_name for row in rows] == ["KSAU", "KS", "KF", "KSAU",
                                                                 "KS"]
    assert [bool(row["status_url"]) for row in rows] == [False, True, False, False, True]


@pytest.mark.parametrize("username", POLITICIANS)
def test_the_meeting_and_its_lagesrapport_open_for_the_politician(client, municipality,
                                                                 fixed_today, username):
    client.force_login(user(username))
    for row in items_of(panels(username)["kommande-sammantraden"], "rows"):
        assert client.get(row["meeting"].get_absolute_url()).status_code == 200
        if row["status_url"]:
            status = client.get(row["status_url"]).content.decode()
            assert f"{row['meeting'].unit}, {row['meeting'].date.day} " in status
            assert "<h1>Ekonomisk lägesrapport" in status


def test_a_submitted_section_is_on_its_namnds_next_meeting_only(municipality, fixed_today):
    write_and_submit(section("okt", municipality["bun"]))
    rows = items_of(panels("bun.ordforande")["kommande-sammantraden"], "rows")
    agendas = {(row["meeting"].unit.short_name, row["meeting"].date):
               [item.text for item in row["agenda"]] for row in rows}
    assert agendas[("BUN", dt.date(2026, 12, 15))] == [
        "Uppföljning per oktober 2026: Barn- och utbildningsnämnden"]
    assert agendas[("BUN", dt.date(2027, 1, 15))] == []
    assert agendas[("KF", dt.date(2026, 12, 22))] == []


def test_a_compiled_report_is_on_ks_next_meeting_then_on_kfs(municipality, fixed_today):
    compile_october()
    rows = items_of(panels("ks.ordforande")["kommande-sammantraden"], "rows")
    on_agenda = [(row["meeting"].unit.short_name, item.text)
                 for row in rows for item in row["agenda"]]
    assert on_agenda == [("KS", "Uppföljning per oktober 2026: kommunens rapport")]
    assert not any(row["agenda"] for row in
                   items_of(panels("kf.ordforande")["kommande-sammantraden"], "rows"))

    reports.record_decision(period=period("okt"), body="ks", decided_on=dt.date(2026, 11, 24),
                            paragraph="9", by=user("kommunsekreterare"))
    rows = items_of(panels("kf.ordforande")["kommande-sammantraden"], "rows")
    assert [(row["meeting"].date, [item.text for item in row["agenda"]]) for row in rows][0] == (
        dt.date(2026, 12, 22), ["Uppföljning per oktober 2026: kommunens rapport"])


# --- Väntar på beslut ------------------------------------------------------------------------


def waiting_sections_of(namnd) -> list[Rapportavsnitt]:
    """What the report list shows as "Inlämnad till nämnden" for the nämnd."""
    return [s for s in Rapportavsnitt.objects.filter(namnd=namnd).select_related("period")
            if s.status == SectionStatus.SUBMITTED]


def test_in_the_demo_the_sbn_section_waits_for_sbn_and_is_late(municipality, fixed_today):
    items = items_of(panels("sbn.ordforande")["vantar-pa-beslut"])
    expected = waiting_sections_of(municipality["sbn"])
    assert [item.text for item in items] == [f"{s.period}: {s.namnd}" for s in expected]
    assert [item.text for item in items] == [
        "Delårsrapport per augusti 2026: Samhällsbyggnadsnämnden"]
    # The deadline for the nämnder's sections, 20 september, has passed.
    assert items[0].overdue and items[0].due == dt.date(2026, 9, 20)
    # The ordförande records the nämnd's decision.
    assert items[0].url == reverse("reporting:section_decide",
                                   args=[2026, "aug", municipality["sbn"].pk])


def test_in_the_demo_nothing_waits_for_bun_ks_or_kf(client, municipality, fixed_today):
    for username in POLITICIANS:
        assert items_of(panels(username)["vantar-pa-beslut"]) == [], username
        assert waiting_sections_of(municipality["bun"]) == []
        assert not Rapportperiod.objects.filter(
            status__in=[PeriodStatus.COMPILED, PeriodStatus.KS]).exists()
    assert "Inga rapporter väntar på beslut av dina organ." in page(client, "bun.ledamot")


def test_a_member_reads_the_waiting_section_where_the_chair_decides_it(client, municipality,
                                                                      fixed_today):
    bun = municipality["bun"]
    write_and_submit(section("okt", bun))
    chair = items_of(panels("bun.ordforande")["vantar-pa-beslut"])
    member = items_of(panels("bun.ledamot")["vantar-pa-beslut"])
    assert [i.text for i in chair] == [i.text for i in member] == [
        "Uppföljning per oktober 2026: Barn- och utbildningsnämnden"]
    assert chair[0].url == reverse("reporting:section_decide", args=[2026, "okt", bun.pk])
    assert member[0].url == section("okt", bun).get_absolute_url()
    assert chair[0].overdue and member[0].overdue  # 20 november has passed
    client.force_login(user("bun.ordforande"))
    assert client.get(chair[0].url).status_code == 200
    client.force_login(user("bun.ledamot"))
    assert "Inlämnad till nämnden" in client.get(member[0].url).content.decode()
    # Another nämnd's chair is not asked.
    assert items_of(panels("sn.ordforande")["vantar-pa-beslut"]) == []


def test_a_compiled_report_waits_for_ks_members_then_for_kf_members(client, municipality,
                                                                   fixed_today):
    compile_october()
    october = period("okt")
    assert [i.url for i in items_of(panels("ks.ordforande")["vantar-pa-beslut"])] == [
        october.get_absolute_url()]
    assert items_of(panels("kf.ordforande")["vantar-pa-beslut"]) == []
    reports.record_decision(period=october, body="ks", decided_on=TODAY, paragraph="9",
                            by=user("kommunsekreterare"))
    for username in ("kf.ordforande", "bun.ordforande", "ks.ordforande"):
        items = items_of(panels(username)["vantar-pa-beslut"])
        assert [(i.text, i.detail) for i in items] == [
            ("Uppföljning per oktober 2026: kommunens rapport",
             "Behandlad av KS, väntar på KF:s beslut")], username
    assert items_of(panels("bun.ledamot")["vantar-pa-beslut"]) == []
    html = page(client, "kf.ordforande")
    assert "Behandlad av KS, väntar på KF:s beslut" in html


# --- Återremitterade avsnitt -----------------------------------------------------------------


def open_sections_to_write(namnd) -> list[Rapportavsnitt]:
    return [s for s in Rapportavsnitt.objects.filter(namnd=namnd).select_related("period")
            .order_by("period__deadline")
            if s.period.status == PeriodStatus.OPEN and s.status != SectionStatus.APPROVED
            and s.status != SectionStatus.SUBMITTED]


def test_the_forvaltningschef_writes_buns_october_section_which_is_late(municipality,
                                                                       fixed_today):
    panel = panels("bun.forvaltningschef")["aterremitterade-avsnitt"]
    bun = municipality["bun"]
    assert items_of(panel, "returned") == []
    to_write = items_of(panel, "to_write")
    assert [i.url for i in to_write] == [
        reverse("reporting:section_edit", args=[2026, s.period.code, bun.pk])
        for s in open_sections_to_write(bun)]
    assert [(i.text, i.due, i.overdue) for i in to_write] == [
        ("Uppföljning per oktober 2026: Barn- och utbildningsnämnden", dt.date(2026, 11, 20),
         True)]


def test_a_returned_section_shows_with_the_namnds_comment(client, municipality, fixed_today):
    panel = panels("sn.forvaltningschef")["aterremitterade-avsnitt"]
    returned = items_of(panel, "returned")
    august = section("aug", municipality["sn"])
    assert august.status == SectionStatus.RETURNED
    assert [i.url for i in returned] == [
        reverse("reporting:section_edit", args=[2026, "aug", municipality["sn"].pk])]
    assert returned[0].detail == f"Nämndens kommentar: {august.return_comment}"
    assert returned[0].status == ("↩", "Återremitterad")
    client.force_login(user("sn.forvaltningschef"))
    assert client.get(returned[0].url).status_code == 200
    html = page(client, "sn.forvaltningschef")
    assert "Beskriv hur åtgärderna inom IFO ska minska underskottet" in html


def test_the_kommundirektor_writes_the_ks_sections(municipality, fixed_today):
    panel = panels("kommundirektor")["aterremitterade-avsnitt"]
    ks = municipality["ks"]
    assert [i.text for i in items_of(panel, "to_write")] == [
        f"{s.period}: {s.namnd}" for s in open_sections_to_write(ks)]
    assert len(items_of(panel, "to_write")) == 2


@pytest.mark.parametrize("username", ["bun.forvaltningschef", "sn.forvaltningschef",
                                      "kommundirektor"])
def test_every_section_mina_frister_asks_for_is_in_the_panel(municipality, fixed_today,
                                                            username):
    panel = panels(username)["aterremitterade-avsnitt"]
    in_panel = {i.url for i in items_of(panel, "returned") + items_of(panel, "to_write")}
    asked = {d.url for d in deadlines_for(user(username), TODAY)
             if d.uid.startswith("rapportavsnitt-")}
    assert asked
    # Mina frister links to the section; the panel to where it is written.
    assert {url + "texter/" for url in asked} <= in_panel


# --- Rapporter att sammanställa --------------------------------------------------------------


def test_the_finance_office_sees_the_late_reports_with_their_approved_sections(
        client, municipality, fixed_today):
    items = items_of(panels("ekonom")["rapporter-att-sammanstalla"])
    late = [p for p in Rapportperiod.objects.filter(status=PeriodStatus.OPEN)
            .select_related("budget_year").order_by("deadline") if p.deadline < TODAY]
    assert [i.url for i in items] == [p.get_absolute_url() for p in late]
    assert [i.text for i in items] == ["Delårsrapport per augusti 2026",
                                       "Uppföljning per oktober 2026"]
    assert all(i.overdue for i in items)
    for item, report in zip(items, late, strict=True):
        sections = list(report.sections.all())
        approved = sum(s.status == SectionStatus.APPROVED for s in sections)
        assert item.detail == f"{approved} av {len(sections)} avsnitt godkända av nämnderna"
    assert items[0].detail == "1 av 5 avsnitt godkända av nämnderna"
    assert "⚠</span> Försenad" in page(client, "ekonomichef")


def test_a_report_whose_sections_are_all_approved_is_to_compile(client, municipality,
                                                               fixed_today):
    approve_every_section("okt")
    items = items_of(panels("ekonom")["rapporter-att-sammanstalla"])
    compile_url = reverse("reporting:compile", args=[2026, "okt"])
    assert [i.url for i in items][-1] == compile_url
    assert items[-1].text == "Sammanställ Uppföljning per oktober 2026"
    client.force_login(user("ekonom"))
    form = client.get(compile_url).content.decode()
    assert "Rapporten är redan sammanställd." not in form and "Sammanställ" in form
    compile_october()
    assert compile_url not in [i.url for i in
                               items_of(panels("ekonom")["rapporter-att-sammanstalla"])]


# --- the report list flags late reports ------------------------------------------------------


def test_the_report_list_flags_late_reports_with_symbol_and_word(client, municipality,
                                                                fixed_today):
    client.force_login(user("revisor"))
    html = client.get(reverse("reporting:periods")).content.decode()
    late = Rapportperiod.objects.filter(status=PeriodStatus.OPEN, deadline__lt=TODAY).count()
    flag = '<span class="state state--late"><span aria-hidden="true">⚠</span> Försenad</span>'
    assert late == 2 and html.count(flag) == late
    rows = html.split("<tr")
    assert flag in next(r for r in rows if "Uppföljning per oktober 2026" in r)
    assert flag not in next(r for r in rows if "Uppföljning per april 2026" in r)


# --- query counts ----------------------------------------------------------------------------

PROVIDERS = (start_panels.coming_meetings, start_panels.waiting_for_decision,
             start_panels.returned_sections, start_panels.reports_to_compile)


def queries_of(username: str) -> list[int]:
    person = user(username)
    assignments = active_assignments(person, TODAY)
    counts = []
    for provider in PROVIDERS:
        with CaptureQueriesContext(connection) as captured:
            provider(user=person, today=TODAY, assignments=assignments)
        counts.append(len(captured.captured_queries))
    return counts


def a_bigger_municipality(municipality) -> None:
    """Ten more nämnder with meetings, three more reports, and sections waiting everywhere."""
    kf = municipality["kf"]
    budget_year = period("okt").budget_year
    for number in range(10):
        namnd = OrganisationUnit.objects.create(name=f"Provnämnd {number}", kind=UnitKind.NAMND,
                                                parent=kf, short_name=f"PN{number}")
        CalendarEvent.objects.create(budget_year=budget_year, kind=EventKind.MEETING,
                                     unit=namnd, date=TODAY + dt.timedelta(days=number + 1),
                                     title="Sammanträde")
    for day in (1, 2, 3):
        reports.request_extra(budget_year=budget_year, requested_on=TODAY,
                              deadline=dt.date(2026, 12, 10 + day), reason="Prov",
                              by=user("kommunsekreterare"), today=TODAY)
    Rapportavsnitt.objects.filter(period__code__startswith="extra").exclude(
        namnd__short_name__in=["BUN", "KS"]).update(status=SectionStatus.SUBMITTED,
                                                    submitted_on=TODAY)
    Rapportavsnitt.objects.filter(period__code__startswith="extra",
                                  namnd__short_name="SN").update(
        status=SectionStatus.RETURNED, submitted_on=None, return_comment="Ändra.")


@pytest.mark.parametrize("username", ["bun.ordforande", "ks.ordforande", "sbn.ordforande",
                                      "bun.forvaltningschef", "kommundirektor", "ekonom"])
def test_each_panel_costs_the_same_queries_in_a_bigger_municipality(municipality, fixed_today,
                                                                   username):
    before = queries_of(username)
    a_bigger_municipality(municipality)
    assert queries_of(username) == before
    assert max(before) <= 3


def test_the_start_page_shows_the_bigger_municipalitys_work_for_the_person(municipality,
                                                                          fixed_today):
    a_bigger_municipality(municipality)
    waiting = items_of(panels("sbn.ordforande")["vantar-pa-beslut"])
    assert len(waiting) == 4  # August and the three extra follow-ups
    assert all("Samhällsbyggnadsnämnden" in item.text for item in waiting)
    progress = items_of(panels("ekonom")["rapporter-att-sammanstalla"])
    assert len(progress) == 2  # the extra follow-ups are not yet late nor all approved
    returned = items_of(panels("sn.forvaltningschef")["aterremitterade-avsnitt"], "returned")
    assert len(returned) == 4


# --- what "late" is --------------------------------------------------------------------------


def test_a_report_is_late_while_open_after_its_deadline_or_unapproved_after_kfs_last_day(
        municipality):
    annual = Rapportperiod(status=PeriodStatus.KS, deadline=dt.date(2027, 2, 15),
                           decision_due=dt.date(2027, 4, 30))
    assert not period_is_late(annual, dt.date(2027, 4, 30))
    assert period_is_late(annual, dt.date(2027, 5, 1))
    annual.status = PeriodStatus.KF
    assert not period_is_late(annual, dt.date(2027, 5, 1))
    follow_up = Rapportperiod(status=PeriodStatus.OPEN, deadline=dt.date(2026, 11, 20))
    assert not period_is_late(follow_up, dt.date(2026, 11, 20))
    assert period_is_late(follow_up, dt.date(2026, 11, 21))
    follow_up.status = PeriodStatus.COMPILED  # compiled: with KS, no longer the nämnder's delay
    assert not period_is_late(follow_up, dt.date(2026, 11, 21))


# --- a panel lists LINES_SHOWN lines at most -------------------------------------------------


def many_extra_follow_ups(count: int) -> None:
    """`count` extra follow-ups: SBN's sections wait for SBN's decision, SN's are returned."""
    budget_year = period("okt").budget_year
    for day in range(count):
        reports.request_extra(budget_year=budget_year, requested_on=TODAY,
                              deadline=dt.date(2026, 12, 1) + dt.timedelta(days=day),
                              reason="Prov", by=user("kommunsekreterare"), today=TODAY)
    extra = Rapportavsnitt.objects.filter(period__code__startswith="extra")
    extra.filter(namnd__short_name="SBN").update(status=SectionStatus.SUBMITTED,
                                                 submitted_on=TODAY)
    extra.filter(namnd__short_name="SN").update(status=SectionStatus.RETURNED,
                                                submitted_on=None, return_comment="Ändra.")


def test_many_reports_waiting_show_as_many_as_fit_with_the_link_to_all(
        client, municipality, fixed_today):
    many_extra_follow_ups(LINES_SHOWN + 2)
    waiting = panels("sbn.ordforande")["vantar-pa-beslut"]
    assert len(items_of(waiting)) == LINES_SHOWN
    assert items_of(waiting)[0].overdue  # the late August section first
    everything = LINES_SHOWN + 3  # August's and the extra follow-ups'
    assert waiting.more == (f"Alla {everything} rapporter som väntar på beslut",
                            reverse("reporting:periods"))
    html = page(client, "sbn.ordforande")
    assert f">Alla {everything} rapporter som väntar på beslut</a>" in html


def test_a_meeting_lists_the_first_of_what_waits_for_it(municipality, fixed_today):
    many_extra_follow_ups(LINES_SHOWN + 2)
    rows = panels("sbn.ordforande")["kommande-sammantraden"].context["rows"]
    sbn = next(row for row in rows if row["meeting"].unit.short_name == "SBN")
    assert len(sbn["agenda"]) == start_panels.AGENDA_SHOWN
    assert sbn["agenda_hidden"] == LINES_SHOWN + 3 - start_panels.AGENDA_SHOWN


def test_many_returned_sections_show_as_many_as_fit_with_the_link_to_all(
        client, municipality, fixed_today):
    many_extra_follow_ups(LINES_SHOWN + 2)
    panel = panels("sn.forvaltningschef")["aterremitterade-avsnitt"]
    returned, to_write = items_of(panel, "returned"), items_of(panel, "to_write")
    assert len(returned) == LINES_SHOWN and to_write == []
    owed = Rapportavsnitt.objects.filter(
        namnd__short_name="SN", period__status=PeriodStatus.OPEN,
        status__in=[SectionStatus.DRAFT, SectionStatus.RETURNED]).count()
    assert panel.more == (f"Alla {owed} avsnitt att skriva eller skriva om",
                          reverse("reporting:periods"))
    drafts = Rapportavsnitt.objects.filter(namnd__short_name="SN",
                                           period__status=PeriodStatus.OPEN,
                                           status=SectionStatus.DRAFT).count()
    assert drafts and panel.context["drafts_left_out"] == drafts  # October's, still a draft
    html = page(client, "sn.forvaltningschef")
    assert f"Ytterligare {drafts} avsnitt att skriva" in html
    assert "Alla avsnitt i de öppna rapporterna är inlämnade." not in html


def test_a_few_sections_and_reports_link_to_the_reports(municipality, fixed_today):
    assert panels("bun.forvaltningschef")["aterremitterade-avsnitt"].more == (
        "Alla rapporter", reverse("reporting:periods"))
    assert panels("sbn.ordforande")["vantar-pa-beslut"].more == (
        "Alla rapporter", reverse("reporting:periods"))
