"""`ami check`: one invoice file checked offline with the service's parsers and checks, no store needed.

It says all the service says: the parser's warnings (an unknown column), the notices once per invoice, and
with `--json` every error on standard output as the service's 422/413 body."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _error(message: str, column: str | None = None, value: str | None = None) -> dict:
    return {"row": None, "column": column, "value": value, "message": message}


def cmd_check(args) -> int:
    """Exit 0 when every line is in order, 1 with findings, 2 when the file can't be read or checked."""
    from datetime import date

    from shared.checks import CheckContext, check_invoice
    from shared.checks.notices import invoice_notices
    from shared.register.application.commands import packaged_provider_slugs
    from shared.register.domain.catalogue import load_default_catalogue
    from shared.submissions.domain.documents import SubmissionRejected, SubmissionTooLarge
    from shared.submissions.parsers import parse_invoice
    from shared.submissions.parsers.shown import quoted, value_text

    known = packaged_provider_slugs()
    if args.provider not in known:
        return _failed([_error(f"Unbekannter Anbieter {quoted(args.provider)} – bekannt sind: {', '.join(known)}",
                               "provider", value_text(args.provider))], args.json)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed([_error(f"Datei kann nicht gelesen werden: {exc.strerror}", "file",
                               value_text(str(path)))], args.json)
    catalogue = load_default_catalogue()
    ctype = "application/json" if path.suffix.lower() == ".json" else None
    try:
        parsed = parse_invoice(data, catalogue=catalogue, content_type=ctype, filename=path.name)
    except SubmissionRejected as exc:
        return _failed([e.as_dict() for e in exc.errors], args.json, to_stdout=True)
    except SubmissionTooLarge as exc:
        return _failed([_error(exc.message)], args.json)
    checked = check_invoice(parsed, CheckContext(provider=args.provider, catalogue=catalogue, offerings=None,
                                                 today=date.today()))
    result = checked.as_dict()
    invoice = {"provider": args.provider, "period": result["period"], "version": 1, "status": "checked",
               **result, "warnings": [w.as_dict() for w in parsed.warnings],
               "notices": invoice_notices(result["lines"])}
    if args.json:
        print(json.dumps(invoice, ensure_ascii=False, indent=2))
    else:
        _print_result(invoice)
    return 1 if any(line["findings"] for line in result["lines"]) else 0


def _failed(errors: list[dict], as_json: bool, *, to_stdout: bool = False) -> int:
    """The errors as the service's error body (--json, on standard output), else one German line each (the
    format errors of a file on standard output as before, anything else on standard error)."""
    if as_json:
        print(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        return 2
    if not to_stdout:
        for e in errors:
            print(e["message"], file=sys.stderr)
        return 2
    for e in errors:
        where = f"Zeile {e['row']}" if e["row"] else "Datei"
        col = f", Spalte {e['column']}" if e["column"] else ""
        print(f"{where}{col}: {e['message']}")
    return 2


def _print_result(invoice: dict) -> None:
    from shared.checks.notices import line_findings
    from shared.presentation.format import chf

    for w in invoice["warnings"]:
        where = f"Zeile {w['row']}: " if w["row"] else ""
        print(f"Hinweis: {where}{w['message']}")
    for line in invoice["lines"]:
        own = line_findings(line)
        marks = ", ".join(f["code"] for f in own) or "in Ordnung"
        print(f"Zeile {line['row']}: {line['participant']} {line['programme']} – {chf(line['allowed'])} ({marks})")
        for f in own:
            print(f"    {f['severity']}: {f['message']}")
        for t in line.get("trace", []):
            print(f"    = {t}")
    for n in invoice["notices"]:  # about the whole invoice: once, with the rows it concerns
        print(f"Hinweis zur Rechnung ({n['code']}): {n['message']} – Zeilen {', '.join(map(str, n['rows']))}")
    totals = invoice["totals"]
    print(f"Total verrechnet {chf(totals['claimed'])}, zulässig {chf(totals['allowed'])}, "
          f"Kürzung {chf(totals['reduction'])}")
