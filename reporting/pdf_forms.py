from django import forms
from django.utils.translation import gettext_lazy as _


class PresentedForm(forms.Form):
    paragraph = forms.CharField(
        label=_("Paragraf i protokollet"), max_length=40, required=False,
        help_text=_("Till exempel § 87. Kan lämnas tom och fyllas i när protokollet är "
                    "justerat."))
