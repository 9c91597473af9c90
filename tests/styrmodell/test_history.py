"""Every change to a domain object is kept and readable on its page: who, when, old and new."""

from styrmodell.models import OrganisationUnit
from styrmodell.versioning import current_version


def test_renaming_a_unit_shows_who_changed_what_with_old_and_new_value(login, client, unit):
    admin = login("admin")
    ekorren = unit("ekorren")
    response = client.post(f"/organisation/{ekorren.pk}/andra/", {
        "version": current_version(ekorren), "name": "Förskolan Ekorren och Myran",
        "short_name": "", "kind": "enhet", "parent": ekorren.parent_id, "description": "",
        "organisation_number": "", "ownership_share": "", "is_active": "on",
    })
    assert response.status_code == 302

    page = client.get(f"/organisation/{ekorren.pk}/").content.decode()
    history = page[page.index("Ändringshistorik"):]
    assert "Ändrad" in history
    assert str(admin) in history
    assert "Förskolan Ekorren</td>" in history
    assert "Förskolan Ekorren och Myran</td>" in history


def test_history_names_the_related_object_not_its_id(login, client, unit):
    login("admin")
    aspa = unit("aspaskolan")
    client.post(f"/organisation/{aspa.pk}/andra/", {
        "version": current_version(aspa), "name": aspa.name, "short_name": "", "kind": "enhet",
        "parent": unit("sof").pk, "description": "", "organisation_number": "",
        "ownership_share": "", "is_active": "on",
    })
    page = client.get(f"/organisation/{aspa.pk}/").content.decode()
    assert "Barn- och utbildningsförvaltningen</td>" in page
    assert "Socialförvaltningen</td>" in page
    assert OrganisationUnit.objects.get(pk=aspa.pk).path.startswith(unit("sof").path)


def test_a_stale_edit_is_refused_and_history_keeps_one_change(login, client, unit):
    login("admin")
    hr = unit("hr")
    form = {"short_name": "", "kind": "enhet", "parent": hr.parent_id, "description": "",
            "organisation_number": "", "ownership_share": "", "is_active": "on"}
    version = current_version(hr)
    first = client.post(f"/organisation/{hr.pk}/andra/", {**form, "version": version,
                                                          "name": "HR-enheten"})
    second = client.post(f"/organisation/{hr.pk}/andra/", {**form, "version": version,
                                                           "name": "Personalavdelningen"})
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Någon annan har ändrat uppgifterna" in second.content.decode()
    assert OrganisationUnit.objects.get(pk=hr.pk).name == "HR-enheten"
    assert hr.history.filter(history_type="~").count() == 1


def test_structured_figures_show_one_readable_row_per_changed_entry(municipality):
    """The figures a nämnd approved (a JSON field) are not shown as a raw dict: each entry
    that changed is its own row, in the words and numbers the section shows."""
    from reporting.models import Rapportavsnitt
    from styrmodell.selectors import change_log

    section = Rapportavsnitt.objects.filter(namnd=municipality["bun"]).first()
    section.approved_figures = {"Ram": "57\u00a0000 tkr", "Mål": "Delvis", "Prognos": "+1,2 mnkr"}
    section.save()
    section.approved_figures = {"Ram": "58\u00a0000 tkr", "Mål": "Delvis"}
    section.save()
    changes = [(c.label, c.old, c.new) for c in change_log(section)[0].changes]
    assert changes == [("Siffror vid godkännandet: Ram", "57\u00a0000 tkr", "58\u00a0000 tkr"),
                       ("Siffror vid godkännandet: Prognos", "+1,2 mnkr", "–")]
    assert not any("{" in old + new or "\\xa0" in old + new for _label, old, new in changes)


def test_a_changed_share_reads_as_a_swedish_number(municipality):
    from decimal import Decimal

    from styrmodell.selectors import change_log

    company = OrganisationUnit.objects.filter(ownership_share__isnull=False).first()
    company.ownership_share = Decimal("62.50")
    company.save()
    [share] = [change for change in change_log(company)[0].changes
               if change.label.startswith("Kommunens ägarandel")]
    assert share.new == "62,5"
