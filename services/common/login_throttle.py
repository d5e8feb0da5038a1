"""Login throttling: failed logins per account and address, per account and per address, for every worker."""
# Login throttling: failed logins per account and address, per account and per address, in a table every worker of
# both services shares.
#
# An attempt is counted *before* its password is checked, in one locked step with the check of the counts (`begin`):
# however many attempts arrive at once, at most the limit are verified. A login that succeeds takes its count back
# (`succeeded`). Above a limit the next attempt waits, doubling from 30 s up to the window (back-off), instead of a
# hard block a stranger could renew at will: one account from one address is limited soonest (5), one account from
# anywhere (20: guessing from many addresses) and one address (20) later.
from __future__ import annotations

import secrets
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass

from litestar import Request

from shared.config import Settings

THROTTLE_LOCK = 0x414D4957_0001  # PostgreSQL advisory lock: one check-and-count at a time


@dataclass(frozen=True)
class ThrottleLimits:
    window_seconds: int = 15 * 60
    per_account_address: int = 5  # one account from one address
    per_account: int = 20  # one account from any address
    per_address: int = 20  # one address, any account
    first_delay: float = 30.0  # the wait after a limit is reached; doubled with each further failure

    def delay(self, count: int, limit: int) -> float:
        """Seconds to wait after the last failure when `count` failures are in the window (0 below the limit)."""
        if count < limit:
            return 0.0
        return min(float(self.window_seconds), self.first_delay * 2 ** min(count - limit, 20))


DDL = ["CREATE TABLE IF NOT EXISTS login_attempts (kind TEXT NOT NULL, key TEXT NOT NULL, at {real} NOT NULL, "
       "attempt TEXT NOT NULL)",
       "CREATE INDEX IF NOT EXISTS login_attempts_key ON login_attempts (kind, key, at)"]


class LoginThrottle:
    """Failed logins in a small table every worker shares: a SQLite file in the data folder, or the PostgreSQL
    database when the portal runs on it. Each check-and-count is one transaction under a lock."""

    TABLE = "login_attempts"

    def __init__(self, settings: Settings, limits: ThrottleLimits | None = None) -> None:
        self.settings = settings
        self.limits = limits or ThrottleLimits()
        self._ready = False
        self._lock = threading.Lock()  # the threads of this process; the database lock the other processes

    def _locked(self, work):
        """work(run) inside one transaction that holds the lock; run(sql, params) returns the rows."""
        with self._lock:
            if self.settings.database_url:
                from shared.store.eventstore import pg_connection

                with pg_connection(self.settings.database_url) as conn, conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (THROTTLE_LOCK,))
                    if not self._ready:
                        conn.execute("CREATE SCHEMA IF NOT EXISTS ami_web")
                        for sql in DDL:
                            conn.execute(sql.format(real="DOUBLE PRECISION").replace(
                                "EXISTS login_attempts (", "EXISTS ami_web.login_attempts (").replace(
                                "ON login_attempts", "ON ami_web.login_attempts"))
                        self._ready = True

                    def run(sql: str, params: tuple = ()) -> list[tuple]:
                        cur = conn.execute(sql.replace("?", "%s").replace(self.TABLE, "ami_web." + self.TABLE),
                                           params)
                        return cur.fetchall() if cur.description else []

                    return work(run)
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            path = self.settings.data_dir / "web-logins.sqlite"
            with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as conn:
                conn.execute("BEGIN IMMEDIATE")  # the write lock at once: no other process counts meanwhile
                try:
                    if not self._ready:
                        for sql in DDL:
                            conn.execute(sql.format(real="REAL"))
                        self._ready = True
                    result = work(lambda sql, params=(): conn.execute(sql, params).fetchall())
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                return result

    def keys(self, username: str, address: str) -> list[tuple[str, str, int]]:
        user = username.lower()
        return [("pair", f"{user}|{address}", self.limits.per_account_address),
                ("account", user, self.limits.per_account), ("address", address, self.limits.per_address)]

    def _waits(self, count: int | None, last: float | None, limit: int, now: float) -> bool:
        """Whether `count` attempts in the window, the last at `last`, make an attempt at `now` wait. Below the limit
        none waits: colleagues' logins at the same moment are counted in an order their clocks need not share (a
        request read the time a moment before another's attempt was counted: `now - last` is then below zero)."""
        delay = self.limits.delay(int(count or 0), limit)
        return delay > 0 and now - float(last or 0) < delay

    def begin(self, username: str, address: str, now: float) -> str | None:
        """Check and count one attempt in one step: its id, or None while the account or address must wait."""
        keys = self.keys(username, address)

        def work(run) -> str | None:
            run("DELETE FROM login_attempts WHERE at <= ?", (now - self.limits.window_seconds,))
            for kind, key, limit in keys:
                count, last = run("SELECT count(*), max(at) FROM login_attempts WHERE kind = ? AND key = ?",
                                  (kind, key))[0]
                if self._waits(count, last, limit, now):
                    return None
            attempt = secrets.token_hex(8)
            for kind, key, _ in keys:
                run("INSERT INTO login_attempts (kind, key, at, attempt) VALUES (?, ?, ?, ?)",
                    (kind, key, now, attempt))
            return attempt

        return self._locked(work)

    def blocked(self, username: str, address: str, now: float) -> bool:
        """Whether an attempt now would have to wait (nothing counted)."""
        keys = self.keys(username, address)

        def work(run) -> bool:
            for kind, key, limit in keys:
                count, last = run("SELECT count(*), max(at) FROM login_attempts WHERE kind = ? AND key = ? "
                                  "AND at > ?", (kind, key, now - self.limits.window_seconds))[0]
                if self._waits(count, last, limit, now):
                    return True
            return False

        return self._locked(work)

    def succeeded(self, username: str, address: str, attempt: str) -> None:
        """The password was right: the attempt is no failure, and the account's failures are forgotten."""
        user = username.lower()

        def work(run) -> None:
            run("DELETE FROM login_attempts WHERE attempt = ?", (attempt,))
            run("DELETE FROM login_attempts WHERE (kind = 'account' AND key = ?) OR (kind = 'pair' AND key = ?)",
                (user, f"{user}|{address}"))

        self._locked(work)


def throttle_of(request: Request) -> LoginThrottle:
    state = request.app.state
    if state.get("login_throttle") is None:
        state.login_throttle = LoginThrottle(state.settings)
    return state.login_throttle

