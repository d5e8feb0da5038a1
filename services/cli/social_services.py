"""`ami social-services import FILE`: the first load of the canton's register of social services (all or none)."""
from __future__ import annotations

import sys
from pathlib import Path

from services.cli.context import actor, env_with
from shared.config import load_settings


def cmd_social_services(args) -> int:
    from shared.kernel.errors import Invalid
    from shared.portal import open_portal
    from shared.submissions.domain.documents import SubmissionRejected, SubmissionTooLarge

    data = Path(args.file).read_bytes()
    portal = open_portal(load_settings(env_with(args)))
    try:
        results = portal.supervision.import_social_services(data, actor(), filename=Path(args.file).name)
    except SubmissionRejected as exc:
        for e in exc.errors:
            where = ", ".join(x for x in (f"Zeile {e.row}" if e.row else "", f"Spalte «{e.column}»" if e.column
                                          else "", f"Wert «{e.value}»" if e.value else "") if x)
            print(f"{where}: {e.message}" if where else e.message, file=sys.stderr)
        print("Nichts gespeichert.", file=sys.stderr)
        return 2
    except (Invalid, SubmissionTooLarge) as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        portal.close()
    changed = sum(1 for _, c in results if c)
    print(f"{len(results)} Sozialdienste gelesen, {changed} erfasst oder geändert.")
    return 0
