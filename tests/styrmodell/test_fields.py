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


# --- every parameter, and what the older fields accepted ------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("+500", Decimal("500")),
    (",5", Decimal("0.5")),
    ("12,", Decimal("12")),
    ("0", Decimal("0")),
    ("\u22120,5", Decimal("-0.5")),
    ("  1 234,5  ", Decimal("1234.5")),
    ("1\u00a0234\u00a0567,25", Decimal("1234567.25")),
])
def test_number_typed_as_people_do(typed, expected):
    assert _clean(NumberField(), typed) == expected


def test_a_decimal_passes_through():
    assert _clean(NumberField(), Decimal("12.5")) == Decimal("12.5")


def test_number_field_places():
    field = NumberField(decimal_places=3)
    assert _clean(field, "2,125") == Decimal("2.125")
    with pytest.raises(forms.ValidationError, match="högst 3 decimaler"):
        _clean(field, "2,1255")


def test_number_field_max_digits_counts_the_whole_digits_as_the_column_does():
    field = NumberField(decimal_places=3, max_digits=6)  # a per cent below 1 000
    assert _clean(field, "999,999") == Decimal("999.999")
    assert _clean(field, "0,5") == Decimal("0.5")
    with pytest.raises(forms.ValidationError, match="högst 3 siffror före decimalkommat"):
        _clean(field, "1000")
    whole = NumberField(max_digits=2)
    assert _clean(whole, "99,123") == Decimal("99.123")
    with pytest.raises(forms.ValidationError, match="högst 2 siffror"):
        _clean(whole, "-100")


def test_number_field_refuses_negative_when_asked():
    with pytest.raises(forms.ValidationError, match="Talet kan inte vara negativt"):
        _clean(NumberField(allow_negative=False), "-1")
    assert _clean(NumberField(allow_negative=False), "0") == Decimal("0")


def test_number_field_limits_are_written_the_swedish_way():
    with pytest.raises(forms.ValidationError, match="högst 1 000 000"):
        _clean(NumberField(max_value=Decimal(1000000)), "1 000 001")
    with pytest.raises(forms.ValidationError, match="mindre än \u22121,5"):
        _clean(NumberField(min_value=Decimal("-1.5")), "-2")


@pytest.mark.parametrize("typed", ["1e3", "1,2,3", "12 %", "--5", "+-5", "Infinity", "NaN"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(forms.ValidationError, match="är inte ett tal"):
        _clean(NumberField(), typed)


def test_empty_number_is_none():
    assert _clean(NumberField(required=False), None) is None
    assert _clean(NumberField(required=False), "\u00a0") is None


def test_amount_with_ore_and_its_unit():
    assert _clean(KronorField(), "12,50 kr") == Decimal("12.50")
    assert _clean(KronorField(), "99 999 999 999 999,99") == Decimal("99999999999999.99")
    assert _clean(KronorField(max_value=None), "1" + "0" * 15) == Decimal(10) ** 15
    assert _clean(KronorField(decimal_places=0), "1 250") == Decimal("1250")


def test_amount_limits_speak_of_kronor():
    with pytest.raises(forms.ValidationError, match="Beloppet kan inte vara negativt"):
        _clean(KronorField(allow_negative=False), "-1")
    with pytest.raises(forms.ValidationError, match="mindre än 100 kr"):
        _clean(KronorField(min_value=Decimal(100)), "99")


def test_saved_numbers_are_offered_back_for_editing():
    assert NumberField().prepare_value(1250) == "1 250"
    assert NumberField().prepare_value(Decimal("0.000")) == "0"
    assert NumberField().prepare_value("1 2") == "1 2"  # what was typed is shown as typed
    assert NumberField().prepare_value(None) is None


def test_size_is_optional():
    assert "size" not in NumberField().widget.attrs
    assert NumberField(size=6).widget.attrs["size"] == "6"


def test_every_number_field_of_the_app_is_one_of_these():
    from budget.cycle.forms import percent_field
    from budget.reserves.forms import amount_field
    from budget.taxrate.forms import TaxProposalForm
    from budget.volumes.forms import VolumeField
    from goals.forms import DecimalTextField
    from styrmodell.forms import UnitForm

    percent = percent_field("Index")
    assert isinstance(percent, NumberField) and percent.decimal_places == 3
    assert percent.max_digits == 6 and percent.widget.attrs["size"] == "6"
    amount = amount_field("Belopp")
    assert isinstance(amount, KronorField) and amount.decimal_places == 2
    tax = TaxProposalForm.base_fields["percent"]
    assert isinstance(tax, NumberField) and (tax.decimal_places, tax.max_digits) == (2, 5)
    volume = VolumeField()
    assert isinstance(volume, NumberField) and volume.decimal_places is None
    assert volume.widget.attrs["size"] == "10"
    assert DecimalTextField().widget.attrs["maxlength"] == "40"
    share = UnitForm.base_fields["ownership_share"]
    assert isinstance(share, NumberField) and (share.decimal_places, share.max_digits) == (2, 5)
