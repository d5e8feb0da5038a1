"""Every store, change, read and disclosure of participant data is in the append-only access log."""
from __future__ import annotations

import sqlite3

import pytest

from shared.privacy.adapters.access_log import AccessLog

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
BODY = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;23;85.00;1955.00\n").encode()


def test_store_read_and_disclosure_are_logged_with_who_what_and_to_whom(reporting, supervision, tokens, settings):
    prov, sup = tokens("regiomech"), tokens(role="supervisor")
    inv = reporting.post("/api/v1/invoices", content=BODY, headers={**prov, "Content-Type": "text/csv"}).json()
    reporting.get(f"/api/v1/invoices/{inv['id']}", headers=prov)
    supervision.get(f"/api/v1/invoices/{inv['id']}", headers=sup)
    supervision.get(f"/api/v1/invoices/{inv['id']}/audit.pdf", headers=sup)
    reporting.get("/api/v1/invoices/00000000-0000-0000-0000-000000000000", headers=prov)  # 404: a refused attempt
    entries = AccessLog(settings).entries()
    got = [(e.action, e.subject) for e in entries]
    assert got == [("store", "POST /api/v1/invoices"), ("read", f"GET /api/v1/invoices/{inv['id']}"),
                   ("read", f"GET /api/v1/invoices/{inv['id']}"),
                   ("disclose", f"GET /api/v1/invoices/{inv['id']}/audit.pdf"),
                   ("refused", "GET /api/v1/invoices/00000000-0000-0000-0000-000000000000 (404)")]
    assert entries[0].actor.startswith("token:") and entries[3].recipient == entries[3].actor
    assert all(e.at for e in entries)
    assert "Q-1" not in repr(entries)  # the log names documents, never participants


def test_the_access_log_is_append_only(reporting, tokens, settings):
    reporting.post("/api/v1/invoices", content=BODY, headers={**tokens("regiomech"), "Content-Type": "text/csv"})
    log = AccessLog(settings)
    assert len(log.entries()) == 1
    if settings.database_url:
        import psycopg

        from shared.store.eventstore import connect_postgres

        with connect_postgres(settings.database_url) as conn:
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute("DELETE FROM ami_access.access_log")
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute("UPDATE ami_access.access_log SET actor = 'x'")
    else:
        with sqlite3.connect(settings.data_dir / "access-log.sqlite") as conn:
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute("DELETE FROM access_log")
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute("UPDATE access_log SET actor = 'x'")
    assert len(log.entries()) == 1
