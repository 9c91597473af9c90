"""One paginator for the long lists: the page from ?sida=, the filters kept in the links."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from styrmodell.paging import page_of, query_without_page


def test_the_page_is_read_from_the_address_and_a_wrong_number_gives_the_nearest_page():
    items = list(range(120))
    assert list(page_of(RequestFactory().get("/", {"sida": "2"}), items)) == items[50:100]
    assert page_of(RequestFactory().get("/", {"sida": "99"}), items).number == 3
    assert page_of(RequestFactory().get("/", {"sida": "x"}), items).number == 1


def test_the_links_keep_the_filters_and_say_where_the_reader_is():
    request = RequestFactory().get("/", {"namn": "an", "sida": "2"})
    query = query_without_page(request)
    assert query == "namn=an&"
    html = render_to_string("styrmodell/_pagination.html", {
        "page": page_of(request, list(range(120))), "query": query, "label": "Personer"})
    assert 'aria-label="Personer: sidor"' in html and "Visar 51–100 av 120" in html
    assert 'href="?namn=an&amp;sida=3"' in html and 'href="?namn=an&amp;sida=1"' in html
    assert "Sida 2 av 3" in html
