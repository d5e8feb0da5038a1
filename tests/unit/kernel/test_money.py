"""Money (kernel/money.py): half-up to the centime, 5-Rappen only for payments, Swiss Excel numbers, de-CH display."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.kernel.money import (
    amount_str,
    floor_quarter,
    format_chf,
    parse_decimal,
    quantity_str,
    round_payment,
    to_cents,
)

D = Decimal


@pytest.mark.parametrize(("value", "cents"), [
    ("0.005", "0.01"), ("0.0049999", "0.00"), ("1.005", "1.01"), ("2.675", "2.68"), ("1736", "1736.00"),
    ("1627.495", "1627.50"), ("-0.005", "-0.01"), ("-2.675", "-2.68"), ("788.7999", "788.80"),
])
def test_to_cents_rounds_half_up_away_from_zero(value, cents):
    rounded = to_cents(D(value))
    assert rounded == D(cents) and rounded.as_tuple().exponent == -2


def test_to_cents_does_not_round_to_five_rappen():
    assert to_cents(D("1736.03")) == D("1736.03")
    assert amount_str(D("1736.03")) == "1736.03"
    assert format_chf(D("1736.02")) == "CHF 1’736.02"


@pytest.mark.parametrize(("value", "payment"), [
    ("0.025", "0.05"), ("10.025", "10.05"), ("0.024", "0.00"), ("0.0249", "0.00"), ("1736.02", "1736.00"),
    ("1736.03", "1736.05"), ("1736.07", "1736.05"), ("1736.075", "1736.10"), ("1736.08", "1736.10"),
    ("1736.00", "1736.00"), ("0", "0.00"), ("-0.025", "-0.05"), ("-1736.02", "-1736.00"),
])
def test_round_payment_to_five_rappen_half_up(value, payment):
    rounded = round_payment(D(value))
    assert rounded == D(payment)
    assert str(rounded) == payment  # two decimals, as a payment is written


@given(st.decimals(min_value=-10**7, max_value=10**7, places=3, allow_nan=False, allow_infinity=False))
def test_round_payment_is_the_nearest_multiple_of_five_rappen(value):
    rounded = round_payment(value)
    assert rounded % D("0.05") == 0
    assert abs(rounded - value) <= D("0.025")
    assert round_payment(rounded) == rounded


@pytest.mark.parametrize(("hours", "billable"), [
    ("1.3", "1.25"), ("1.25", "1.25"), ("0.2", "0"), ("3.99", "3.75"), ("4", "4"), ("0.25", "0.25"),
])
def test_floor_quarter(hours, billable):
    assert floor_quarter(D(hours)) == D(billable)


@pytest.mark.parametrize(("value", "text"), [
    ("1736", "1736.00"), ("1736.0", "1736.00"), ("0.005", "0.01"), ("-12.5", "-12.50"), ("0", "0.00"),
])
def test_amount_str_is_the_contracts_two_decimals(value, text):
    assert amount_str(D(value)) == text


@pytest.mark.parametrize(("value", "text"), [
    ("21.7", "21.7"), ("21.70", "21.7"), ("5", "5"), ("5.00", "5"), ("0.25", "0.25"), ("100", "100"),
    ("1E+1", "10"), ("1E+3", "1000"), ("0.0000001", "0.0000001"), ("12.500", "12.5"), ("-3.50", "-3.5"),
])
def test_quantity_str_has_no_trailing_zeros_and_no_exponent(value, text):
    assert quantity_str(D(value)) == text


@pytest.mark.parametrize(("value", "text"), [
    ("1736", "CHF 1’736.00"), ("80", "CHF 80.00"), ("999.99", "CHF 999.99"), ("1000", "CHF 1’000.00"),
    ("100000", "CHF 100’000.00"), ("1234567.891", "CHF 1’234’567.89"), ("999.995", "CHF 1’000.00"),
    ("0", "CHF 0.00"), ("-1736.5", "CHF -1’736.50"), ("-219", "CHF -219.00"), ("-1234567.8", "CHF -1’234’567.80"),
    ("-0.004", "CHF 0.00"),  # rounds to nothing: no «-0.00»
])
def test_format_chf_de_ch(value, text):
    assert format_chf(D(value)) == text


def _grouped_by_hand(value: Decimal) -> str:
    """format_chf as it was first written: the groups of three cut off one by one."""
    cents = to_cents(value)
    whole, frac = f"{abs(cents):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ("-" if cents < 0 else "") + "’".join(groups) + "." + frac


@given(st.decimals(min_value=-10**13, max_value=10**13, places=3, allow_nan=False, allow_infinity=False))
def test_format_chf_groups_as_by_hand(value):
    assert format_chf(value, prefix=False) == _grouped_by_hand(value)
    assert format_chf(value) == "CHF " + _grouped_by_hand(value)


def test_format_chf_without_prefix():
    assert format_chf(D("1736"), prefix=False) == "1’736.00"
    assert format_chf(D("-1736"), prefix=False) == "-1’736.00"
    assert "'" not in format_chf(D("1736"))  # the typographic apostrophe, not the typewriter one


@pytest.mark.parametrize(("text", "value"), [
    ("1736", "1736"), ("1736.00", "1736.00"), ("1'736.00", "1736.00"), ("1’736.00", "1736.00"),
    ("1’736,00", "1736.00"), ("1'736,5", "1736.5"), ("21,7", "21.7"), (",5", "0.5"), ("CHF 80", "80"),
    ("80 CHF", "80"), ("chf 80.50", "80.50"), ("CHF1’736.00", "1736.00"), (" 80.00 ", "80.00"),
    ("1 736.50", "1736.50"), ("\u00a01\u00a0736.50\u00a0", "1736.50"), ("-12.5", "-12.5"), ("0", "0"),
    ("1.", "1"),
])
def test_parse_decimal_reads_swiss_excel(text, value):
    parsed = parse_decimal(text)
    assert isinstance(parsed, Decimal) and parsed == D(value)


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "CHF", "-", ".", "1.2.3", "1,2,3", "1,234.56", "12-", "--1", "1-2", "+5", "1e5", "1E5",
    "NaN", "Infinity", "-inf", "0x10", "١٢", "12 Tage", "80.-", "EUR 80",
])
def test_parse_decimal_refuses_anything_else_and_names_the_text(text):
    with pytest.raises(ValueError) as caught:
        parse_decimal(text)
    assert str(caught.value) == text  # the caller names row, column and this value


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_what_format_chf_writes_parse_decimal_reads_back(value):
    assert parse_decimal(format_chf(value)) == value
    assert parse_decimal(amount_str(value)) == value
