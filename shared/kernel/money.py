"""Amounts in Swiss francs: Decimal only, half-up to the centime, 5-Rappen rounding for payments."""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
FIVE_RAPPEN = Decimal("0.05")
QUARTER = Decimal("0.25")
ZERO = Decimal("0.00")


def to_cents(value: Decimal) -> Decimal:
    """Round half-up to the centime."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_payment(value: Decimal) -> Decimal:
    """Swiss 5-Rappen rounding, only for payment totals."""
    return (value / FIVE_RAPPEN).quantize(Decimal(1), rounding=ROUND_HALF_UP) * FIVE_RAPPEN


def floor_quarter(value: Decimal) -> Decimal:
    """Round down to a multiple of 0.25 (coaching hours are billed in quarter hours)."""
    return (value / QUARTER).to_integral_value(rounding=ROUND_DOWN) * QUARTER


def amount_str(value: Decimal) -> str:
    """The contract's form of an amount: a string with two decimals, e.g. "1736.00"."""
    return f"{to_cents(value):.2f}"


def quantity_str(value: Decimal) -> str:
    """A quantity without trailing zeros: 21.7, 5, 0.25."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def format_chf(value: Decimal, *, prefix: bool = True) -> str:
    """de-CH display of an amount: CHF 1’736.00 (typographic apostrophe as thousands separator)."""
    cents = to_cents(value)  # the sign apart: -0.004 is 0.00, not -0.00
    text = ("-" if cents < 0 else "") + f"{abs(cents):,.2f}".replace(",", "’")
    return f"CHF {text}" if prefix else text


def format_quantity(value: Decimal) -> str:
    """de-CH display of a quantity (decimal point, as the brochure writes 21.7)."""
    return quantity_str(value)


def parse_decimal(text: str) -> Decimal:
    """Parse a number as Swiss Excel writes it: 1'736.00, 1’736,00, CHF 80, 21,7.

    Raises ValueError with nothing else to say: callers name row, column and value.
    """
    s = text.strip().replace("\u00a0", " ")
    if s.upper().startswith("CHF"):
        s = s[3:].strip()
    if s.upper().endswith("CHF"):
        s = s[:-3].strip()
    s = s.replace("'", "").replace("’", "").replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    if not s or any(c not in "0123456789.-" for c in s) or s.count(".") > 1 or "-" in s[1:]:
        raise ValueError(text)
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value
