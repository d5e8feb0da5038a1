"""The `ami` command: serve, token, user, check, demo, project, verify."""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from shared.config import load_settings


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

    shred = sub.add_parser("shred", help="Angaben einer Person nach der Aufbewahrungsfrist unlesbar machen")
    shred.add_argument("--provider", required=True)
    shred.add_argument("--participant", required=True, help="die Teilnehmernummer des Anbieters")
    shred.add_argument("--reason", default="Aufbewahrungsfrist abgelaufen")
    shred.add_argument("--yes", action="store_true", help="ohne Rückfrage (nicht umkehrbar)")
    demo = sub.add_parser("demo", help="ein Demo-Jahr mit allen 26 Anbietern einspielen")
    demo.add_argument("--year", type=int, default=2025)
    demo.add_argument("--workers", type=int, default=4, help="Anbieter nebeneinander (Threads)")
    demo.add_argument("--months", default="1-12", help="nur diese Monate, z. B. 1-3 oder 1,2,6")
    demo.add_argument("--data-dir", default=None, help="eingebetteter Speicher (statt AMI_DATA_DIR)")
    demo.add_argument("--database-url", default=None, help="PostgreSQL (statt DATABASE_URL)")

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

    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)


def _env_with(args) -> dict[str, str]:
    env = dict(os.environ)
    if getattr(args, "data_dir", None):
        env["AMI_DATA_DIR"] = args.data_dir
    if getattr(args, "database_url", None):
        env["DATABASE_URL"] = args.database_url
    return env


def cmd_serve(args) -> int:
    from shared.portal import open_portal

    env = _env_with(args)
    settings = load_settings(env)
    open_portal(settings).close()  # create tables and the bootstrap events once, before the workers race
    host = args.host or settings.host
    services = [("reporting", args.reporting_port or settings.reporting_port),
                ("supervision", args.supervision_port or settings.supervision_port)]
    commands = []
    for name, port in services:
        commands.append([sys.executable, "-m", "uvicorn", "--factory", f"services.{name}.app:create_app", "--host",
                         host, "--port", str(port), "--workers", str(args.workers), "--no-access-log",
                         "--timeout-graceful-shutdown", "10"])
        print(f"{name}: http://{host}:{port}", flush=True)
    # the read models: one projector process follows both notification logs
    commands.append([sys.executable, "-m", "services.cli", "project", "--follow"])
    # each process names its PostgreSQL connections, so pg_stat_activity shows who holds how many
    envs = [dict(env, PGAPPNAME=f"ami-{name}") for name, _ in services] + [dict(env, PGAPPNAME="ami-projector")]
    procs = [subprocess.Popen(cmd, env=e) for cmd, e in zip(commands, envs, strict=True)]
    restart_at: dict[int, float] = {}  # process index -> when to start it again (backing off)
    failures: dict[int, list[float]] = {}
    # the demo year fills the store through the same intake path while the services already answer
    helpers = [subprocess.Popen([sys.executable, "-m", "services.cli", "demo"], env=env)] if args.demo else []

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping:
        for i, p in enumerate(procs):
            if p.poll() is None or stopping:
                continue
            # a process that died (killed, crashed, no database while starting) is started again; what it
            # had acknowledged is stored, what it had not is rolled back by the store. A process that keeps
            # failing (the database is down) is started again less often, up to every 30 s, never given up.
            now = time.monotonic()
            if i not in restart_at:
                recent = failures[i] = [t for t in failures.get(i, []) if now - t < 120] + [now]
                delay = 0.0 if len(recent) == 1 else min(30.0, 2.0 ** (len(recent) - 1))
                restart_at[i] = now + delay
                print(f"Ein Dienst wurde beendet (Code {p.returncode}); er wird "
                      + (f"in {delay:.0f} s " if delay else "") + "neu gestartet.", file=sys.stderr, flush=True)
            if now >= restart_at[i]:
                del restart_at[i]
                procs[i] = subprocess.Popen(commands[i], env=envs[i])
        time.sleep(0.2)
    for p in procs + helpers:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.time() + 15
    for p in procs + helpers:
        try:
            p.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
    return code


def _supervision():
    from shared.portal.supervision import SupervisionApplication
    from shared.store.eventstore import application_env

    settings = load_settings()
    app = SupervisionApplication(env=application_env(settings, "supervision"))
    app.bootstrap()
    return app


