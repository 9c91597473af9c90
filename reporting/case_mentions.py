"""The case page's "Rapporteras i": the report sections that report a deviation case."""

from __future__ import annotations

from django.utils.translation import gettext as _

from deviations.mentions import Mention, register
from styrmodell.formatting import date_text
from styrmodell.permissions import Action, can

from .reports_content import sections_reporting


@register
def report_sections(*, case, user) -> list[Mention]:
    """The sections the reader may read: approved ones, and drafts within the reader's nämnd
    (P5, as on the section's own page)."""
    mentions = []
    for section in sections_reporting(case):
        if not (section.is_approved
                or can(user, Action.VIEW, "report_section", section.namnd)):
            continue
        detail = (_("godkänt av nämnden %(day)s") % {"day": date_text(section.approved_on)}
                  if section.approved_on else str(section.get_status_display()).lower())
        mentions.append(Mention(text=str(section.period), url=section.get_absolute_url(),
                                detail=detail))
    return mentions
