"""The OpenAPI 3 schema validates, its documentation page opens, and a property-based run of
schemathesis over every endpoint of the schema, against the app itself, finds no server error.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api import tokens
from styrmodell.models import User


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi_3():
    schema = _schema()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/utfall/", "/api/v1/ramar/", "/api/v1/prognoser/", "/api/v1/namndmal/",
            "/api/v1/avvikelser/", "/api/v1/nyckeltal/", "/api/v1/nyckeltal/varden/",
            "/api/v1/volymer/", "/api/v1/investeringsprojekt/",
            "/api/v1/rapporter/"} <= set(schema["paths"])


def test_the_schema_names_the_bearer_token(client, municipality):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["personalAccessToken"] == {
        "type": "http", "scheme": "bearer",
        "description": "A personal access token from /api-nycklar/."}


def test_the_documentation_opens_with_its_own_assets(client, municipality):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "https://" not in page.split("<body")[0]  # nothing from the internet


# The endpoints of the schema, generated from it; the app answers in-process (WSGI).
schema = schemathesis.openapi.from_dict(_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def bearer(municipality):
    """A nämnd person's token. The app answers within the test's transaction: as Django's own
    test client does, a request does not close the test's database connection."""
    user = User.objects.get(username="bun.ledamot")
    _token, secret = tokens.create_token(user=user, name="schemathesis", expires_on=None)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {secret}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.include(path_regex="^/api/v1/(?!schema|docs)").parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_input_the_schema_allows_gives_a_server_error(case, bearer):
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error])
    # 400 a filter value that names nothing, 404 a page past the end, 405 a method other than
    # GET (schemathesis also tries those).
    assert response.status_code in {200, 400, 404, 405}, (response.status_code,
                                                          response.text[:300])


def test_the_schema_loads_as_json_too(client, municipality):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Styrmodell API"
