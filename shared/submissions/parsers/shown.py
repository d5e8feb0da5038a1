"""How a raw value appears in a message: as the user typed it, shortened, control characters escaped."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

SHOWN = 60  # characters of a value quoted in a message
KEPT = 200  # characters of a value echoed in a format error's `value`


def escaped(text: str) -> str:
    """Control and format characters as escapes (``\\x07``, ``\\x1b``, ``\\u202e``): never raw in a terminal or
    a page, where they would ring, move the cursor or turn the text around."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def float_text(value: float) -> str:
    """A typed cell's number as Excel shows it: 21.7, 5, 0.00001 (never 1e-05)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(round(value, 6))
    if "e" in text and abs(value) < 1e15:
        return format(Decimal(text), "f")
    return text


def raw_text(raw: object) -> str | None:
    """The raw value as text, unchanged (for header lookups and vocabularies)."""
    if raw is None or raw.__class__ is str:
        return raw  # type: ignore[return-value]
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return float_text(raw)
    if isinstance(raw, str):  # a JSON number as written (see json_format.JsonNumber)
        return str.__str__(raw)
    if isinstance(raw, int | Decimal):
        return str(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    text = repr(raw)
    return text if len(text) <= KEPT else text[:KEPT] + "…"


def value_text(raw: object) -> str | None:
    """The value of a format error (FormatIssue.value): as typed, escaped, at most KEPT characters."""
    text = raw_text(raw)
    if text is None:
        return None
    if len(text) > KEPT:
        text = text[:KEPT] + "…"
    return escaped(text)


def quoted(raw: object) -> str:
    """«"B-0017"» for a message: at most SHOWN characters, escaped."""
    text = raw_text(raw) or ""
    if len(text) > SHOWN:
        text = text[:SHOWN] + "…"
    return f'"{escaped(text)}"'
