"""Billing months (periods), days as people and requests give them, and working days."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from shared.kernel.errors import Invalid

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_SWISS = re.compile(r"^\s*(\d{1,2})\.(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month, written YYYY-MM in the API."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 9998:
            raise ValueError(f"{self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Accept 2025-03, 03.2025 and 3.2025; raise ValueError otherwise."""
        m = _ISO.match(text) or _SWISS.match(text)
        if not m:
            raise ValueError(text)
        a, b = m.groups()
        year, month = (int(a), int(b)) if m.re is _ISO else (int(b), int(a))
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return _iso_text(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def next(self) -> Period:
        return Period(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def label_de(self) -> str:
        return f"{MONTHS_DE[self.month - 1]} {self.year}"


@lru_cache(maxsize=4096)
def _iso_text(year: int, month: int) -> str:
    """2025-03 (made once per month: an upload writes it on every line and finding)."""
    return f"{year:04d}-{month:02d}"


MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember")


def parse_period(value, field: str = "period") -> Period:
    """A month given by a person or a request (2025-03, 03.2025, 3.2025, or a Period): Invalid otherwise."""
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(str(value))
    except ValueError as exc:
        raise Invalid(f"Monat «{value}» ist ungültig (JJJJ-MM oder MM.JJJJ)", field, str(value)) from exc


def parse_date(value: str, field: str) -> date:
    """A day given as JJJJ-MM-TT by a person or a request: Invalid naming the field otherwise."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{field}: «{value}» ist kein Datum (JJJJ-MM-TT)", field, value) from exc


def working_days(start: date, end: date) -> int:
    """Monday to Friday from start to end, both included (0 if end is before start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for i in range(rest):
        if (start + timedelta(days=full_weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def format_date_de(day: date) -> str:
    """25.03.2025 (not strftime: a tenth of its time; the checks write thousands of dates an upload)"""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