def _actor() -> str:
    return f"cli:{os.environ.get('USER', 'admin')}"


def cmd_token(args) -> int:
    from shared.kernel.errors import DomainError

    app = _supervision()
    try:
        if args.action == "create":
            role = args.role or ("provider" if args.provider else None)
            if role is None:
                print("Bitte --provider SLUG oder --role supervisor|finance|admin angeben.", file=sys.stderr)
                return 2
            token = app.issue_token(role, args.provider, args.label, _actor())
            print(token)
        elif args.action == "list":
            for t in app.tokens():
                state = "widerrufen" if t.revoked else "aktiv"
                print(f"{t.id.hex[:12]}  {t.role:<10} {t.provider or '-':<20} {state:<10} {t.label}")
        elif args.action == "revoke":
            t = app.revoke_token(args.token_id, _actor())
            print(f"Token {t.id.hex[:12]} widerrufen.")
    except (DomainError, ValueError) as exc:
        print(getattr(exc, "message", str(exc)), file=sys.stderr)
        return 2
    return 0


def cmd_user(args) -> int:
    import getpass

    from shared.kernel.errors import DomainError

    app = _supervision()
    try:
        if args.action == "create":
            role = args.role or ("provider" if args.provider else None)
            if role is None:
                print("Bitte --provider SLUG oder --role supervisor|finance|admin angeben.", file=sys.stderr)
                return 2
            password = args.password or os.environ.get("AMI_PASSWORD") or getpass.getpass("Passwort: ")
            app.create_account(args.username, password, role, args.provider, _actor())
            print(f"Konto «{args.username}» ({role}) erstellt.")
        elif args.action == "list":
            for a in app.accounts():
                print(f"{a.username:<24} {a.role:<10} {a.provider or '-':<20} {'gesperrt' if a.disabled else 'aktiv'}")
        elif args.action == "disable":
            app.disable_account(args.username, _actor())
            print(f"Konto «{args.username}» gesperrt.")
    except (DomainError, ValueError) as exc:
        print(getattr(exc, "message", str(exc)), file=sys.stderr)
        return 2
    return 0


