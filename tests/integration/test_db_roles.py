"""The access log is not writable by the services' database role (PostgreSQL only).

`ami db roles` / shared.store.db_roles.prepare_service_role: the services connect as a role of their own that owns
the portal's schemas but not `ami_access`. Running the whole portal as that role, the log fills as usual, and
every way to change it (UPDATE, DELETE, TRUNCATE, disabling or dropping the trigger, ALTER or DROP of the
table, replacing the trigger function, session_replication_role, resetting the id sequence) is refused for lack
of privilege, before the append-only trigger even runs; only INSERT and SELECT remain."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from psycopg import errors

from shared.config import load_settings
from shared.privacy.adapters.access_log import PG_READY, AccessEntry, AccessLog
from shared.store.db_roles import SERVICE_SCHEMAS, RoleSetupError, prepare_service_role
from shared.store.eventstore import close_side_pools, connect_postgres, postgres_params
from tests.conftest import PG_URL, need_postgres

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
BODY = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;23;85.00;1955.00\n").encode()
TRIGGER = "access_log_append_only"


def role_url(admin_url: str, role: str) -> str:
    p = postgres_params(admin_url)
    return f"postgresql://{role}@{p['host']}:{p['port']}/{p['dbname']}"


@pytest.fixture
def role(pg_database_url):
    """A uniquely named role; afterwards its grants and objects in the fresh database go, then the role."""
    need_postgres()
    name = f"ami_svc_{uuid.uuid4().hex[:10]}"
    yield name
    close_side_pools()  # the access log's pooled connections as this role
    with connect_postgres(pg_database_url) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'")
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            conn.execute(f'DROP OWNED BY "{name}" CASCADE')  # the database goes next anyway
    with connect_postgres(PG_URL) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def service_settings(tmp_path, url: str):
    return load_settings({"AMI_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url})


def upload_through_reporting(settings, portal, body: bytes = BODY) -> dict:
    from litestar.testing import TestClient

    from services.reporting.app import create_app

    token = portal.supervision.issue_token("provider", "regiomech", "test", "test")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, portal=portal)) as client:
        resp = client.post("/api/v1/invoices", content=body, headers={**auth, "Content-Type": "text/csv"})
        assert resp.status_code == 201, resp.text
        inv = resp.json()
        assert client.get(f"/api/v1/invoices/{inv['id']}", headers=auth).status_code == 200
    return inv


def count(conn) -> int:
    return conn.execute("SELECT count(*) FROM ami_access.access_log").fetchone()[0]


REFUSED = [
    "UPDATE ami_access.access_log SET actor = 'x'",
    "DELETE FROM ami_access.access_log",
    "TRUNCATE ami_access.access_log",
    "ALTER TABLE ami_access.access_log DISABLE TRIGGER ALL",
    f"ALTER TABLE ami_access.access_log DISABLE TRIGGER {TRIGGER}",
    f"DROP TRIGGER {TRIGGER} ON ami_access.access_log",
    "DROP TABLE ami_access.access_log",
    "ALTER TABLE ami_access.access_log RENAME TO access_log_old",
    "ALTER TABLE ami_access.access_log ADD COLUMN note text",
    "DROP SCHEMA ami_access CASCADE",
    "DROP FUNCTION ami_access.refuse_change() CASCADE",
    """CREATE OR REPLACE FUNCTION ami_access.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RETURN NULL; END $$""",
    "SET session_replication_role = replica",
    "SELECT setval(pg_get_serial_sequence('ami_access.access_log', 'id'), 1)",
]


def test_the_services_role_can_add_to_the_access_log_but_not_change_it(pg_database_url, role, tmp_path, clock):
    from shared.portal import open_portal

    report = prepare_service_role(pg_database_url, role)
    assert report.created and any("ami_access.access_log" in line for line in report.lines())
    svc_url = role_url(pg_database_url, role)
    settings = service_settings(tmp_path, svc_url)
    with connect_postgres(svc_url) as conn:
        user, superuser = conn.execute("SELECT current_user, current_setting('is_superuser')").fetchone()
        assert (user, superuser) == (role, "off")

    # the whole portal runs as the service role: event stores, key vault, read models, access log
    portal = open_portal(settings, clock=clock)
    try:
        AccessLog(settings).record(AccessEntry(actor="test", action="store", subject="POST /x", recipient="-"))
        inv = upload_through_reporting(settings, portal)
        portal.views.catch_up()
    finally:
        portal.close()
    got = [(e.action, e.subject) for e in AccessLog(settings).entries()]
    assert got == [("store", "POST /x"), ("store", "POST /api/v1/invoices"),
                   ("read", f"GET /api/v1/invoices/{inv['id']}")]

    # who owns what: the service role its schemas, the administrator the access log
    with connect_postgres(pg_database_url) as admin:
        owners = dict(admin.execute("SELECT nspname, nspowner::regrole::text FROM pg_namespace "
                                    "WHERE nspname LIKE 'ami\\_%'").fetchall())
        table_owner = admin.execute("SELECT relowner::regrole::text FROM pg_class "
                                    "WHERE oid = 'ami_access.access_log'::regclass").fetchone()[0]
        admin_name = admin.execute("SELECT current_user").fetchone()[0]
    assert {s: owners[s] for s in SERVICE_SCHEMAS} == {s: role for s in SERVICE_SCHEMAS}
    assert owners["ami_access"] == admin_name == table_owner != role

    with connect_postgres(svc_url) as conn:
        before = count(conn)
        for stmt in REFUSED:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(stmt)
        assert count(conn) == before  # nothing was changed by the attempts
        conn.execute("INSERT INTO ami_access.access_log (at, actor, action, subject, recipient) "
                     "VALUES (now(), 'test', 'read', 'GET /y', 'test')")
        assert count(conn) == before + 1
        assert conn.execute(PG_READY, ("ami_access.access_log",)).fetchone()[0]  # trigger still there, enabled
        assert conn.execute("SHOW session_replication_role").fetchone()[0] == "origin"

    # a restart as the service role runs no DDL on the log (it could not) and goes on appending
    log = AccessLog(settings)
    log.record(AccessEntry(actor="test", action="read", subject="GET /z", recipient="test"))
    assert len(log.entries()) == before + 2

    # the preparation is idempotent and keeps the split
    again = prepare_service_role(pg_database_url, role)
    assert not again.created
    with connect_postgres(svc_url) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM ami_access.access_log")
        assert count(conn) == before + 2


def test_a_store_of_one_role_is_handed_to_the_service_role(pg_database_url, role, tmp_path, clock):
    """An installation that ran as the administrator: its tables move to the service role, the log does not."""
    from shared.portal import open_portal

    admin_settings = service_settings(tmp_path, pg_database_url)
    portal = open_portal(admin_settings, clock=clock)
    try:
        upload_through_reporting(admin_settings, portal)
        portal.views.catch_up()
    finally:
        portal.close()
    close_side_pools()
    assert len(AccessLog(admin_settings).entries()) == 2

    report = prepare_service_role(pg_database_url, role)
    assert any("bestehende Objekte übertragen" in line for line in report.lines())
    settings = service_settings(tmp_path, role_url(pg_database_url, role))
    portal = open_portal(settings, clock=clock)
    try:
        upload_through_reporting(settings, portal, BODY.replace(b"03.2025", b"02.2025"))
        portal.views.catch_up()
    finally:
        portal.close()
    assert [e.action for e in AccessLog(settings).entries()] == ["store", "read", "store", "read"]
    with connect_postgres(role_url(pg_database_url, role)) as conn:
        for stmt in ("DELETE FROM ami_access.access_log", "ALTER TABLE ami_access.access_log DISABLE TRIGGER ALL"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(stmt)
        assert count(conn) == 4


def test_cli_db_roles_is_idempotent(pg_database_url, role):
    env = {**os.environ, "DATABASE_URL": pg_database_url, "AMI_TEST_SERVICE_PASSWORD": "s3cret-for-test"}

    def ami(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "services.cli", "db", "roles", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    first = ami("--service-role", role, "--password-env", "AMI_TEST_SERVICE_PASSWORD")
    assert first.returncode == 0, first.stderr
    assert f"Rolle «{role}» erstellt. Passwort gesetzt." in first.stdout
    assert "Zugriffsprotokoll" in first.stdout
    second = ami("--service-role", role)
    assert second.returncode == 0, second.stderr
    assert f"Rolle «{role}» besteht bereits." in second.stdout

    with connect_postgres(pg_database_url) as admin:
        has_password = admin.execute("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = %s",
                                     (role,)).fetchone()[0]
        privileges = {p: admin.execute("SELECT has_table_privilege(%s, 'ami_access.access_log', %s)",
                                       (role, p)).fetchone()[0]
                      for p in ("INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")}
    assert has_password
    assert privileges == {"INSERT": True, "SELECT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False,
                          "REFERENCES": False, "TRIGGER": False}

    # the administrator itself is refused as service role, in German, exit 2
    refused = ami("--service-role", postgres_params(pg_database_url)["user"])
    assert refused.returncode == 2 and "Administratorrolle" in refused.stderr
    missing = ami("--service-role", role, "--password-env", "AMI_TEST_NOT_SET_ANYWHERE")
    assert missing.returncode == 2 and "AMI_TEST_NOT_SET_ANYWHERE" in missing.stderr


def test_a_superuser_or_member_of_the_administrator_is_refused(pg_database_url, role):
    with connect_postgres(pg_database_url) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin_name = admin.execute("SELECT current_user").fetchone()[0]
        admin.execute(f'GRANT "{admin_name}" TO "{role}"')
    with pytest.raises(RoleSetupError, match="Mitglied"):
        prepare_service_role(pg_database_url, role)
    with connect_postgres(pg_database_url) as admin:
        admin.execute(f'REVOKE "{admin_name}" FROM "{role}"')
        admin.execute(f'ALTER ROLE "{role}" SUPERUSER')
    with pytest.raises(RoleSetupError, match="Superuser"):
        prepare_service_role(pg_database_url, role)
    with connect_postgres(pg_database_url) as admin:
        admin.execute(f'ALTER ROLE "{role}" NOSUPERUSER')
    assert not prepare_service_role(pg_database_url, role).created

