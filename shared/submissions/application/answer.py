"""The invoice as the API answers it: every line (api.md's contract), or, when asked, a compact answer.

A 10,000-line invoice is ~10 MB of JSON. `?lines=findings` keeps only the lines with a finding of their own
(a notice about the whole invoice, on every line it concerns, stands once in `notices`), `?lines=none` none;
`offset`/`limit` page the lines. Every answer keeps all of api.md's fields (`lines` is then the asked part)
and adds `summary` (lines, findings by severity and by rule, open) and `lines_page` (what `lines` holds, how
many there are, the address of the next page)."""
from __future__ import annotations

from shared.checks.notices import is_notice, line_findings
from shared.kernel.errors import Invalid
from shared.review.domain.status import finding_counts

LINE_MODES = ("all", "findings", "none")
MAX_LIMIT = 10_000


def lines_mode(value: str | None) -> str:
    """`all` (default), `findings` or `none`; anything else is a 422 naming the parameter."""
    mode = (value or "all").strip().lower()
    if mode not in LINE_MODES:
        raise Invalid("lines: erlaubt sind all, findings oder none", "lines", value or "")
    return mode


def paging(offset: int | None, limit: int | None) -> tuple[int, int | None]:
    if offset is not None and offset < 0:
        raise Invalid("offset: mindestens 0", "offset", str(offset))
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit: 1 bis {MAX_LIMIT}", "limit", str(limit))
    return offset or 0, limit


def invoice_dict(iid: str, provider: str, period: str, version: int, received_at: str, edition: str | None,
                 filename: str | None, totals: dict, warnings: list, notices: list) -> dict:
    """api.md's invoice without its lines nor a review's state (status `checked`; put_review_state puts it on):
    the replay (InvoiceCommands.invoice_view) and the read model (document_lists) both make it here."""
    return {"id": iid, "provider": provider, "period": period, "version": int(version), "received_at": received_at,
            "status": "checked", "edition": edition, "filename": filename, "totals": totals, "warnings": warnings,
            "notices": notices}


def invoice_answer(view: dict, mode: str = "all", offset: int = 0, limit: int | None = None) -> dict:
    """The view with its lines as asked, a summary of all of them and where the next page starts."""
    lines = view.get("lines", [])
    answer = {**view, "summary": summary(view)}
    chosen = lines if mode == "all" else [ln for ln in lines if line_findings(ln)] if mode == "findings" else []
    end = len(chosen) if limit is None else min(len(chosen), offset + limit)
    answer["lines"] = chosen[offset:end]
    page = {"mode": mode, "offset": offset, "count": len(answer["lines"]), "total": len(chosen)}
    if end < len(chosen):
        page["next"] = f"/api/v1/invoices/{view['id']}?lines={mode}&offset={end}&limit={limit}"
    answer["lines_page"] = page
    return answer


def summary(view: dict) -> dict:
    """lines, lines_with_findings, findings (error, warning, open, total: a notice about the whole invoice
    once) and by_code (how often each rule found something, a notice once)."""
    lines = view.get("lines", [])
    notices = [n for n in view.get("notices", ()) if is_notice(n)]  # the upload's own notes are no findings
    by_code: dict[str, int] = {}
    with_findings = 0
    for line in lines:
        if line_findings(line):
            with_findings += 1
        for f in line["findings"]:
            if not is_notice(f):
                by_code[f["code"]] = by_code.get(f["code"], 0) + 1
    for n in notices:
        by_code[n["code"]] = by_code.get(n["code"], 0) + 1
    return {"lines": len(lines), "lines_with_findings": with_findings,
            "findings": finding_counts({**view, "notices": notices}), "by_code": by_code}
