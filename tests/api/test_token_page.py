"""The person's own page of API tokens (/api-nycklar/): make, see once, revoke; Swedish
messages for bad input, all at once; nobody revokes another person's token."""

import datetime as dt

from django.utils import timezone

from api import tokens
from api.models import AccessToken
from styrmodell.models import User

PAGE = "/api-nycklar/"


def test_the_user_box_links_to_the_page(client, login):
    login("bun.ledamot")
    assert 'href="/api-nycklar/"' in client.get("/").content.decode()


def test_the_page_needs_a_login(client, municipality):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


def test_a_new_token_is_shown_once(client, login):
    login("bun.ledamot")
    made = client.post(PAGE, {"name": "Power BI", "expires_on": ""})
    assert made.status_code == 302  # so reloading the page makes no second token
    response = client.get(PAGE)
    token = AccessToken.objects.get(user__username="bun.ledamot")
    page = response.content.decode()
    secret = page.split('id="ny-nyckel-varde"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith(token.prefix)
    assert tokens.authenticate(secret) is not None
    assert "no-store" in response["Cache-Control"]
    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert token.prefix in again


def test_bad_input_is_told_in_swedish_all_at_once(client, login):
    login("bun.ledamot")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(PAGE, {"name": "  ", "expires_on": yesterday.isoformat()})
    page = response.content.decode()
    assert "Ge nyckeln ett namn" in page
    assert "Sista giltighetsdag kan inte ligga före i dag" in page
    assert not AccessToken.objects.filter(user__username="bun.ledamot").exists()


def test_a_token_is_revoked_on_the_page(client, login):
    user = login("bun.ledamot")
    token, secret = tokens.create_token(user=user, name="Excel", expires_on=None)
    response = client.post(f"{PAGE}{token.pk}/aterkalla/")
    assert response.status_code == 302
    assert tokens.authenticate(secret) is None
    assert "Återkallad" in client.get(PAGE).content.decode()


def test_nobody_revokes_another_persons_token(client, login):
    other = User.objects.get(username="ekonom")
    token, secret = tokens.create_token(user=other, name="Excel", expires_on=None)
    login("bun.ledamot")
    assert client.post(f"{PAGE}{token.pk}/aterkalla/").status_code == 404
    assert tokens.authenticate(secret) is not None


def test_revoking_needs_a_post(client, login):
    user = login("bun.ledamot")
    token, _secret = tokens.create_token(user=user, name="Excel", expires_on=None)
    assert client.get(f"{PAGE}{token.pk}/aterkalla/").status_code == 405


def test_the_page_lists_only_the_persons_own_tokens(client, login):
    tokens.create_token(user=User.objects.get(username="ekonom"), name="Ekonomens nyckel",
                        expires_on=None)
    login("bun.ledamot")
    assert "Ekonomens nyckel" not in client.get(PAGE).content.decode()
