"""Login in Swedish, lockout after repeated failures per account and per address
(django-axes), changing one's own password and the administrator's reset link."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail

from styrmodell.models import User


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


def _fail(client, username, address):
    return client.post("/logga-in/", {"username": username, "password": "fel"},
                       REMOTE_ADDR=address)


def test_one_account_tried_from_thirty_addresses_is_locked(client, settings, municipality):
    settings.AXES_ENABLED = True
    for n in range(30):
        _fail(client, "ekonom", f"10.0.0.{n + 1}")
    response = client.post("/logga-in/", {"username": "ekonom", "password": "demo"},
                           REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert "tillfälligt spärrat" in response.content.decode()


def test_an_account_is_locked_on_the_failure_that_reaches_the_limit_from_new_addresses(
        client, settings, municipality):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(4):
        _fail(client, "ekonom", f"10.0.0.{n + 1}")
    assert client.post("/logga-in/", {"username": "ekonom", "password": "demo"},
                       REMOTE_ADDR="10.0.0.9").status_code == 302  # four: not yet locked
    client.logout()
    for n in range(5):
        _fail(client, "ekonom", f"10.0.2.{n + 1}")
    assert client.post("/logga-in/", {"username": "ekonom", "password": "demo"},
                       REMOTE_ADDR="10.0.3.1").status_code == 429


def test_twenty_accounts_tried_four_times_each_from_one_address_lock_the_address(
        client, settings, municipality):
    settings.AXES_ENABLED = True
    usernames = list(User.objects.exclude(username="ekonom").order_by("username")
                     .values_list("username", flat=True)[:20])
    assert len(usernames) == 20
    for username in usernames:
        for _ in range(4):
            _fail(client, username, "192.0.2.7")
    locked = client.post("/logga-in/", {"username": "ekonom", "password": "demo"},
                         REMOTE_ADDR="192.0.2.7")
    assert locked.status_code == 429
    # The accounts themselves had fewer failures than the limit: elsewhere they log in.
    elsewhere = client.post("/logga-in/", {"username": usernames[0], "password": "demo"},
                            REMOTE_ADDR="198.51.100.1")
    assert elsewhere.status_code == 302


def test_the_user_menu_links_to_changing_ones_password(client, login):
    login("ekonom")
    page = client.get("/").content.decode()
    assert 'href="/losenord/"' in page and "Byt lösenord" in page


def test_a_user_changes_their_own_password(client, login):
    user = login("ekonom")
    page = client.get("/losenord/")
    assert page.status_code == 200
    assert "Nuvarande lösenord" in page.content.decode() or "Gammalt lösenord" in \
        page.content.decode()
    response = client.post("/losenord/", {"old_password": "demo",
                                          "new_password1": "Budget-Tarn-2027",
                                          "new_password2": "Budget-Tarn-2027"}, follow=True)
    assert response.redirect_chain[-1][0] == "/losenord/bytt/"
    assert "Lösenordet är bytt" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Budget-Tarn-2027")


def test_a_wrong_current_password_changes_nothing_and_says_so_in_swedish(client, login):
    user = login("ekonom")
    response = client.post("/losenord/", {"old_password": "fel",
                                          "new_password1": "Budget-Tarn-2027",
                                          "new_password2": "Budget-Tarn-2027"})
    assert response.status_code == 200
    assert "felaktigt" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("demo")


def test_changing_the_password_needs_a_login(client, municipality):
    response = client.get("/losenord/")
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


def _reset_link(message) -> str:
    return re.search(r"http://testserver(/losenord/nytt/\S+/)", message.body).group(1)


def test_the_administrator_sends_a_reset_link_that_sets_a_new_password(client, login):
    login("admin")
    person = User.objects.get(username="bun.ledamot")
    page = client.get(f"/personer/{person.pk}/").content.decode()
    assert "Skicka länk för nytt lösenord" in page

    response = client.post(f"/personer/{person.pk}/nytt-losenord/", follow=True)

    assert f"har skickats till {person.email}" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "Nytt lösenord till Styrmodell" in message.subject
    assert "bun.ledamot" in message.body
    client.logout()
    link = client.get(_reset_link(message), follow=True)
    assert "Välj nytt lösenord" in link.content.decode()
    form_url = link.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": "Nämnd-Ekbacka-31",
                                  "new_password2": "Nämnd-Ekbacka-31"}, follow=True)
    assert "Nytt lösenord sparat" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password("Nämnd-Ekbacka-31")
    # Used once: the same link no longer works.
    again = client.get(_reset_link(message), follow=True)
    assert "fungerar inte längre" in again.content.decode()


def test_only_the_administrator_may_send_a_reset_link(client, login):
    login("ekonomichef")
    person = User.objects.get(username="bun.ledamot")
    assert "Skicka länk" not in client.get(f"/personer/{person.pk}/").content.decode()
    assert client.post(f"/personer/{person.pk}/nytt-losenord/").status_code == 403
    assert mail.outbox == []


def test_no_reset_link_for_a_person_without_e_mail_or_a_local_password(client, login):
    login("admin")
    person = User.objects.get(username="bun.ledamot")
    person.email = ""
    person.save()
    response = client.post(f"/personer/{person.pk}/nytt-losenord/", follow=True)
    assert "saknar e-postadress" in response.content.decode()
    person.email = "ledamot@ekbacka.example"
    person.set_unusable_password()
    person.save()
    response = client.post(f"/personer/{person.pk}/nytt-losenord/", follow=True)
    assert "inget lokalt lösenord" in response.content.decode()
    assert mail.outbox == []
