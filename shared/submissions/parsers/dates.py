"""Dates and months in a submission: 25.03.2025, 2025-03-25, 03.2025, 3.2025, and XLSX date cells."""
from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from shared.kernel.periods import Period
from shared.submissions.parsers.shown import quoted
from shared.submissions.parsers.values import REPORTED, Invalid


def parse_date_text(text: str) -> date | None:
    """25.03.2025, 25.3.25, 2025-03-25 (a trailing 00:00:00 is ignored); None if not a date."""
    s = text.strip()
    for sep in (" ", "T"):
        if sep in s:
            s, _, rest = s.partition(sep)
            if rest.strip().replace(":", "").replace(".", "").strip("0"):
                return None  # a time other than midnight: not a plain date
            break
    if s.count(".") == 2:
        d, m, y = s.split(".")
    elif s.count("-") == 2:
        y, m, d = s.split("-")
    else:
        return None
    if not (d.isascii() and m.isascii() and y.isascii() and d.isdigit() and m.isdigit() and y.isdigit()):
        return None
    if len(d) > 2 or len(m) > 2 or len(y) not in (2, 4):
        return None
    year = int(y) + (2000 if len(y) == 2 else 0)
    if not 1900 <= year <= 2999:
        return None
    try:
        return date(year, int(m), int(d))
    except ValueError:
        return None


def convert_date(raw: object) -> object:
    if raw.__class__ is str:
        text: str = raw  # type: ignore[assignment]
        if not text or text.isspace():
            return None
        day = parse_date_text(text)
    elif raw is None:
        return None
    elif isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    else:
        day = None
    if day is None:
        return Invalid(f"{quoted(raw)} ist kein gültiges Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)")
    return day


def convert_period(raw: object) -> object:
    period: Period | None = None
    if raw.__class__ is Period or raw is REPORTED:  # a JSON line's default: the document's period
        return raw
    if raw.__class__ is str:
        text: str = raw  # type: ignore[assignment]
        if not text or text.isspace():
            return None
        try:
            period = Period.parse(text)
        except ValueError:
            day = parse_date_text(text)  # a full date names its month
            try:
                period = Period.of(day) if day is not None else None
            except ValueError:
                period = None
    elif raw is None:
        return None
    elif isinstance(raw, date):  # an XLSX date cell (datetime is a date): that month
        try:
            period = Period.of(raw)
        except ValueError:
            period = None
    elif isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        # 3.2025 typed into a cell that Excel took for a number
        try:
            number = float(raw)
            if math.isfinite(number) and 0 < number < 13:
                period = Period.parse(f"{number:.4f}")
        except ValueError:
            period = None
    if period is None:
        return Invalid(f"{quoted(raw)} ist kein gültiger Monat (erwartet z. B. 03.2025 oder 2025-03)")
    return period
