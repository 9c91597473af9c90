"""Login in Swedish, and lockout after repeated failures (django-axes)."""

import pytest
from axes.models import AccessAttempt


def test_login_page_is_swedish(client, municipality):
    page = client.get("/logga-in/").content.decode()
    assert '<html lang="sv">' in page
    assert "Användarnamn" in page and "Lösenord" in page


def test_demo_user_logs_in_with_the_demo_password_and_lands_on_mina_uppgifter(client, settings,
                                                                                municipality):
    settings.AXES_ENABLED = True
    response = client.post("/logga-in/", {"username": "ekonom", "password": "demo"},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Mina uppgifter" in response.content.decode()


def test_wrong_password_gets_a_swedish_message(client, settings, municipality):
    settings.AXES_ENABLED = True
    response = client.post("/logga-in/", {"username": "ekonom", "password": "fel"})
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


@pytest.mark.parametrize("limit", [5])
def test_repeated_failures_lock_the_account(client, settings, municipality, limit):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = limit
    for _ in range(limit):
        client.post("/logga-in/", {"username": "ekonom", "password": "fel"})
    response = client.post("/logga-in/", {"username": "ekonom", "password": "demo"})
    assert response.status_code == 429
    assert "tillfälligt spärrat" in response.content.decode()
    assert AccessAttempt.objects.filter(username="ekonom").exists()
