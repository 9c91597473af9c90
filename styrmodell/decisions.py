"""A decision a body has taken, as it is recorded (date, §, dnr), and the one way its reference is
written on pages, in exports and in ledger texts."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from styrmodell.formatting import date_text


def decision_reference(
    body: str, decided_on: dt.date | None, paragraph: str = "", case_number: str = ""
) -> str:
    """A decision's reference: "KF 23 november 2026, § 98, dnr KS 2026/120"; empty until decided.

    A paragraph recorded with its own "§" is not given a second one.
    """
    if not decided_on:
        return ""
    parts = [" ".join(part for part in (body, date_text(decided_on)) if part)]
    if paragraph:
        parts.append(paragraph if paragraph.startswith("§") else f"§ {paragraph}")
    if case_number:
        parts.append(f"dnr {case_number}")
    return ", ".join(parts)


class RecordedDecision(models.Model):
    """A body's decision written down by the one who records it: date, § and dnr.

    `decision_body` names the body in the reference: a constant on models one body always
    decides ("KF"), a property on models that know who decided.
    """

    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)

    decision_body = ""

    class Meta:
        abstract = True

    @property
    def decision_reference(self) -> str:
        return decision_reference(
            self.decision_body, self.decided_on, self.paragraph, self.case_number
        )
