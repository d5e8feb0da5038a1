"""A views store records the schema it was made with (its version and a digest of the tables' DDL): a store of the
same version whose tables differ is rebuilt, not read (a column added without a new version answered
`GET /api/v1/capacity-reports` with a 500: «no such column: rows_json»); a store of this very schema is kept."""
from __future__ import annotations

import sqlite3

import pytest

from shared.readmodels.store import SQLiteViewStore
from shared.readmodels.tables import SCHEMA_VERSION, schema_stamp


def opened(path) -> dict:
    store = SQLiteViewStore(path)
    try:
        store.ensure_schema()
        with store.read() as tx:
            columns = [row[1] for row in tx.execute("PRAGMA table_info(capacity_reports)")]
        return {"positions": store.positions(), "columns": columns}
    finally:
        store.close()


def made_by_hand(path, stamp: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO tracking (source, position) VALUES ('reporting', 42)")
        conn.execute("ALTER TABLE capacity_reports DROP COLUMN rows_json")  # as the tables of an earlier change
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (stamp,))
    conn.close()


def test_the_stamp_names_the_version_and_changes_with_the_tables():
    version, digest = schema_stamp().split(":")
    assert version == SCHEMA_VERSION and len(digest) == 12


@pytest.mark.parametrize("stamp", [SCHEMA_VERSION, f"{SCHEMA_VERSION}:000000000000"])  # the version alone: before
def test_tables_of_the_same_version_but_another_ddl_are_rebuilt(tmp_path, stamp):
    path = tmp_path / "views.sqlite"
    opened(path)
    made_by_hand(path, stamp)
    found = opened(path)
    assert found["positions"] == {} and "rows_json" in found["columns"]  # dropped, made anew, replayed from 0


def test_a_store_of_this_schema_is_kept(tmp_path):
    path = tmp_path / "views.sqlite"
    opened(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO tracking (source, position) VALUES ('reporting', 42)")
    conn.close()
    assert opened(path)["positions"] == {"reporting": 42}
