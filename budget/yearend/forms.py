"""Forms of the bokslut pages (F4, B3); the services validate the rules, these only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import DispositionKind
from budget.reserves.forms import DECISION_CHOICES, RecordedDecisionForm, amount_field
from styrmodell.forms import VersionedForm


class DispositionForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Förslag"), choices=DispositionKind.choices, widget=forms.RadioSelect
    )
    amount = amount_field(_("Belopp (kr)"))
    goals_fulfilled = forms.BooleanField(
        label=_("Mål, uppdrag och prestationer är uppfyllda"),
        required=False,
        help_text=_("Krävs för att föra över en del av ett överskott."),
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}))


class DispositionDecisionForm(RecordedDecisionForm):
    outcome = forms.ChoiceField(
        label=_("KF:s beslut"), choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    decided_amount = amount_field(
        _("Beslutat belopp (kr)"),
        required=False,
        help_text=_("Högst det föreslagna beloppet. Lämnas tomt vid avslag."),
    )
    field_order = ["outcome", "decided_amount", "decided_on", "paragraph", "case_number"]


class EarmarkAccountingForm(VersionedForm):
    """B3: how much of an earmarked allocation was used, and for what."""

    used_amount = amount_field(
        _("Använt (kr)"),
        help_text=_("Noll om inget använts; mer än tillskottet om ändamålet kostade mer."),
    )
    used_for = forms.CharField(
        label=_("Hur medlen använts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Vad medlen använts till. Tillskottet får bara användas till det ändamål KF beslutat."
        ),
    )


def earmark_prefix(line_id: int) -> str:
    """Each earmark's form on the bokslut page has its own field ids."""
    return f"tillskott-{line_id}"
