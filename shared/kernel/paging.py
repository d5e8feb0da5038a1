"""Pages of a long list (the work queue, a provider's findings, an invoice's lines and payer documents): how
many pages, which page is asked for (1 = first; beyond the last: the last), and the page's items."""
from __future__ import annotations

from collections.abc import Sequence


def page_count(total: int, size: int) -> int:
    """At least one page, also for an empty list."""
    return max(1, -(-int(total) // size))


def clamped(page: int | None, pages: int) -> int:
    return min(max(page or 1, 1), pages)


def page_of(items: Sequence, page: int | None, size: int) -> tuple[list, dict]:
    """The items of page `page` and the paging: page, pages, size, total, first and last position (1-based;
    0 and 0 on an empty list)."""
    pages = page_count(len(items), size)
    page = clamped(page, pages)
    shown = list(items[(page - 1) * size:page * size])
    first = (page - 1) * size + 1 if shown else 0
    return shown, {"page": page, "pages": pages, "size": size, "total": len(items), "first": first,
                   "last": first + len(shown) - 1 if shown else 0}
