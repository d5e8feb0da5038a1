"""The XLSX writer's rows: each cell as value_cell writes it, whatever a column holds and however often."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from shared.presentation.xlsx import STYLE, _row_writer, value_cell

KINDS = list(STYLE)  # text, amount, int, month, date and the header styles
VALUES = st.one_of(
    st.none(), st.text(max_size=8), st.sampled_from(["", "=SUM(A1)", "-3", "a&b<c>", "Zürich"]),
    st.integers(-5, 5), st.booleans(), st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.sampled_from([Decimal("1"), Decimal("1.00"), 1.0, 0.5]),
    st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.just(datetime(2025, 3, 25, 14, 5)))


def reference(r: int, row, letters, kinds) -> str:
    return f'<row r="{r}">' + "".join(value_cell(f"{c}{r}", v, k) for c, v, k in zip(letters, row, kinds,
                                                                                      strict=True)) + "</row>"


@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=4).flatmap(
    lambda ks: st.tuples(st.just(ks), st.lists(st.tuples(*[VALUES for _ in ks]), min_size=1, max_size=12))))
def test_each_row_is_written_as_value_cell_writes_its_cells(kinds):
    kinds, rows = kinds
    letters = [chr(ord("A") + i) for i in range(len(kinds))]
    row_xml = _row_writer(letters, kinds)  # one writer for all rows: what it made once is used again
    for r, row in enumerate(rows, start=3):
        assert row_xml(r, row) == reference(r, row, letters, kinds)


def test_values_equal_to_one_another_keep_their_own_cells():
    """1, 1.0, True and Decimal(1) are equal in Python: each is written as what it is."""
    row_xml = _row_writer(["A"], ["text"])
    written = [row_xml(r, [v]) for r, v in enumerate([True, 1, 1.0, Decimal("1"), "1"], start=1)]
    assert written == [reference(r, [v], ["A"], ["text"])
                       for r, v in enumerate([True, 1, 1.0, Decimal("1"), "1"], start=1)]
    assert "True" in written[0] and "<t xml:space=\"preserve\">1</t>" in written[1]
