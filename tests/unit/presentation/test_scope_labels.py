"""Headings of a report's months in German, and the choices of the one period picker."""
from __future__ import annotations

from datetime import date

from shared.presentation.format import scope_choices, scope_de


class _Scope:
    def __init__(self, kind: str, label: str) -> None:
        self.kind, self.label = kind, label


def test_headings_name_the_period_in_german():
    assert scope_de(_Scope("period", "2026-11")) == "November 2026"
    assert scope_de(_Scope("quarter", "2025-Q3")) == "3. Quartal 2025"
    assert scope_de(_Scope("year", "2025")) == "2025"


def test_the_picker_offers_years_quarters_and_months_up_to_today():
    groups = dict(scope_choices(date(2026, 11, 20), 2025))
    assert list(groups) == ["2026", "2025"]
    assert groups["2026"][:3] == [("2026", "Ganzes Jahr 2026"), ("2026-Q4", "4. Quartal 2026"),
                                  ("2026-Q3", "3. Quartal 2026")]
    assert ("2026-11", "November 2026") in groups["2026"] and ("2026-12", "Dezember 2026") not in groups["2026"]
    assert len(groups["2025"]) == 1 + 4 + 12
