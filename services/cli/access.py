"""`ami token` and `ami user`: API tokens and the accounts of the web pages."""
from __future__ import annotations

import os
import sys

from services.cli.context import actor
from shared.config import load_settings

ROLE_MISSING = "Bitte --provider SLUG oder --role supervisor|finance|admin angeben."


def _supervision():
    from shared.portal.supervision import SupervisionApplication
    from shared.store.eventstore import application_env

    settings = load_settings()
    app = SupervisionApplication(env=application_env(settings, "supervision"))
    app.bootstrap()
    return app


def cmd_token(args) -> int:
    from shared.kernel.errors import DomainError

    app = _supervision()
    try:
        if args.action == "create":
            role = args.role or ("provider" if args.provider else None)
            if role is None:
                print(ROLE_MISSING, file=sys.stderr)
                return 2
            token = app.issue_token(role, args.provider, args.label, actor())
            print(token)
        elif args.action == "list":
            for t in app.tokens():
                state = "widerrufen" if t.revoked else "aktiv"
                print(f"{t.id.hex[:12]}  {t.role:<10} {t.provider or '-':<20} {state:<10} {t.label}")
        elif args.action == "revoke":
            t = app.revoke_token(args.token_id, actor())
            print(f"Token {t.id.hex} widerrufen ({t.role}, {t.provider or '-'}, «{t.label}»).")
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
                print(ROLE_MISSING, file=sys.stderr)
                return 2
            password = args.password or os.environ.get("AMI_PASSWORD") or getpass.getpass("Passwort: ")
            app.create_account(args.username, password, role, args.provider, actor())
            print(f"Konto «{args.username}» ({role}) erstellt.")
        elif args.action == "list":
            for a in app.accounts():
                print(f"{a.username:<24} {a.role:<10} {a.provider or '-':<20} {'gesperrt' if a.disabled else 'aktiv'}")
        elif args.action == "disable":
            app.disable_account(args.username, actor())
            print(f"Konto «{args.username}» gesperrt.")
    except (DomainError, ValueError) as exc:
        print(getattr(exc, "message", str(exc)), file=sys.stderr)
        return 2
    return 0
