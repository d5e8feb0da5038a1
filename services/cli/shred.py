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

    if not args.yes and input(f"Angaben zu {args.participant} bei {args.provider} unwiderruflich löschen? "
                              "[ja/nein] ").strip().lower() != "ja":
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
    print(f"Gelöscht: Schlüssel von {report.subject}; {report.lines} Zeilen zeigen nun «gelöscht», "
          f"die Originaldateien von {len(report.documents)} Rechnungen sind unlesbar.")
    return 0
