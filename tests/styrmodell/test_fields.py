"""The one kronor field and number field: what Swedish users type, and what is refused."""

from decimal import Decimal

import pytest
from django import forms

from styrmodell.fields import KronorField, NumberField


def _clean(field, text):
    return field.clean(text)


@pytest.mark.parametrize("typed, expected", [
    ("1 234 567", Decimal("1234567")),
    ("1 234,50", Decimal("1234.50")),
    ("1234.5", Decimal("1234.5")),
    ("\u2212500", Decimal("-500")),
    ("-500", Decimal("-500")),
    ("1\u00a0234", Decimal("1234")),
    ("1\u202f234", Decimal("1234")),
    ("1\u2009234", Decimal("1234")),
    ("1 250 000 kr", Decimal("1250000")),
])
def test_amount_typed_the_swedish_way_is_read_as_decimal(typed, expected):
    value = _clean(KronorField(), typed)
    assert value == expected and isinstance(value, Decimal)


def test_empty_amount_is_none_when_not_required():
    assert _clean(KronorField(required=False), "") is None
    assert _clean(KronorField(required=False), "   ") is None


def test_empty_amount_is_refused_when_required():
    with pytest.raises(forms.ValidationError):
        _clean(KronorField(), "")


@pytest.mark.parametrize("typed, message", [
    ("sextio miljoner", "Skriv beloppet i kronor med siffror"),
    ("12,345", "högst 2 decimaler"),
    ("1.234,5", "decimalkomma och utan punkt"),
    ("1" * 41, "för långt"),
    ("1" + "0" * 15, "för stort"),
])
def test_amount_refused_with_a_swedish_message(typed, message):
    with pytest.raises(forms.ValidationError, match=message):
        _clean(KronorField(), typed)


def test_negative_amount_refused_when_not_allowed():
    with pytest.raises(forms.ValidationError, match="inte vara negativt"):
        _clean(KronorField(allow_negative=False), "−500")


def test_whole_kronor_refuse_ore():
    with pytest.raises(forms.ValidationError, match="högst 0 decimaler"):
        _clean(KronorField(decimal_places=0), "10,50")


def test_number_field_accepts_any_decimals_by_default():
    assert _clean(NumberField(), "12,345") == Decimal("12.345")


def test_number_field_garbage_says_it_is_not_a_number():
    with pytest.raises(forms.ValidationError, match="är inte ett tal"):
        _clean(NumberField(), "tolv")


def test_number_field_bounds():
    field = NumberField(min_value=Decimal(0), max_value=Decimal(100))
    with pytest.raises(forms.ValidationError, match="högst 100"):
        _clean(field, "100,01")
    with pytest.raises(forms.ValidationError, match="mindre än 0"):
        _clean(field, "-0,01")


def test_saved_amount_is_offered_back_with_plain_spaces_and_typographic_minus():
    assert KronorField().prepare_value(Decimal("-7096.8")) == "\u22127 096,8"
    assert KronorField().prepare_value(Decimal("1250000.00")) == "1 250 000"


def test_widget_asks_for_the_decimal_keyboard():
    attrs = KronorField(size=12).widget.attrs
    assert attrs["inputmode"] == "decimal" and attrs["size"] == "12"
