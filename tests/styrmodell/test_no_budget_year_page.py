"""Every page that opens on a budget year of its own choosing says so when none exists yet."""

import pytest

OPENS_ON_A_CHOSEN_YEAR = [
    "/mal/",
    "/mal/kf/",
    "/budget/",
    "/budget/cykel/",
    "/budget/uppfoljning/",
    "/budget/volymer/",
    "/budget/investeringar/",
    "/budget/ofordelad/",
    "/budget/lonerorelse/",
    "/budget/bokslut/",
]

EMPTY_STATE = "Det finns inget budgetår ännu"
WHERE_TO_CREATE_ONE = '<a href="/budgetar/" class="button">Skapa ett budgetår</a>'


@pytest.mark.parametrize("url", OPENS_ON_A_CHOSEN_YEAR)
def test_with_no_budget_year_the_page_says_none_exists_and_links_to_creating_one(
    url, no_budget_year, login, client
):
    login("ekonom")
    response = client.get(url)
    assert response.status_code == 200
    assert response.templates[0].name == "styrmodell/no_budget_year.html"
    page = response.content.decode()
    assert EMPTY_STATE in page and WHERE_TO_CREATE_ONE in page


def test_a_user_who_may_not_create_a_budget_year_gets_no_link_to_it(no_budget_year, login, client):
    login("medarbetare")
    page = client.get("/budget/uppfoljning/").content.decode()
    assert EMPTY_STATE in page and WHERE_TO_CREATE_ONE not in page
