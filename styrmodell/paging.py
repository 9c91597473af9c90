"""Lists that grow with the municipality are shown a page at a time: one paginator, one way of
naming the page in the address (?sida=2), and links that keep the list's filters."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_PARAMETER = "sida"
PER_PAGE = 50


def page_of(request: HttpRequest, items, *, per_page: int = PER_PAGE) -> Page:
    """The page of `items` (a queryset, ordered) the address asks for; a page number that is
    no number or out of range gives the nearest page, never an error."""
    return page_at(items, request.GET.get(PAGE_PARAMETER), per_page=per_page)


def page_at(items, number: str | None, *, per_page: int = PER_PAGE) -> Page:
    """`page_of` for a selector that must know its page before it reads the rest: `number`
    as the address gives it (`request.GET.get(PAGE_PARAMETER)`)."""
    return Paginator(items, per_page).get_page(number)


def query_without_page(request: HttpRequest) -> str:
    """The address's query (the list's filters) without the page: "namn=an&enhet=3&"."""
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""
