"""The view store's bulk statements (shared/readmodels/transactions.py) on SQLite and on PostgreSQL: the same
rows in and out whichever backend writes them."""
from __future__ import annotations

from shared.readmodels import statements as S


def capacity_rows(n: int) -> list[tuple]:
    return [(f"r{i}", i, f"p{i % 3}", f"2025-{i % 12 + 1:02d}", "coaching", "", 10, i % 10, 0, 0, None)
            for i in range(n)]


def test_take_deletes_the_rows_of_the_keys_and_returns_them(portal):
    store = portal.views.store
    with store.write() as tx:
        tx.insert(S.INSERT_CAPACITY_ROW, capacity_rows(1000))
    # more keys than one SQLite statement takes, some matching no row, one twice
    keys = sorted({(f"p{i % 3}", f"2025-{i % 12 + 1:02d}") for i in range(0, 1000, 7)}) + [("p9", "2025-01")]
    keys += keys[:1]
    wanted = {k for k in keys if k[0] != "p9"}
    with store.write() as tx:
        taken = tx.take("capacity_rows", ("report_id", "provider", "period"), ("provider", "period"), keys)
        assert tx.take("capacity_rows", ("report_id",), ("provider", "period"), []) == []
    expected = {(f"r{i}", f"p{i % 3}", f"2025-{i % 12 + 1:02d}") for i in range(1000)
                if (f"p{i % 3}", f"2025-{i % 12 + 1:02d}") in wanted}
    assert sorted(taken) == sorted(expected)  # each row once, though its key came twice
    with store.read() as tx:
        left = tx.execute("SELECT provider, period FROM capacity_rows")
    assert len(left) == 1000 - len(expected) and not wanted & set(left)


def test_take_of_many_single_keys(portal):
    store = portal.views.store
    with store.write() as tx:
        tx.insert(S.INSERT_CAPACITY_ROW, capacity_rows(1000))
        taken = tx.take("capacity_rows", ("line_row",), ("report_id",), [(f"r{i}",) for i in range(0, 1000, 2)])
    assert sorted(p for (p,) in taken) == list(range(0, 1000, 2))
    with store.read() as tx:
        assert tx.execute("SELECT COUNT(*) FROM capacity_rows") == [(500,)]
