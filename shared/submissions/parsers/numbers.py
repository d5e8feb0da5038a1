"""Numbers in a submission: quantities, prices and amounts (decimals), places and counts (integers).

A number that can not be true is a format error in every format (submission-format.md): written with
an exponent (``1E-5``, ``2e3``, also a JSON number), with more than 4 decimal places, or from 10^12 up.
"""
from __future__ import annotations

import math
from decimal import Decimal

from shared.kernel.limits import MAX_COUNT, swiss_count
from shared.kernel.money import parse_decimal
from shared.submissions.parsers.shown import quoted
from shared.submissions.parsers.values import Invalid

MAX_ADJUSTED_EXPONENT = 11  # numbers must stay below 10^12: anything larger is not a plausible entry
MAX_PLACES = 4  # decimal places: 0.25 hours, 80.00 francs, 21.7 days; a fifth is no entry a person makes
FLOAT_PLACES = 6  # a typed XLSX cell is the number Excel shows: 21.699999999999999 is 21.7


class ExponentNumber(str):
    """A JSON number written with an exponent, kept as written (json_format's ``parse_float``)."""

    __slots__ = ()


def float_decimal(value: float) -> Decimal | None:
    """A float cell as the number the user typed: 21.699999999999999 -> 21.7 (rounded to 6 decimals)."""
    if not math.isfinite(value):
        return None
    if value.is_integer() and abs(value) < 1e15:
        return Decimal(int(value))
    return Decimal(repr(round(value, FLOAT_PLACES)))


def _swiss_extras(text: str) -> str:
    """Forms parse_decimal does not know: «Fr. 80.–», «SFr. 80.-»."""
    s = text.strip()
    low = s.lower()
    for prefix in ("sfr.", "fr.", "sfr", "fr"):
        if low.startswith(prefix):
            s = s[len(prefix):].strip()
            break
    for suffix in (".–", ".-", ".—", ",–", ",-"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    return s


def _exponent(raw: object) -> Invalid:
    return Invalid(f"{quoted(raw)} ist mit Exponent geschrieben – bitte als Dezimalzahl ohne «E» angeben")


def _not_a_number(raw: object) -> Invalid:
    return Invalid(f"{quoted(raw)} ist keine Zahl")


def _decimal_of(raw: object) -> Decimal | None | Invalid:
    """Any number; None when empty. Sign is checked by the callers."""
    if raw.__class__ is str:
        text: str = raw  # type: ignore[assignment]
        plain = text.replace(".", "", 1)
        if plain.isdigit() and plain.isascii():  # fast path: 1234.56, 5
            value = Decimal(text)
            if value.adjusted() > MAX_ADJUSTED_EXPONENT:
                return Invalid(f"{quoted(raw)} ist unplausibel gross")
            dot = text.find(".")
            return _too_precise(raw) if dot >= 0 and len(text) - dot > MAX_PLACES + 1 else value
        if not text or text.isspace():
            return None
        try:
            value = parse_decimal(text)
        except ValueError:
            try:
                value = parse_decimal(_swiss_extras(text))
            except ValueError:
                return _exponent(raw) if _has_exponent(text) else _not_a_number(raw)
    elif raw is None:
        return None
    elif isinstance(raw, ExponentNumber):
        return _exponent(raw)
    elif isinstance(raw, bool):
        return _not_a_number(raw)
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        converted = float_decimal(raw)
        if converted is None:
            return _not_a_number(raw)
        value = converted
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            return _not_a_number(raw)
        value = raw
    else:
        return _not_a_number(raw)
    if value.as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        return _too_precise(raw)
    if value.is_zero():
        return value.copy_abs()
    if value.adjusted() > MAX_ADJUSTED_EXPONENT:
        return Invalid(f"{quoted(raw)} ist unplausibel gross")
    return value


def _has_exponent(text: str) -> bool:
    """1E-5, 2e3, 1,5E+2: digits, an E and a (signed) exponent."""
    mantissa, e, exponent = text.strip().upper().partition("E")
    return bool(e) and any(c.isdigit() for c in mantissa) and exponent.lstrip("+-").isdigit()


def _too_precise(raw: object) -> Invalid:
    return Invalid(f"{quoted(raw)} hat mehr als {MAX_PLACES} Nachkommastellen")


def convert_decimal(raw: object) -> object:
    value = _decimal_of(raw)
    if value.__class__ is Decimal and value < 0:  # type: ignore[operator]
        return Invalid(f"{quoted(raw)} darf nicht negativ sein")
    return value


def convert_integer(raw: object) -> object:
    value = _decimal_of(raw)
    if value.__class__ is Decimal and value != value.to_integral_value():  # type: ignore[union-attr]
        return Invalid(f"{quoted(raw)} ist keine ganze Zahl")
    if value.__class__ is not Decimal:
        return value
    if value < 0:  # type: ignore[operator]
        return Invalid(f"{quoted(raw)} darf nicht negativ sein")
    if value > MAX_COUNT:  # places and counts of one offering-month (shared.kernel.limits)
        return Invalid(f"{quoted(raw)} ist mehr, als ein Angebot fasst: höchstens {swiss_count(MAX_COUNT)}")
    return int(value)  # type: ignore[arg-type]
