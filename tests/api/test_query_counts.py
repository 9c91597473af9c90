"""Each endpoint reads in a fixed number of queries, whatever the size of the page: the token,
its last use, the person's roles, the count, the page and one query per kind of nested row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# path -> queries for any page size (token + last use + roles + count + page + nested rows)
PINNED = {
    "/api/v1/utfall/": 5,
    "/api/v1/ramar/": 6,
    "/api/v1/prognoser/": 6,
    "/api/v1/namndmal/": 6,
    "/api/v1/avvikelser/": 5,
    "/api/v1/nyckeltal/": 5,
    "/api/v1/nyckeltal/varden/": 5,
    "/api/v1/volymer/": 6,
    "/api/v1/investeringsprojekt/": 6,
    "/api/v1/rapporter/": 6,
}


def _warm(api_get, path, secret) -> None:
    """The process's first read of a model's content type is kept for the next ones: asked for
    once first, so the count is an endpoint's own whichever test runs first."""
    assert api_get(path, secret, page_size=1).status_code == 200


def _queries(api_get, path, secret, size) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api_get(path, secret, page_size=size)
    assert response.status_code == 200
    assert len(response.json()["results"]) <= size
    return len(captured)


@pytest.mark.parametrize("path", PINNED)
def test_an_endpoint_reads_in_the_same_few_queries_at_two_sizes(api_get, token_for, path):
    secret = token_for("ekonomichef")
    _warm(api_get, path, secret)
    small = _queries(api_get, path, secret, 1)
    large = _queries(api_get, path, secret, 500)
    assert small == large == PINNED[path]


def test_a_namnd_persons_goals_read_in_the_same_few_queries(api_get, token_for):
    """Restricted to the nämnd's reach (drafts, P5) and still no query per row: a role held
    on the nämnd itself names its nämnd without a query, so the count is the ekonomichef's."""
    secret = token_for("bun.ledamot")
    _warm(api_get, "/api/v1/namndmal/", secret)
    assert (_queries(api_get, "/api/v1/namndmal/", secret, 1)
            == _queries(api_get, "/api/v1/namndmal/", secret, 500)
            == PINNED["/api/v1/namndmal/"])
