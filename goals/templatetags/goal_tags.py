"""Template filters that turn a stored assessment into the question a template asks of it."""

from django import template

from goals.models import Level

register = template.Library()


@register.filter
def as_level(value: str | None) -> Level | None:
    """The assessment level of a stored value (A3), or None when it is not assessed."""
    return Level(value) if value in Level.values else None
