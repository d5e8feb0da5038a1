"""`ami shred` from the command line: asked first (a script without --yes deletes nothing), then the report in
German. On SQLite and on PostgreSQL."""
from __future__ import annotations

import argparse
from uuid import UUID

from shared.portal.reporting import Upload

CSV = (b"Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag\r\n"
       b"03.2025;RM-4711;Qualifizierung;Selbstzahler;;Einsatztag;20;80.00;1600.00\r\n"
       b"03.2025;RM-4712;Qualifizierung;Selbstzahler;;Einsatztag;21;80.00;1680.00\r\n")


def test_shred_asks_first_and_reports_in_german(settings, monkeypatch, capsys):
    from services.cli.shred import cmd_shred
    from shared.portal import open_portal

    portal = open_portal(settings)
    try:
        iid = portal.reporting.submit_invoice("regiomech", Upload(CSV, "text/csv", "m.csv"), "test").document["id"]
        iid = UUID(iid)
    finally:
        portal.close()
    monkeypatch.setenv("AMI_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)

    def no_terminal(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    args = argparse.Namespace(provider="regiomech", participant="RM-4712", yes=False, reason="Frist abgelaufen")
    assert cmd_shred(args) == 1
    out = capsys.readouterr()
    assert "Abgebrochen." in out.out and "nur mit --yes" in out.err
    portal = open_portal(settings)
    try:  # nothing deleted
        assert portal.reporting.invoice(None, iid).latest["lines"][1]["participant"] == "RM-4712"
    finally:
        portal.close()

    assert cmd_shred(argparse.Namespace(**{**vars(args), "yes": True})) == 0
    out = capsys.readouterr().out
    assert "1 Zeile zeigt nun «gelöscht», die Originaldateien von 1 Rechnung sind unlesbar." in out
    portal = open_portal(settings)
    try:
        lines = portal.reporting.invoice(None, iid).latest["lines"]
        assert lines[0]["participant"] == "RM-4711" and lines[1]["participant"].startswith("gelöscht")
    finally:
        portal.close()
