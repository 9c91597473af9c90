"""A deviation case's page links to the report sections that report it, and a section to the
cases it reports: the two sides name the same pairs."""

from __future__ import annotations

from deviations.models import Avvikelse
from reporting.models import Rapportavsnitt
from reporting.reports_content import assemble, sections_reporting
from styrmodell.permissions import Action, can


def test_a_case_names_exactly_the_sections_that_report_it(municipality):
    cases = list(Avvikelse.objects.select_related("namnd", "budget_year"))
    assert cases
    reported_in_sections = set()
    for section in Rapportavsnitt.objects.select_related("period__budget_year", "namnd"):
        [content] = assemble(section.period, [section], user=None)
        reported_in_sections |= {(row.case.pk, section.pk) for row in content.cases}
    named_by_cases = {(case.pk, section.pk) for case in cases
                      for section in sections_reporting(case)}
    assert named_by_cases == reported_in_sections
    assert reported_in_sections


def test_the_case_page_links_to_the_sections_the_reader_may_read(client, login, municipality):
    case = next(c for c in Avvikelse.objects.all() if sections_reporting(c))
    sections = sections_reporting(case)
    login("kommundirektor")
    page = client.get(case.get_absolute_url()).content.decode()
    part = page[page.index('id="rapporteras"'):]
    for section in sections:
        if section.is_approved:
            assert f'href="{section.get_absolute_url()}"' in part
    # Each reader gets the sections whose page opens to them (P5: drafts within the reach).
    for username in ("revisor", "ks.ordforande", "sn.ordforande", "bun.ordforande"):
        user = login(username)
        response = client.get(case.get_absolute_url())
        if response.status_code != 200:
            continue
        part = response.content.decode()
        part = part[part.index('id="rapporteras"'):]
        for section in sections:
            shown = f'href="{section.get_absolute_url()}"' in part
            may_read = section.is_approved or can(user, Action.VIEW, "report_section",
                                                  section.namnd)
            assert shown == may_read, (username, section)
            if may_read:
                assert client.get(section.get_absolute_url()).status_code == 200
