"""Forms of the municipality's own part of the report; reporting/municipality.py and
goals/services.py validate the rules."""


from django import forms
from django.utils.translation import gettext_lazy as _

from goals.forms import DecimalTextField
from goals.models import Level
from styrmodell.fields import KronorField
from styrmodell.forms import VersionedForm


class FinancialOutcomeForm(VersionedForm):
    value = DecimalTextField(label=_("Utfall"), required=False)
    level = forms.ChoiceField(label=_("Bedömning"), choices=Level.choices,
                              widget=forms.RadioSelect, required=False)
    forecast = forms.ChoiceField(label=_("Prognos för måluppfyllelse vid årets slut"),
                                 choices=[("", "–"), *Level.choices], required=False)
    comment = forms.CharField(label=_("Kommentar"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Vad förklarar utfallet? Krävs när målet bara delvis "
                                          "eller inte nås."))

    def __init__(self, *args, unit: str, annual: bool, with_forecast: bool, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.fields["value"]
        value.label = _("Utfall (%(unit)s)") % {"unit": unit} if unit else _("Utfall")
        value.help_text = (_("Årets utfall i målets enhet.") if annual else
                           _("Helårsprognosen för måttet i målets enhet. Decimalkomma går bra."))
        if not with_forecast:
            del self.fields["forecast"]

    def answers(self) -> dict:
        return self.changes()


class CompanyFiguresForm(VersionedForm):
    turnover = KronorField(label=_("Omsättning (kr)"), required=False)
    result_after_financial_items = KronorField(
        label=_("Resultat efter finansiella poster (kr)"), required=False,
        help_text=_("Ett underskott skrivs med minustecken, t.ex. −1 250 000."))
    equity = KronorField(label=_("Eget kapital (kr)"), required=False)
    balance_sheet_total = KronorField(label=_("Balansomslutning (kr)"), required=False)
    ownership_share = DecimalTextField(
        label=_("Kommunens ägarandel (%)"), required=False,
        help_text=_("Andelen vid årets slut. Resultat och eget kapital vägs med den i den "
                    "sammanställda redovisningen."))
    comment = forms.CharField(label=_("Kommentar om året"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def figures(self) -> dict:
        return self.changes()
