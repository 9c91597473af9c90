"""The form that makes a personal access token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from styrmodell.forms import DateInput


class TokenForm(forms.Form):
    # The service checks the name and the day together, so every problem is told at once.
    name = forms.CharField(label=_("Namn"), max_length=100, required=False,
                           help_text=_("Vad nyckeln används till, t.ex. ”Power BI, BUN:s "
                                       "uppföljning”."))
    expires_on = forms.DateField(label=_("Gäller till och med"), required=False,
                                 widget=DateInput(),
                                 help_text=_("Tomt: gäller tills du återkallar den."))
