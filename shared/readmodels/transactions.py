"""One transaction of the read-model store: rows in and out, on SQLite (plain) and PostgreSQL (COPY)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from shared.readmodels.statements import chunks, with_in


class Tx:
    """One transaction of the view store: execute returns the rows of a query (or [])."""

    def __init__(self, cursor, convert):
        self._cur = cursor
        self._convert = convert

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        cur = self._cur
        cur.execute(self._convert(sql), params)
        return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        rows = list(rows)
        if rows:
            self._cur.executemany(self._convert(sql), rows)

    def insert(self, sql: str, rows: Sequence[Sequence]) -> None:
        """An `INSERT … VALUES {values} [ON CONFLICT …]` statement for many rows at once."""
        if rows:
            one = "(" + ",".join("?" * len(rows[0])) + ")"
            self._cur.executemany(self._convert(sql.replace("{values}", one)), rows)

    def delete_in(self, sql: str, ids: Sequence) -> None:
        """A statement with `IN {in}` for many ids at once."""
        for chunk in chunks(list(ids)):
            self._cur.execute(self._convert(with_in(sql, len(chunk))), chunk)

    def select_in(self, sql: str, ids: Sequence) -> list[tuple]:
        """The rows of a query with `IN {in}` for many ids (in slices of a few hundred)."""
        rows: list[tuple] = []
        for chunk in chunks(list(ids)):
            rows += self.execute(with_in(sql, len(chunk)), chunk)
        return rows

    def take(self, table: str, returning: Sequence[str], columns: Sequence[str], keys: Sequence[tuple]) -> list[tuple]:
        """The rows of `table` whose `columns` equal one of `keys`, deleted; their `returning` columns back.

        SQLite: row values against a VALUES list, a few hundred keys a statement."""
        rows: list[tuple] = []
        row = "(" + ",".join("?" * len(columns)) + ")"
        for chunk in chunks(list(keys), 300):
            sql = (f"DELETE FROM {table} WHERE ({', '.join(columns)}) IN (VALUES {','.join([row] * len(chunk))}) "  # noqa: S608
                   f"RETURNING {', '.join(returning)}")
            rows += self.execute(sql, [value for key in chunk for value in key])
        return rows

    def position(self, source: str) -> int:
        found = self.execute("SELECT position FROM tracking WHERE source = ?", (source,))
        return found[0][0] if found else 0

    def set_position(self, source: str, position: int) -> None:
        self.execute("INSERT INTO tracking (source, position) VALUES (?, ?) "
                     "ON CONFLICT (source) DO UPDATE SET position = excluded.position", (source, position))


class PgTx(Tx):
    """On PostgreSQL, many rows go in by COPY (through a staging table where the statement upserts):
    two statements per table and batch instead of one per row."""

    def insert(self, sql: str, rows: Sequence[Sequence]) -> None:
        if not rows:
            return
        table, columns = _INSERT.match(sql.strip()).groups()  # type: ignore[union-attr]
        conflict = sql[sql.index("{values}") + len("{values}"):].strip()
        target = f"stage_{table}" if conflict else table
        if conflict:
            self._cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} "
                              f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        with self._cur.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if conflict:
            self._cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} {conflict}")  # noqa: S608
            self._cur.execute(f"DELETE FROM {target}")  # noqa: S608

    def delete_in(self, sql: str, ids: Sequence) -> None:
        if ids:
            self._cur.execute(pg(sql.replace("IN {in}", "= ANY(?)")), (list(ids),))

    def take(self, table: str, returning: Sequence[str], columns: Sequence[str], keys: Sequence[tuple]) -> list[tuple]:
        """One statement for all keys, a text array per key column (profile of issue 16: a SELECT and a DELETE
        per provider and month were a sixth of a rebuild)."""
        if not keys:
            return []
        arrays = ", ".join("?::text[]" for _ in columns)
        match = " AND ".join(f"t.{c} = k.{c}" for c in columns)
        sql = (f"DELETE FROM {table} AS t USING unnest({arrays}) AS k({', '.join(columns)}) "  # noqa: S608
               f"WHERE {match} RETURNING {', '.join('t.' + c for c in returning)}")
        return self.execute(sql, [list(values) for values in zip(*keys, strict=True)])

    def select_in(self, sql: str, ids: Sequence) -> list[tuple]:
        """One statement with the ids as an array: a long IN list of parameters is planned anew each time
        (profile of issue 16: the finance page's ~1,000 Kostengutsprachen, 51 ms as IN lists, 2 ms as an array)."""
        return self.execute(sql.replace("IN {in}", "= ANY(?)"), (list(ids),)) if ids else []


_INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)", re.S)


def same(sql: str) -> str:
    """SQLite reads the `?` placeholders as written."""
    return sql


def pg(sql: str) -> str:
    """psycopg's placeholders for the `?` ones."""
    return sql.replace("?", "%s")
