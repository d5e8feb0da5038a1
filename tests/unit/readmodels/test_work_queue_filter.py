"""The work queue's filter (readmodels/work_queue.py): what a page's query may ask, and nothing typed in SQL."""
from __future__ import annotations

import pytest

from shared.kernel.errors import Invalid
from shared.readmodels.work_queue import SORTS, QueueFilter


def test_unknown_values_show_all_and_a_sort_key_comes_from_a_fixed_list():
    chosen = QueueFilter.of(code="DROP TABLE findings", severity="fatal", sort="1; --", order="auf", page="0")
    assert (chosen.code, chosen.severity, chosen.sort, chosen.descending, chosen.page) == (
        None, None, "monat", False, 1)
    assert set(SORTS) == {"monat", "anbieter", "regel", "art", "zeile"}


def test_the_where_clause_takes_values_as_parameters_and_a_month_wins_over_a_year():
    chosen = QueueFilter.of(provider="regiomech", period="11.2025", year="2024", code="tariff_above_max",
                            severity="error")
    where, params = chosen.where()
    assert "regiomech" not in where and params == ["regiomech", "2025-11", "tariff_above_max", "error"]
    year = QueueFilter.of(year=2025).where("i.", finding_filters=False)
    assert year == (" AND i.period BETWEEN ? AND ?", ["2025-01", "2025-12"])
    with pytest.raises(Invalid):
        QueueFilter.of(period="Mai")
