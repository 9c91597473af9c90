"""Swedish by default, whatever the browser asks for; English when the user chooses it."""


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
