"""Fixtures of the API's tests: a personal access token for any demo person, and a client that
sends it the way Power BI does."""

import pytest

from api import tokens
from styrmodell.models import User


@pytest.fixture
def token_for(municipality):
    """A fresh token's secret for a demo person: `token_for("ekonom")`."""

    def make(username: str, **kwargs) -> str:
        user = User.objects.get(username=username)
        _token, raw = tokens.create_token(user=user, name="Power BI",
                                          expires_on=kwargs.get("expires_on"))
        return raw

    return make


@pytest.fixture
def api_get(client):
    """GET an API address with `Authorization: Bearer <secret>`."""

    def get(path: str, secret: str | None, **params):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return client.get(path, params, headers=headers)

    return get
