"""Fixtures: a fresh store per test on SQLite and on PostgreSQL, and clients for both services."""
from __future__ import annotations

import os
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.config import load_settings

PG_URL = os.environ.get("AMI_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"


def postgres_available() -> bool:
    try:
        from shared.store.eventstore import connect_postgres

        with connect_postgres(PG_URL) as conn:
            conn.execute("select 1")
        return True
    except Exception:
        return False


def need_postgres() -> None:
    """Under CI a PostgreSQL test that would skip is a failure: the suite must prove it ran."""
    if not postgres_available():
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL} (CI requires it)")
        pytest.skip("PostgreSQL is not reachable")


@pytest.fixture
def pg_database_url():
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    need_postgres()
    from shared.store.eventstore import connect_postgres, postgres_params

    name = f"ami_test_{uuid.uuid4().hex[:10]}"
    with connect_postgres(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    p = postgres_params(PG_URL)
    url = f"postgresql://{p['user']}@{p['host']}:{p['port']}/{name}"
    yield url
    with connect_postgres(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Clock:
    """A settable clock for the services (deadlines depend on the date of receipt)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 4, 3, 9, 12, tzinfo=ZoneInfo("Europe/Zurich"))

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def settings(backend, tmp_path, request):
    env = {"AMI_DATA_DIR": str(tmp_path / "data")}
    if backend == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("pg_database_url")
    return load_settings(env)


@pytest.fixture
def portal(settings, clock):
    from shared.portal import open_portal

    p = open_portal(settings, clock=clock)
    yield p
    p.close()


@pytest.fixture
def reporting(portal, settings):
    from litestar.testing import TestClient

    from services.reporting.app import create_app

    with TestClient(create_app(settings, portal=portal)) as client:
        yield client


@pytest.fixture
def supervision(portal, settings):
    from litestar.testing import TestClient

    from services.supervision.app import create_app

    with TestClient(create_app(settings, portal=portal)) as client:
        yield client


@pytest.fixture
def tokens(portal):
    """tokens("regiomech") or tokens(role="supervisor") → an Authorization header."""

    def make(provider: str | None = None, role: str | None = None) -> dict:
        token = portal.supervision.issue_token(role or "provider", provider, "test", "test")
        return {"Authorization": f"Bearer {token}"}

    return make
