"""Forms of the skattesats pages (B11); the service validates the rate, these only parse."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from budget.reserves.forms import RecordedDecisionForm
from styrmodell.fields import NumberField
from styrmodell.forms import VersionedForm


def tax_rate_field(label: str) -> NumberField:
    """A skattesats in kronor per 100 kr: two decimals, as its column holds it."""
    return NumberField(label=label, decimal_places=2, max_digits=5)


class TaxProposalForm(VersionedForm):
    percent = tax_rate_field(_("Skattesats (kronor per 100 kr)"))


class TaxDecisionForm(RecordedDecisionForm):
    percent = tax_rate_field(_("Skattesats enligt KF:s beslut (kronor per 100 kr)"))
    field_order = ["percent", "decided_on", "paragraph", "case_number"]
