"""Swedish by default, whatever the browser asks for; English when the user chooses it."""

import html

import pytest
from django.utils import translation


def test_swedish_even_when_the_browser_prefers_english(login, client):
    login("ekonom")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in page
    assert "Mina uppgifter" in page


def test_english_when_the_user_chooses_it(login, client):
    login("ekonom")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "My tasks" in page and "Skip to content" in page


@pytest.fixture
def _swedish_afterwards():
    """The language middleware leaves the chosen language active in the thread; later tests
    that call services directly expect the default."""
    yield
    translation.deactivate()


def _choose_english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.mark.usefixtures("_swedish_afterwards")
def test_the_shared_sections_of_a_unit_page_in_english(login, client, unit):
    bun = unit("bun")
    login("bun.ordforande")
    client.post(f"/dialog/styrmodell.organisationunit/{bun.pk}/", {"body": "Hur går det?"})
    _choose_english(client)
    page = html.unescape(client.get(f"/organisation/{bun.pk}/").content.decode())
    assert '<html lang="en">' in page
    for text in ('<h2 id="dialog-rubrik">Dialogue</h2>', "The golden zone:", "Send message",
                 '<h2 id="historik-rubrik">Change history</h2>', ">Role</th>", ">Valid</th>"):
        assert text in page, text
    for swedish in ("Ändringshistorik", "Skicka inlägg", "Den gyllene zonen", ">Gäller<"):
        assert swedish not in page, swedish


@pytest.mark.usefixtures("_swedish_afterwards")
def test_the_error_summary_in_english(login, client, unit):
    bun = unit("bun")
    login("bun.ledamot")
    _choose_english(client)
    response = client.post(f"/dialog/styrmodell.organisationunit/{bun.pk}/", {"body": " "},
                           HTTP_HX_REQUEST="true")
    page = html.unescape(response.content.decode())
    assert "Something needs correcting" in page and "Något behöver rättas" not in page


def test_the_shared_sections_stay_swedish_for_the_default_user(login, client, unit):
    bun = unit("bun")
    login("bun.ordforande")
    page = html.unescape(client.get(f"/organisation/{bun.pk}/",
                                    HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode())
    assert '<html lang="sv">' in page
    for text in ('<h2 id="dialog-rubrik">Dialog</h2>', "Skicka inlägg",
                 '<h2 id="historik-rubrik">Ändringshistorik</h2>', ">Gäller</th>"):
        assert text in page, text
    assert "Change history" not in page


@pytest.mark.usefixtures("_swedish_afterwards")
@pytest.mark.parametrize(("url", "english", "swedish"), [
    ("/organisation/", ["<h1>Organisation</h1>", "Companies and foundations",
                        "The municipality's political bodies", ">People with a role today</th>"],
     ["Bolag och stiftelser", "Roller i dag"]),
    ("/personer/", ["<h1>People</h1>", ">Name</th>", ">Job title</th>"], ["<h1>Personer</h1>"]),
    ("/mandatperioder/", ["<h1 id=\"mandatperioder-rubrik\">Mandate periods</h1>", ">From</th>"],
     ["Mandatperioder"]),
    ("/budgetar/", ["<h1>Budget years and calendar</h1>", ">Plan years</th>"],
     ["Budgetår och kalender", "Planår"]),
    ("/budgetar/2026/", ["Budget year 2026", "The budget process and the reporting",
                         ">Step</th>", "Meetings</h2>"], ["Budgetprocessen", "Sammanträden<"]),
    ("/behorigheter/", ["<h1>Permissions</h1>", "Who may do what", ">Roles allowed</th>",
                        "The roles' side and scope"], ["Vem får göra vad", "Räckvidd"]),
])
def test_the_core_pages_in_english(login, client, url, english, swedish):
    login("admin")
    _choose_english(client)
    page = html.unescape(client.get(url).content.decode())
    assert '<html lang="en">' in page
    for text in english:
        assert text in page, text
    for text in swedish:
        assert text not in page, text


@pytest.mark.usefixtures("_swedish_afterwards")
def test_a_refused_meeting_explains_itself_in_english(login, client, unit):
    login("admin")
    _choose_english(client)
    response = client.post("/budgetar/2026/sammantraden/ny/", {"date": "2026-12-01"})
    page = html.unescape(response.content.decode())
    assert "Something needs correcting" in page and "New meeting 2026" in page


@pytest.mark.usefixtures("_swedish_afterwards")
def test_the_start_page_in_english(login, client):
    login("bun.ordforande")
    _choose_english(client)
    page = html.unescape(client.get("/").content.decode())
    for text in ("<h1>My tasks</h1>", "Hello ", "how things stand", "Upcoming meetings",
                 "Shortcuts", "My assignments in the organisation", "Goal tree"):
        assert text in page, text
    assert "Genvägar" not in page and "Kommande sammanträden" not in page


def test_a_required_field_says_djangos_swedish_whatever_else_is_installed():
    from django import forms
    from django.utils import translation

    with translation.override("sv"):
        assert str(forms.CharField().error_messages["required"]) == "Detta fält måste fyllas i."
        field = forms.EmailField()
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("inte en adress")
        assert refused.value.messages == ["Fyll i en giltig e-postadress."]
