"""`ami check`: one invoice file checked offline with the service's parsers and checks, no store needed."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def cmd_check(args) -> int:
    """Exit 0 when every line is in order, 1 with findings, 2 when the file can't be read."""
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
        _print_rejected([e.as_dict() for e in exc.errors], args.json)
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
        _print_result(result)
    return 1 if has_findings else 0


def _print_rejected(errors: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        return
    for e in errors:
        where = f"Zeile {e['row']}" if e["row"] else "Datei"
        col = f", Spalte {e['column']}" if e["column"] else ""
        print(f"{where}{col}: {e['message']}")


def _print_result(result: dict) -> None:
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
