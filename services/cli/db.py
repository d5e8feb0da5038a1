"""`ami db roles`: the services get a PostgreSQL role of their own; the access log stays the administrator's."""
from __future__ import annotations

import os
import sys

from shared.config import load_settings


def cmd_db(args) -> int:
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
