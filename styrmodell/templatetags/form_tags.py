"""Template filters that ask a form field what it is, so templates compare no widget names."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def is_checkbox(field: BoundField) -> bool:
    """A single checkbox, labelled after the box rather than above it."""
    return getattr(field, "widget_type", "") == "checkbox"
