"""The reconciliation's scope (month, quarter, year); the social services: test_social_service_groups.py."""
from __future__ import annotations

import pytest

from shared.finance.application.reconciliation import parse_scope
from shared.kernel.errors import Invalid


def test_scope():
    assert parse_scope(period="03.2025").periods[0].month == 3
    q = parse_scope(quarter="2025-Q2")
    assert q.label == "2025-Q2" and [str(p) for p in q.periods] == ["2025-04", "2025-05", "2025-06"]
    assert len(parse_scope(year="2025").periods) == 12
    for kw in ({}, {"period": "2025-03", "year": "2025"}, {"quarter": "2025-Q5"}, {"year": "25"},
               {"period": "2025-13"}):
        with pytest.raises(Invalid):
            parse_scope(**kw)