def cmd_check(args) -> int:
    """Offline: the same parsers and checks as the service, no store needed."""
    from datetime import date

    from shared.checks import CheckContext, check_invoice
    from shared.register.domain.catalogue import load_default_catalogue
    from shared.submissions.domain.documents import SubmissionRejected, SubmissionTooLarge
    from shared.submissions.parsers import parse_invoice

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Datei kann nicht gelesen werden: {exc.strerror}", file=sys.stderr)
        return 2
    catalogue = load_default_catalogue()
    ctype = "application/json" if path.suffix.lower() == ".json" else None
    try:
        parsed = parse_invoice(data, catalogue=catalogue, content_type=ctype, filename=path.name)
    except SubmissionRejected as exc:
        errors = [e.as_dict() for e in exc.errors]
        if args.json:
            print(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        else:
            for e in errors:
                where = f"Zeile {e['row']}" if e["row"] else "Datei"
                col = f", Spalte {e['column']}" if e["column"] else ""
                print(f"{where}{col}: {e['message']}")
        return 2
    except SubmissionTooLarge as exc:
        print(exc.message, file=sys.stderr)
        return 2
    checked = check_invoice(parsed, CheckContext(provider=args.provider, catalogue=catalogue, offerings=None,
                                                     today=date.today()))
    result = checked.as_dict()
    has_findings = any(line["findings"] for line in result["lines"])
    if args.json:
        print(json.dumps({"provider": args.provider, "period": result["period"], "version": 1, "status": "checked",
                          **result}, ensure_ascii=False, indent=2))
    else:
        from shared.presentation.format import chf

        for line in result["lines"]:
            marks = ", ".join(f["code"] for f in line["findings"]) or "in Ordnung"
            print(f"Zeile {line['row']}: {line['participant']} {line['programme']} – {chf(line['allowed'])} ({marks})")
            for f in line["findings"]:
                print(f"    {f['severity']}: {f['message']}")
            for t in line.get("trace", []):
                print(f"    = {t}")
        totals = result["totals"]
        print(f"Total verrechnet {chf(totals['claimed'])}, zulässig {chf(totals['allowed'])}, "
              f"Kürzung {chf(totals['reduction'])}")
    return 1 if has_findings else 0


def cmd_verify(args) -> int:
    """Exit 0 when nothing was changed, 1 naming each mismatch (service, position, event, version)."""
    from shared.audit.application.verify import run_verify

    return run_verify(args, load_settings())


def cmd_shred(args) -> int:
    from shared.kernel.errors import Invalid
    from shared.portal import open_portal
    from shared.privacy.adapters.access_log import AccessEntry, AccessLog
    from shared.privacy.shredding import shred_participant

    if not args.yes and input(f"Angaben zu {args.participant} bei {args.provider} unwiderruflich löschen? "
                              "[ja/nein] ").strip().lower() != "ja":
        print("Abgebrochen.")
        return 1
    settings = load_settings()
    portal = open_portal(settings)
    try:
        report = shred_participant(portal, args.provider, args.participant, _actor(), args.reason)
    except Invalid as e:
        print(e.message, file=sys.stderr)
        return 2
    finally:
        portal.close()
    AccessLog(settings).record(AccessEntry(actor=_actor(), action="delete", subject=f"participant {report.subject}",
                                           recipient="-"))
    print(f"Gelöscht: Schlüssel von {report.subject}; {report.lines} Zeilen zeigen nun «gelöscht», "
          f"die Originaldateien von {len(report.documents)} Rechnungen sind unlesbar.")
    return 0


def cmd_demo(args) -> int:
    """Fill the store with the demo year through the real intake path; print what it did and the accounts."""
    from services.demo.generator import RichProgress, parse_months, print_summary, run_demo
    from shared.portal import open_portal

    months = parse_months(args.months)
    portal = open_portal(load_settings(_env_with(args)))
    try:
        with RichProgress() as progress:
            summary = run_demo(portal, year=args.year, months=months, progress=progress, workers=args.workers)
        print_summary(summary)
    finally:
        portal.close()
    return 0


def cmd_project(args) -> int:
    """Project both notification logs into the read models: once, --rebuild, or --follow until stopped."""
    import logging
    import threading

    from services.cli.project import run_command
    from shared.portal import open_portal

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    settings = load_settings(_env_with(args))
    portal = open_portal(settings)
    if args.follow:  # while following, sign a checkpoint of the stores now and then (only if they moved)
        threading.Thread(target=_checkpoints, args=(settings, stop), daemon=True, name="checkpoints").start()
    try:
        return run_command(portal, follow=args.follow, rebuild=args.rebuild, stop=stop,
                           echo=lambda text: print(text, flush=True))
    finally:
        portal.close()


def cmd_db(args) -> int:
    """`ami db roles`: the services get a role of their own; the access log stays the administrator's."""
    import psycopg

    from shared.store.db_roles import RoleSetupError, prepare_service_role

    admin_url = load_settings().database_url
    if not admin_url:
        print("DATABASE_URL fehlt: Datenbankrollen gibt es nur mit PostgreSQL (als Administrator verbinden).",
              file=sys.stderr)
        return 2
    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            print(f"Die Umgebungsvariable {args.password_env} ist leer oder nicht gesetzt.", file=sys.stderr)
            return 2
    try:
        report = prepare_service_role(admin_url, args.service_role, password)
    except RoleSetupError as exc:
        print(exc, file=sys.stderr)
        return 2
    except psycopg.Error as exc:
        print(f"Datenbankfehler: {exc}", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    print(f"Die Dienste verbinden sich nun als «{args.service_role}» (DATABASE_URL der Dienste mit dieser Rolle).")
    return 0


def _checkpoints(settings, stop) -> None:
    import logging

    from shared.audit.application.checkpoints import checkpoint_store

    log = logging.getLogger("ami.audit")
    interval = float(os.environ.get("AMI_CHECKPOINT_SECONDS", "60"))
    while not stop.wait(interval):
        try:
            checkpoint_store(settings)
        except Exception:  # a failed checkpoint is retried at the next interval; the services go on
            log.exception("Checkpoint fehlgeschlagen")


COMMANDS = {"serve": cmd_serve, "token": cmd_token, "user": cmd_user, "check": cmd_check,
            "verify": cmd_verify, "shred": cmd_shred, "demo": cmd_demo, "project": cmd_project, "db": cmd_db}

if __name__ == "__main__":
    sys.exit(main())
