"""The projector's parts on a real SQLite view store: every topic handled, months in groups, bulk writes."""
from __future__ import annotations

import pytest

from shared.readmodels import statements as S
from shared.readmodels.projector import SOURCES, TOPICS
from shared.readmodels.projector.decoding import fast_decoders
from shared.readmodels.projector.handlers import HANDLERS
from shared.readmodels.projector.writers import earliest, groups, recompute_months
from shared.readmodels.store import SQLiteViewStore


@pytest.fixture
def store(tmp_path):
    views = SQLiteViewStore(tmp_path / "views.sqlite")
    yield views
    views.close()


def test_every_selected_topic_has_one_handler_and_the_register_comes_first():
    selected = [topic for source in SOURCES for topic in TOPICS[source]]
    assert len(selected) == len(set(selected)) == len(HANDLERS)
    assert set(selected) == set(HANDLERS)
    assert set(fast_decoders()) <= set(HANDLERS)
    assert SOURCES[0] == "supervision"  # providers before their documents in a fresh store


def test_months_in_groups_cover_every_key_once():
    keys = [(p, f"2025-{m:02d}") for p in ("b", "a", "c") for m in (3, 1, 2)]
    found = groups(keys, 2)
    assert len(found) == 5
    assert sorted(k for _, _, pairs in found for k in pairs) == sorted(keys)
    for periods, providers, pairs in found:
        assert len(pairs) <= 2
        assert {k[1] for k in pairs} == set(periods) and {k[0] for k in pairs} == set(providers)
    assert found[0][2] == [("a", "2025-01"), ("b", "2025-01")]  # month by month


def test_the_earliest_receipt_is_the_earliest_instant():
    late_in_text = "2025-04-11T01:00:00+02:00"  # 10.4. 23:00 UTC
    assert earliest(["2025-04-10T23:30:00+00:00", late_in_text]) == late_in_text
    assert earliest([]) is None


def test_months_recomputed_one_by_one_or_together_are_the_same(store):
    invoices = [(f"i{n}", provider, f"2025-{month:02d}", n, 1, f"2025-{month + 1:02d}-0{day}T09:00:00+02:00",
                 f"2025-{month + 1:02d}-0{day}T09:00:00+02:00", None, 1000 * n, 900 * n, 100 * n, 1, 0, None, None)
                for n, (provider, month, day) in enumerate(
                    [("a", 1, 3), ("a", 1, 2), ("b", 1, 5), ("a", 2, 4), ("c", 3, 1)], start=1)]
    keys = sorted({(row[1], row[2]) for row in invoices})
    results = []
    for size in (1, 2, 200):
        with store.write() as tx:
            tx.execute("DELETE FROM invoices")
            tx.execute("DELETE FROM provider_months")
            tx.insert(S.UPSERT_INVOICE, invoices)
            recompute_months(tx, keys, size)
            results.append(sorted(tx.execute("SELECT * FROM provider_months")))
    assert results[0] == results[1] == results[2]
    january_a = next(r for r in results[0] if r[:2] == ("a", "2025-01"))
    assert january_a[2] == "2025-02-02T09:00:00+02:00" and january_a[4:6] == (2, 3000)  # first receipt, sums


def test_bulk_writes_upsert_and_delete_beyond_one_in_list(store):
    rows = [(f"r{n}", n, "a", "2025-03", "coaching", "", 10, n % 10, 0, 0, None) for n in range(1000)]
    with store.write() as tx:
        tx.insert(S.INSERT_CAPACITY_ROW, rows)
        tx.delete_in(S.DELETE_CAPACITY_ROWS, [f"r{n}" for n in range(0, 1000, 2)])  # more ids than one IN list
        tx.insert(S.UPSERT_REPORT, [("r1", "a", "2025-03", 1, 1, "t1", "t1", None, "[]", None)])
        tx.insert(S.UPSERT_REPORT, [("r1", "a", "2025-03", 1, 2, "t1", "t2", "f.csv", "[]", None)])
    with store.read() as tx:
        assert tx.execute("SELECT COUNT(*) FROM capacity_rows") == [(500,)]
        assert tx.execute("SELECT version, first_received_at, received_at FROM capacity_reports") == [
            (2, "t1", "t2")]
