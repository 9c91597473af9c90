"""Forms of the skattesats pages (B11); the service validates the rate, these only parse."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from budget.reserves.forms import RecordedDecisionForm, SwedishDecimalField
from styrmodell.forms import VersionedForm


class TaxProposalForm(VersionedForm):
    percent = SwedishDecimalField(
        label=_("Skattesats (kronor per 100 kr)"), max_digits=5, decimal_places=2
    )


class TaxDecisionForm(RecordedDecisionForm):
    percent = SwedishDecimalField(
        label=_("Skattesats enligt KF:s beslut (kronor per 100 kr)"), max_digits=5, decimal_places=2
    )
    field_order = ["percent", "decided_on", "paragraph", "case_number"]
