"""`ami shred`: a participant's personal fields made unreadable after the retention period (not reversible)."""
from __future__ import annotations

import sys

from services.cli.context import actor
from shared.config import load_settings


def cmd_shred(args) -> int:
    from shared.kernel.errors import Invalid
    from shared.portal import open_portal
    from shared.privacy.adapters.access_log import AccessEntry, AccessLog
    from shared.privacy.shredding import shred_participant

    if not args.yes and not _confirmed(f"Angaben zu {args.participant} bei {args.provider} unwiderruflich "
                                       "löschen? [ja/nein] "):
        print("Abgebrochen.")
        return 1
    settings = load_settings()
    portal = open_portal(settings)
    try:
        report = shred_participant(portal, args.provider, args.participant, actor(), args.reason)
    except Invalid as e:
        print(e.message, file=sys.stderr)
        return 2
    finally:
        portal.close()
    AccessLog(settings).record(AccessEntry(actor=actor(), action="delete", subject=f"participant {report.subject}",
                                           recipient="-"))
    lines, documents = report.lines, len(report.documents)
    print(f"Gelöscht: Schlüssel von {report.subject}; "
          f"{lines} {'Zeile zeigt' if lines == 1 else 'Zeilen zeigen'} nun «gelöscht», die Originaldateien "
          f"von {documents} {'Rechnung' if documents == 1 else 'Rechnungen'} sind unlesbar.")
    return 0


def _confirmed(question: str) -> bool:
    """«ja» typed; without a terminal to ask (a script, a pipe) nothing is deleted: that needs --yes."""
    try:
        return input(question).strip().lower() == "ja"
    except EOFError:
        print("\nKeine Eingabe möglich: ohne Rückfrage löscht `ami shred` nur mit --yes.", file=sys.stderr)
        return False
