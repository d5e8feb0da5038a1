"""Where events live: one eventsourcing Application per service, SQLite files or PostgreSQL schemas."""
from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from urllib.parse import unquote, urlparse

from eventsourcing.persistence import Transcoding

from shared.config import Settings

SERVICE_NAMES = ("reporting", "supervision")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class BytesAsBase64(Transcoding):
    type = bytes
    name = "bytes_b64"

    def encode(self, obj: bytes) -> str:
        return base64.b64encode(obj).decode("ascii")

    def decode(self, data: str) -> bytes:
        return base64.b64decode(data)


def schema_name(service: str) -> str:
    return f"ami_{service}"


def postgres_params(url: str) -> dict[str, str]:
    u = urlparse(url)
    if u.scheme not in ("postgresql", "postgres"):
        raise ValueError("DATABASE_URL muss mit postgresql:// beginnen")
    return {
        "dbname": (u.path or "/").lstrip("/") or "postgres",
        "host": u.hostname or "127.0.0.1",
        "port": str(u.port or 5432),
        "user": unquote(u.username or "postgres"),
        "password": unquote(u.password or ""),
    }


def application_env(settings: Settings, service: str) -> dict[str, str]:
    """The eventsourcing environment of one service's Application."""
    env = {"IS_SNAPSHOTTING_IF_POSSIBLE": "n"}
    if settings.database_url:
        p = postgres_params(settings.database_url)
        ensure_postgres_schema(settings.database_url, schema_name(service))
        env.update({
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "shared.store.recorders:BinaryInsertRecorder",
            "POSTGRES_DBNAME": p["dbname"], "POSTGRES_HOST": p["host"], "POSTGRES_PORT": p["port"],
            "POSTGRES_USER": p["user"], "POSTGRES_PASSWORD": p["password"],
            "POSTGRES_SCHEMA": schema_name(service), "POSTGRES_POOL_SIZE": str(settings.pg_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.pg_max_overflow),
            # how long one attempt waits for a free (or new) connection; the library tries 10 times, so a
            # request waits about 20 s for a busy or restarting database before it is answered 503
            "POSTGRES_CONNECT_TIMEOUT": "2", "POSTGRES_PRE_PING": "n",
            # no ping before each use: the library retries a statement on a dead connection by itself
            "CREATE_TABLE": "y",
        })
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        env.update({
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.data_dir / f"{service}.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "30",
            "CREATE_TABLE": "y",
        })
    return env


def connect_postgres(url: str):
    import psycopg

    p = postgres_params(url)
    return psycopg.connect(dbname=p["dbname"], host=p["host"], port=p["port"], user=p["user"],
                           password=p["password"] or None, autocommit=True, connect_timeout=10)


def pool_kwargs(url: str) -> dict:
    """What each connection of a pool is opened with (autocommit; transactions are explicit)."""
    p = postgres_params(url)
    return {"dbname": p["dbname"], "host": p["host"], "port": p["port"], "user": p["user"],
            "password": p["password"] or None, "autocommit": True, "connect_timeout": 10}


_side_pools: dict[str, object] = {}
_side_lock = threading.Lock()
SIDE_POOL_MAX = 2


@contextmanager
def pg_connection(url: str) -> Iterator:
    """A connection (autocommit) from this process's pool for the side stores: key vault, access log, login throttle.

    One pool per process and database, at most SIDE_POOL_MAX connections: a burst of requests waits for one
    instead of opening a connection each, which would exhaust the server's max_connections."""
    pool = _side_pools.get(url)
    if pool is None:
        from psycopg_pool import ConnectionPool

        with _side_lock:
            pool = _side_pools.get(url)
            if pool is None:
                pool = ConnectionPool(kwargs=pool_kwargs(url),
                                      min_size=0, max_size=SIDE_POOL_MAX, timeout=10, name="ami-side",
                                      check=ConnectionPool.check_connection, open=True)
                _side_pools[url] = pool
    with pool.connection() as conn:  # type: ignore[attr-defined]
        yield conn


def close_side_pools() -> None:
    with _side_lock:
        for pool in _side_pools.values():
            pool.close()  # type: ignore[attr-defined]
        _side_pools.clear()


def ensure_postgres_schema(url: str, schema: str) -> None:
    with connect_postgres(url) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
