"""The domain's limits, once: the ranges every command checks before its event is saved, and that every read
model and consumer can hold (a count fits a 32-bit column, a day lies in the years the portal reads).

A value outside them is no entry a person makes (3'000'000'000 places, an offering from the year 1000): the
parsers and the commands refuse it with a German message, and the projector sets aside a stored event that
holds one (written before the limits were checked) instead of stopping on it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

MAX_PLACES = 100_000  # places of an offering, or of one row of a capacity report
MAX_COUNT = 100_000  # occupied places, entries, exits, waiting list of one capacity-report row
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # offerings, editions: the years the portal reads
MAX_TARIFF = Decimal("100000")  # francs a unit: a maximum or agreed tariff above it is a typing error
MAX_DOCUMENT_CENTS = 10 ** 16  # a document's claimed total in centimes: the read models' sums stay in 64 bits


def count_ok(value: object, maximum: int = MAX_COUNT) -> bool:
    """An integer (not a bool) from 0 to `maximum`."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum


def day_ok(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def iso_day_ok(text: object) -> bool:
    """An ISO day (as events store it) in the years the portal reads."""
    try:
        return day_ok(date.fromisoformat(str(text)))
    except ValueError:
        return False


def swiss_count(n: int) -> str:
    """100’000 (de-CH thousands separator)."""
    return f"{n:,}".replace(",", "’")
