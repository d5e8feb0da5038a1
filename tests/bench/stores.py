"""The benchmarks' stores: a temporary data directory, and on PostgreSQL a database of its own (dropped after)."""
from __future__ import annotations

import os
import uuid

from shared.config import Settings, load_settings

PG_URL = os.environ.get("AMI_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_database(template: str | None = None) -> str:
    """A new database of its own; with `template` (a database's URL, nobody connected to it) a copy of that one."""
    from shared.store.eventstore import connect_postgres, postgres_params

    name = f"ami_bench_{uuid.uuid4().hex[:8]}"
    source = template.rsplit("/", 1)[-1] if template else None
    with connect_postgres(PG_URL) as conn:
        if source:  # a pool of this process may still hold a connection to it (idle: its work is done)
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                         "AND pid <> pg_backend_pid()", (source,))
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{source}"' if source else ""))
    p = postgres_params(PG_URL)
    return f"postgresql://{p['user']}@{p['host']}:{p['port']}/{name}"


def drop_pg(url: str) -> None:
    from shared.store.eventstore import connect_postgres

    name = url.rsplit("/", 1)[-1]
    with connect_postgres(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_settings(backend: str, tmp: str) -> Settings:
    """Settings for a store in `tmp` ("sqlite") or in a new PostgreSQL database ("postgres"), with room for the
    benchmarks' large files."""
    env = {"AMI_DATA_DIR": tmp, "AMI_MAX_ROWS": "200000", "AMI_MAX_UPLOAD_BYTES": str(50 * 1024 * 1024)}
    if backend == "postgres":
        env["DATABASE_URL"] = pg_database()
    return load_settings(env)
