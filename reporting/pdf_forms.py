from django import forms


class PresentedForm(forms.Form):
    paragraph = forms.CharField(
        label="Paragraf i protokollet", max_length=40, required=False,
        help_text="Till exempel § 87. Kan lämnas tom och fyllas i när protokollet är justerat.")
