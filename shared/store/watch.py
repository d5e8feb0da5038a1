"""Whether an application's store has taken a commit since the last look, without a transaction.

Every upload asks the register for its version: one indexed row, but on SQLite a pooled connection, BEGIN,
SELECT and ROLLBACK (3 % of an upload). On SQLite, `PRAGMA data_version` read on a connection of the watch's
own changes with every commit to the file by any other connection (every one of the application's, and other
processes'), and costs microseconds. PostgreSQL has no such counter: there the watch always says «maybe», and
the caller reads."""
from __future__ import annotations

import sqlite3
import threading

from eventsourcing.sqlite import SQLiteDatastore


class CommitWatch:
    def __init__(self, recorder) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._name: str | None = None  # the SQLite file to watch (connected at the first look); None: no watch
        store = getattr(recorder, "datastore", None)
        if isinstance(store, SQLiteDatastore) and not store.pool.is_sqlite_memory_mode:
            self._name = store.pool.db_name

    def mark(self) -> int | None:
        """A mark of the store's commits so far; equal marks: no commit between them. None: unknown (always
        read again). Take the mark before the read it vouches for: a commit after it changes the next mark."""
        if self._name is None:
            return None
        with self._lock:
            if self._conn is None:
                self._conn = sqlite3.connect(self._name, uri=self._name.startswith("file:"),
                                             check_same_thread=False, isolation_level=None)
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._name = None
            if self._conn is not None:
                self._conn.close()
                self._conn = None
