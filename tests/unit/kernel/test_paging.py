"""Pages of a long list (shared/kernel/paging.py) and an invoice's lines a page at a time."""
from __future__ import annotations

from shared.kernel.paging import page_count, page_of
from shared.review.application.invoice_file import lines_page


def test_pages_of_a_list():
    items = list(range(45))
    assert page_count(0, 20) == 1 and page_count(40, 20) == 2 and page_count(41, 20) == 3
    shown, paging = page_of(items, 3, 20)
    assert shown == list(range(40, 45))
    assert paging == {"page": 3, "pages": 3, "size": 20, "total": 45, "first": 41, "last": 45}
    assert page_of(items, 9, 20)[1]["page"] == 3 and page_of(items, -1, 20)[1]["page"] == 1
    assert page_of(items, None, 20)[0] == list(range(20))
    assert page_of([], 2, 20) == ([], {"page": 1, "pages": 1, "size": 20, "total": 0, "first": 0, "last": 0})


def test_the_page_that_holds_a_line():
    lines = [{"row": r} for r in range(2, 52)]  # rows 2 … 51
    shown, paging = lines_page(lines, row=30, size=10)
    assert [ln["row"] for ln in shown] == list(range(22, 32)) and paging["page"] == 3
    assert paging["here"] == frozenset(range(22, 32))
    assert lines_page(lines, page=2, row=999, size=10)[1]["page"] == 1  # no such line: the first page
    assert lines_page(lines, page=2, size=10)[1]["first"] == 11
