"""The `ami` command: the argument parser and the dispatch to one module per command family."""
from __future__ import annotations

import argparse
import sys

from services.cli.access import cmd_token, cmd_user
from services.cli.check import cmd_check
from services.cli.db import cmd_db
from services.cli.demo import cmd_demo
from services.cli.project import cmd_project
from services.cli.serve import cmd_serve
from services.cli.shred import cmd_shred
from services.cli.social_services import cmd_social_services
from services.cli.verify import cmd_verify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ami", description="AMI-Portal des Kantons Solothurn")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="beide Dienste starten")
    serve.add_argument("--host", default=None)
    serve.add_argument("--reporting-port", type=int, default=None)
    serve.add_argument("--supervision-port", type=int, default=None)
    serve.add_argument("--data-dir", default=None, help="eingebetteter Speicher (statt AMI_DATA_DIR)")
    serve.add_argument("--database-url", default=None, help="PostgreSQL (statt DATABASE_URL)")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="zugleich das Demojahr einlesen (ami demo)")

    token = sub.add_parser("token", help="API-Tokens")
    tsub = token.add_subparsers(dest="action", required=True)
    tc = tsub.add_parser("create")
    tc.add_argument("--provider")
    tc.add_argument("--role", default=None)
    tc.add_argument("--label", default="")
    tsub.add_parser("list")
    tr = tsub.add_parser("revoke")
    tr.add_argument("token_id")

    user = sub.add_parser("user", help="Konten für die Webseiten")
    usub = user.add_subparsers(dest="action", required=True)
    uc = usub.add_parser("create")
    uc.add_argument("username")
    uc.add_argument("--provider")
    uc.add_argument("--role", default=None)
    uc.add_argument("--password", default=None, help="sonst aus AMI_PASSWORD oder interaktiv")
    usub.add_parser("list")
    ud = usub.add_parser("disable")
    ud.add_argument("username")

    check = sub.add_parser("check", help="eine Rechnungsdatei offline prüfen")
    check.add_argument("file")
    check.add_argument("--provider", required=True)
    check.add_argument("--json", action="store_true")

    verify = sub.add_parser("verify", help="Prüfsummen des Speichers oder eines Prüfbericht-PDF nachrechnen")
    verify.add_argument("--pdf", help="ein Prüfbericht-PDF offline prüfen (ohne Speicher)")
    verify.add_argument("--public-key", help="öffentlicher Schlüssel: Datei oder hex (für --pdf)")
    verify.add_argument("--no-checkpoint", action="store_true", help="keinen neuen Kontrollpunkt schreiben")
    verify.add_argument("--witness", action="append", default=[], metavar="DATEI",
                        help="eine ausserhalb aufbewahrte Kopie der Kontrollpunkte (checkpoints.jsonl)")
    verify.add_argument("--witness-digest", action="append", default=[], metavar="HEX",
                        help="ein früher von `ami verify` ausgegebener Speicher-Digest, ausserhalb aufbewahrt")

    shred = sub.add_parser("shred", help="Angaben einer Person nach der Aufbewahrungsfrist unlesbar machen")
    shred.add_argument("--provider", required=True)
    shred.add_argument("--participant", required=True, help="die Teilnehmernummer des Anbieters")
    shred.add_argument("--reason", default="Aufbewahrungsfrist abgelaufen")
    shred.add_argument("--yes", action="store_true", help="ohne Rückfrage (nicht umkehrbar)")
    demo = sub.add_parser("demo", help="ein Demo-Jahr mit allen 26 Anbietern einspielen")
    demo.add_argument("--year", type=int, default=None,
                      help="nur dieses Jahr (ohne --year/--months: 2025 bis zum letzten Monat)")
    demo.add_argument("--workers", type=int, default=4, help="Anbieter nebeneinander (Threads)")
    demo.add_argument("--months", default=None, help="nur diese Monate, z. B. 1-3 oder 1,2,6 (Standard 1-12)")
    demo.add_argument("--data-dir", default=None, help="eingebetteter Speicher (statt AMI_DATA_DIR)")
    demo.add_argument("--database-url", default=None, help="PostgreSQL (statt DATABASE_URL)")
    demo.add_argument("--no-test-programme", action="store_true",
                      help="ohne das Testprogramm integration.arbeit 10.2022–12.2024 (nach dem Demojahr 2025)")

    project = sub.add_parser("project", help="Lesemodelle nachführen (Projektor)")
    project.add_argument("--follow", action="store_true", help="weiter folgen, bis beendet")
    project.add_argument("--rebuild", action="store_true", help="Lesemodelle verwerfen und neu aufbauen")
    project.add_argument("--data-dir", default=None, help="eingebetteter Speicher (statt AMI_DATA_DIR)")
    project.add_argument("--database-url", default=None, help="PostgreSQL (statt DATABASE_URL)")

    db = sub.add_parser("db", help="PostgreSQL: eigene Datenbankrolle für die Dienste")
    dbsub = db.add_subparsers(dest="action", required=True)
    dbr = dbsub.add_parser("roles", help="Dienstrolle anlegen und berechtigen (DATABASE_URL als Administrator)")
    dbr.add_argument("--service-role", required=True, help="die Rolle, mit der sich die Dienste verbinden")
    dbr.add_argument("--password-env", default=None, help="Umgebungsvariable mit dem Passwort der Dienstrolle")

    ss = sub.add_parser("social-services", help="Register der Sozialdienste")
    sssub = ss.add_subparsers(dest="action", required=True)
    ssi = sssub.add_parser("import", help="aus CSV/XLSX laden (Code; Name; Adresse; Gültig ab; Gültig bis)")
    ssi.add_argument("file")
    ssi.add_argument("--data-dir", default=None, help="eingebetteter Speicher (statt AMI_DATA_DIR)")
    ssi.add_argument("--database-url", default=None, help="PostgreSQL (statt DATABASE_URL)")

    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)


COMMANDS = {"serve": cmd_serve, "token": cmd_token, "user": cmd_user, "check": cmd_check,
            "verify": cmd_verify, "shred": cmd_shred, "demo": cmd_demo, "project": cmd_project, "db": cmd_db,
            "social-services": cmd_social_services}

if __name__ == "__main__":
    sys.exit(main())
