"""Login throttling: failed logins per account and per address, in a table every worker of both services shares."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass

from litestar import Request

from shared.config import Settings


@dataclass(frozen=True)
class ThrottleLimits:
    window_seconds: int = 15 * 60
    per_account: int = 5
    per_address: int = 20


class LoginThrottle:
    """Failed logins per account and per address in a small table every worker shares: a SQLite file
    in the data folder, or the PostgreSQL database when the portal runs on it."""

    TABLE = "login_failures"

    def __init__(self, settings: Settings, limits: ThrottleLimits | None = None) -> None:
        self.settings = settings
        self.limits = limits or ThrottleLimits()
        self._ready = False

    # a tiny adapter over the two databases: the statements are the same but for the placeholder
    def _run(self, sql: str, params: tuple = (), *, fetch: bool = False) -> list[tuple]:
        if self.settings.database_url:
            from shared.store.eventstore import pg_connection

            with pg_connection(self.settings.database_url) as conn:
                if not self._ready:
                    conn.execute("CREATE SCHEMA IF NOT EXISTS ami_web")
                    conn.execute("CREATE TABLE IF NOT EXISTS ami_web.login_failures (kind TEXT NOT NULL, "
                                 "key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)")
                    conn.execute("CREATE INDEX IF NOT EXISTS login_failures_key "
                                 "ON ami_web.login_failures (kind, key, at)")
                    self._ready = True
                pg_sql = sql.replace("?", "%s").replace(self.TABLE, "ami_web." + self.TABLE)
                cur = conn.execute(pg_sql, params)
                return cur.fetchall() if fetch else []
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.settings.data_dir / "web-logins.sqlite", timeout=30)) as conn, conn:
            if not self._ready:
                conn.execute("CREATE TABLE IF NOT EXISTS login_failures (kind TEXT NOT NULL, "
                             "key TEXT NOT NULL, at REAL NOT NULL)")
                conn.execute("CREATE INDEX IF NOT EXISTS login_failures_key "
                             "ON login_failures (kind, key, at)")
                self._ready = True
            cur = conn.execute(sql, params)
            return cur.fetchall() if fetch else []

    def _count(self, kind: str, key: str, now: float) -> int:
        rows = self._run("SELECT count(*) FROM login_failures WHERE kind = ? AND key = ? AND at > ?",
                         (kind, key, now - self.limits.window_seconds), fetch=True)
        return int(rows[0][0])

    def blocked(self, username: str, address: str, now: float) -> bool:
        return (self._count("account", username.lower(), now) >= self.limits.per_account
                or self._count("address", address, now) >= self.limits.per_address)

    def failed(self, username: str, address: str, now: float) -> None:
        self._run("DELETE FROM login_failures WHERE at <= ?", (now - self.limits.window_seconds,))
        self._run("INSERT INTO login_failures (kind, key, at) VALUES (?, ?, ?), (?, ?, ?)",
                  ("account", username.lower(), now, "address", address, now))

    def succeeded(self, username: str) -> None:
        self._run("DELETE FROM login_failures WHERE kind = ? AND key = ?", ("account", username.lower()))


def throttle_of(request: Request) -> LoginThrottle:
    state = request.app.state
    if state.get("login_throttle") is None:
        state.login_throttle = LoginThrottle(state.settings)
    return state.login_throttle
