"""The form fields for numbers as Swedish users type them: kronor, per cents and volumes."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .formatting import input_number

SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
# A sign, then "12", "12.5", "12." or ".5": what Decimal reads, without exponents.
NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
LONGEST = 40
# DecimalField(max_digits=16, decimal_places=2): below 10^14 kronor.
LARGEST_KRONOR = Decimal("99999999999999.99")


def _whole_digits(value: Decimal) -> int:
    """The digits before the decimal comma; 0,5 has none, as the database counts them."""
    whole = int(abs(value))
    return len(str(whole)) if whole else 0


class NumberField(forms.Field):
    """A number as people type it: "1 234 567", "1 234,50", "1234.5", "−500" or "-500".

    Returns Decimal, never float. `decimal_places` caps the decimals (None: any number),
    `max_digits` the digits in all (as the database column does), `allow_negative` and
    `min_value`/`max_value` bound it.
    """

    default_error_messages = {
        "invalid": _("”%(text)s” är inte ett tal. Skriv ett tal med siffror, till exempel "
                     "1 190 eller 12,5."),
        "mixed": _("Skriv talet med decimalkomma och utan punkt, t.ex. 1234,5."),
        "too_long": _("Talet är för långt."),
        "places": _("Skriv talet med högst %(places)s decimaler."),
        "digits": _("Talet får ha högst %(digits)s siffror före decimalkommat."),
        "negative": _("Talet kan inte vara negativt."),
        "min_value": _("Talet får inte vara mindre än %(limit)s."),
        "max_value": _("Talet är för stort; det får vara högst %(limit)s."),
    }
    widget = forms.TextInput

    def __init__(self, *, decimal_places: int | None = None, max_digits: int | None = None,
                 allow_negative: bool = True, min_value: Decimal | None = None,
                 max_value: Decimal | None = None, size: int | None = None, **kwargs):
        self.decimal_places = decimal_places
        self.max_digits = max_digits
        self.allow_negative = allow_negative
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)
        # A text field: a number field refuses the spaces Swedish readers group digits with.
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        if size:
            self.widget.attrs["size"] = str(size)

    def prepare_value(self, value):
        return input_number(value) if isinstance(value, (Decimal, int)) else value

    def _cleaned_text(self, value) -> str:
        return SPACES.sub("", str(value)).replace("\u2212", "-")

    def to_python(self, value) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return value
        typed = str(value).strip()
        if len(typed) > LONGEST:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        text = self._cleaned_text(typed)
        if not text:
            return None
        if "," in text and "." in text:
            raise forms.ValidationError(self.error_messages["mixed"], code="mixed")
        text = text.replace(",", ".")
        if not NUMBER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                        params={"text": typed})
        return Decimal(text)

    def validate(self, value) -> None:
        super().validate(value)
        if value is None:
            return
        places = -value.as_tuple().exponent
        if self.decimal_places is not None and places > self.decimal_places:
            raise forms.ValidationError(self.error_messages["places"], code="places",
                                        params={"places": self.decimal_places})
        whole_digits = self._whole_digits_allowed()
        if whole_digits is not None and _whole_digits(value) > whole_digits:
            raise forms.ValidationError(self.error_messages["digits"], code="digits",
                                        params={"digits": whole_digits})
        if value < 0 and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value",
                                        params={"limit": input_number(self.min_value)})
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value",
                                        params={"limit": input_number(self.max_value)})


    def _whole_digits_allowed(self) -> int | None:
        if self.max_digits is None:
            return None
        return self.max_digits - (self.decimal_places or 0)


class KronorField(NumberField):
    """An amount in kronor: öre allowed (two decimals) unless `decimal_places` says otherwise;
    a trailing "kr" is accepted."""

    default_error_messages = {
        "invalid": _("”%(text)s” är inte ett tal. Skriv beloppet i kronor med siffror, till "
                     "exempel 281 700 000."),
        "places": _("Skriv beloppet med högst %(places)s decimaler (öre)."),
        "negative": _("Beloppet kan inte vara negativt."),
        "min_value": _("Beloppet får inte vara mindre än %(limit)s kr."),
        "max_value": _("Beloppet är för stort; det får vara högst %(limit)s kr."),
    }

    def __init__(self, *, decimal_places: int | None = 2,
                 max_value: Decimal | None = LARGEST_KRONOR, **kwargs):
        super().__init__(decimal_places=decimal_places, max_value=max_value, **kwargs)

    def _cleaned_text(self, value) -> str:
        return re.sub(r"kr$", "", super()._cleaned_text(value).lower())
