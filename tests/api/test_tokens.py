"""Personal access tokens: made on the person's own page, shown once, kept only as SHA-256,
revoked there; a revoked or expired token, or a disabled person's, answers 401."""

import datetime as dt
import hashlib

from django.utils import timezone

from api import tokens
from api.models import AccessToken
from styrmodell.models import User

OUTCOME = "/api/v1/utfall/"


def test_a_token_reads_the_api_as_its_person(api_get, token_for):
    response = api_get(OUTCOME, token_for("ekonom"))
    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_a_token_is_stored_only_as_its_sha256(token_for):
    secret = token_for("ekonom")
    stored = AccessToken.objects.get(user__username="ekonom")
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.token_hash, stored.prefix, stored.name}
    assert secret.startswith(stored.prefix)


def test_no_token_answers_401_with_a_bearer_challenge(api_get, municipality):
    response = api_get(OUTCOME, None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_answers_401_in_swedish(api_get, municipality):
    response = api_get(OUTCOME, "stm_" + "x" * 43)
    assert response.status_code == 401
    assert "Nyckeln är ogiltig" in response.json()["detail"]


def test_a_malformed_authorization_header_answers_401(client, municipality):
    response = client.get(OUTCOME, headers={"Authorization": "Bearer two words"})
    assert response.status_code == 401


def test_a_revoked_token_answers_401(api_get, token_for):
    secret = token_for("ekonom")
    token = AccessToken.objects.get(user__username="ekonom")
    tokens.revoke_token(user=token.user, token_id=token.pk)
    assert api_get(OUTCOME, secret).status_code == 401


def test_an_expired_token_answers_401_the_day_after_its_last_day(api_get, token_for):
    today = timezone.localdate()
    secret = token_for("ekonom", expires_on=today)
    assert api_get(OUTCOME, secret).status_code == 200  # its last day: still valid
    AccessToken.objects.filter(user__username="ekonom").update(
        expires_on=today - dt.timedelta(days=1))
    assert api_get(OUTCOME, secret).status_code == 401


def test_a_disabled_persons_token_answers_401(api_get, token_for):
    secret = token_for("ekonom")
    User.objects.filter(username="ekonom").update(is_active=False)
    assert api_get(OUTCOME, secret).status_code == 401


def test_a_token_records_when_it_was_last_used(api_get, token_for):
    secret = token_for("ekonom")
    assert AccessToken.objects.get(user__username="ekonom").last_used_at is None
    api_get(OUTCOME, secret)
    assert AccessToken.objects.get(user__username="ekonom").last_used_at is not None


def test_the_api_writes_nothing(client, token_for):
    secret = token_for("ekonomichef")
    response = client.post(OUTCOME, {}, headers={"Authorization": f"Bearer {secret}"},
                           content_type="application/json")
    assert response.status_code == 405


def test_the_session_of_the_browser_reads_the_api_too(client, login):
    login("ekonom")
    assert client.get(OUTCOME).status_code == 200


def test_a_refused_token_is_logged(api_get, municipality, caplog):
    with caplog.at_level("WARNING", logger="styrmodell.security"):
        api_get(OUTCOME, "stm_" + "y" * 43)
    assert "api token refused" in caplog.text
    assert "y" * 43 not in caplog.text  # never the token itself


def test_making_and_revoking_a_token_is_in_its_history(token_for):
    token_for("ekonom")
    token = AccessToken.objects.get(user__username="ekonom")
    tokens.revoke_token(user=token.user, token_id=token.pk)
    assert [entry.history_type for entry in token.history.order_by("history_date")] == ["+", "~"]
