"""A name search for people, shared by the person list and the appointment page. It reads
nothing but the people, so the permission and appointment modules can both use it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import User


def search_words(text: str) -> list[str]:
    """The words a name search looks for; five at most, so a pasted paragraph stays one query."""
    return text.split()[:5]


def people_named(people: QuerySet[User], text: str) -> QuerySet[User]:
    """The people in which every word of `text` is found in a name or the username: "britt
    ulfs" finds Britt Ulfsdotter. The person list and the appointment page search alike."""
    for word in search_words(text):
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return people
