"""What reading one raw value gives: the domain value, ``None`` for an empty value, or :class:`Invalid`.

A converter takes one raw value (text from CSV, text or a typed cell from XLSX, a JSON value) and never
raises: garbage in a cell is a format error with a German reason (the caller adds the column name).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from shared.submissions.parsers.shown import raw_text


class Invalid:
    """A value that can not be read; ``message`` says why in German (the caller adds the column name)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


# A value whose problem is already reported once for the whole document (a JSON line without its own
# period when the document's period is invalid): the row fails without an error of its own.
REPORTED = Invalid("")

Converter = Callable[[object], object]


def as_text(raw: object) -> str | None:
    """Text of a non-empty scalar, or None for something that is no scalar (list, object)."""
    if raw.__class__ is str:
        return raw  # type: ignore[return-value]
    if isinstance(raw, bool | str):  # str: a JSON number kept as written is no text
        return None
    if isinstance(raw, int | float | Decimal | date):
        return raw_text(raw)
    return None
