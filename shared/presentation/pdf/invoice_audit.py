"""The audit PDF of one invoice: every line with its findings and calculation, the supervisor's decisions, the
versions as received (originals embedded) and the full event history, as a signed checkpoint saw them."""

from __future__ import annotations

import re
from uuid import UUID

from shared.audit.application.checkpoints import checkpoint_store
from shared.audit.application.verify_pdf import EVENTS_NAME
from shared.checks.notices import invoice_notices, line_findings
from shared.kernel.errors import NotFound
from shared.kernel.periods import Period
from shared.presentation import labels
from shared.presentation.check_result import check_result_csv
from shared.presentation.format import row_ranges
from shared.presentation.pdf.audit_history import audit_history
from shared.presentation.pdf.document import events_json, public_key_hex, render_document
from shared.presentation.pdf.render import EmbeddedFile
from shared.presentation.pdf.snapshot import Snapshot
from shared.presentation.people import display_names, person
from shared.review.domain.review import review_id
from shared.review.domain.status import apply_review
from shared.submissions.domain.invoice import Invoice

# A longer invoice prints its lines with findings, at most this many, and as many of its distinct findings and of
# the supervisor's decisions; every line (with its findings and decisions) is attached as a CSV. A 10,000-line
# invoice's report printed in full was 1,011 pages, made in 133 s with 3.2 GB (docs/benchmarks.md, ninth pass).
PRINTED_LINES = 1_000
LINES_ATTACHMENT = "rechnungszeilen.csv"

CONTENT_EXT = {
    "text/csv": ".csv",
    "application/json": ".json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def invoice_audit_pdf(portal, invoice_id: UUID) -> bytes:
    return invoice_audit(portal, invoice_id)[0]


def invoice_audit(portal, invoice_id: UUID) -> tuple[bytes, dict]:
    """The PDF and what it is of ({"provider", "period", "version", …}: the version the checkpoint saw)."""
    digest = checkpoint_store(portal.settings)
    with Snapshot(portal, digest) as snap:
        invoice = snap.get("reporting", invoice_id)
        if not isinstance(invoice, Invoice):
            raise NotFound("Rechnung nicht gefunden")
        review = snap.get("supervision", review_id(invoice.id))
        context, files, document, events = _invoice_context(portal, snap, invoice, review)
        events_data = events_json(document, digest, events, public_key_hex(portal.settings))
    files.append(
        EmbeddedFile(
            EVENTS_NAME,
            events_data,
            "Alle Ereignisse dieser Rechnung und ihrer Prüfung, wie gespeichert, mit Inklusionsbeweisen",
            "Data",
        )
    )
    return render_document(portal, digest, "invoice_audit.html", context, files, document), document


def _invoice_context(portal, snap: Snapshot, invoice: Invoice, review) -> tuple[dict, list, dict, list]:
    sub = invoice.latest
    result = invoice.result
    view = {
        "id": str(invoice.id),
        "provider": invoice.provider,
        "period": invoice.period,
        "version": sub["version"],
        "received_at": sub["received_at"],
        "status": "checked",
        "edition": result.get("edition"),
        "filename": sub.get("filename"),
        "totals": result["totals"],
        "lines": result["lines"],
        "notices": invoice_notices(result["lines"]),
    }
    view = apply_review(view, review)
    provider = portal.supervision.provider(invoice.provider)
    names = display_names(portal.supervision)
    lines = _lines(view["lines"], sub, portal.supervision.catalogue())
    notices = [_labelled(n) for n in view["notices"]]  # about the whole invoice: once, with its rows
    events = snap.event_records("reporting", invoice.id)
    if review is not None:
        events += snap.event_records("supervision", review.id)
    history = audit_history(snap, invoice, review, portal.reporting.tz, events, names, provider.name)
    files, versions = _versions(invoice, names, provider.name)
    printed, cut = _printed(lines)
    groups = _finding_groups(lines, notices)
    decisions = _decisions(review, names)
    if cut or len(groups) > PRINTED_LINES or len(decisions) > PRINTED_LINES:  # every line as the page's download
        files.append(EmbeddedFile(LINES_ATTACHMENT, check_result_csv(view, portal.supervision.catalogue()),
                                  "Alle Rechnungszeilen mit Befunden, Entscheiden und Berechnung (CSV)", "Data"))
    document = {
        "kind": "invoice_audit",
        "invoice_id": str(invoice.id),
        "provider": invoice.provider,
        "period": invoice.period,
        "version": sub["version"],
    }
    context = {
        "title": f"Prüfbericht Rechnung {provider.name} {Period.parse(invoice.period).label_de()}",
        "provider": provider,
        "invoice": view,
        "lines": printed,
        "line_count": len(lines),
        "cut": cut,
        "decisions": decisions[:PRINTED_LINES],
        "decisions_total": len(decisions),
        "history": history,
        "versions": versions,
        "status_de": labels.review_status(view["status"]),
        "review": review,
        "returned_reason": view.get("returned_reason"),
        "reevaluations": getattr(invoice, "reevaluations", []),
        "open_findings": sum(1 for ln in lines for f in ln["findings"] if not f.get("review"))
        + sum(1 for n in notices if not n.get("review")),
        "findings_count": sum(len(ln["findings"]) for ln in lines) + len(notices),
        "finding_groups": groups[:PRINTED_LINES],
        "groups_total": len(groups),
        "lines_attachment": LINES_ATTACHMENT,
    }
    return context, files, document, events


def _lines(checked: list[dict], submission: dict, catalogue) -> list[dict]:
    """The checked lines with German names, each finding's label and decision, and the calculation."""
    lines = []
    for line in checked:
        findings = [_labelled(f) for f in line_findings(line)]  # the notices are printed once, as groups
        lines.append(
            {
                **line,
                "findings": findings,
                "programme_de": labels.programme(line["programme"], catalogue),
                "funding_de": labels.funding(line.get("funding")),
                "unit_de": labels.unit(line["unit"]),
                "cost_approval": _parsed_field(submission, line["row"], "cost_approval"),
                # the trace repeats each finding's message first; the findings print it already
                "trace": [
                    t
                    for t in line.get("trace", [])
                    if t not in {f"{f['message']} ({f['rule']})" for f in line["findings"]}
                ],
            }
        )
    return lines


def _printed(lines: list[dict]) -> tuple[list[dict], dict | None]:
    """The lines the report prints: all of them, or for a longer invoice those with a finding of their own (at
    most PRINTED_LINES), and what was left out (None when nothing): {"shown", "with_findings", "total"}."""
    if len(lines) <= PRINTED_LINES:
        return lines, None
    found = [ln for ln in lines if ln["findings"]]
    return found[:PRINTED_LINES], {"shown": min(len(found), PRINTED_LINES), "with_findings": len(found),
                                   "total": len(lines)}


def _labelled(f: dict) -> dict:
    decided = f.get("review")
    return {**f, "label": labels.check_title(f["code"]), "severity_de": labels.severity(f["severity"]),
            "decision_de": labels.decision(decided["decision"]) if decided else None}


def _finding_groups(lines: list[dict], notices: list[dict]) -> list[dict]:
    """Each distinct finding once, with the rows it concerns and how many are open/confirmed/waived; a notice
    about the whole invoice is one finding, decided once for all its rows."""
    groups: dict[tuple, dict] = {}
    for n in notices:
        group = {"code": n["code"], "severity": n["severity"], "severity_de": n["severity_de"], "label": n["label"],
                 "rule": n.get("rule"), "message": n["message"], "rows": list(n["rows"]), "open": 0, "confirmed": 0,
                 "waived": 0}
        group[n["review"]["decision"] if n.get("review") else "open"] = 1
        groups[("notice", n["code"], n["message"])] = group
    for line in lines:
        for f in line["findings"]:
            g = groups.setdefault(
                (f["code"], f["severity"], f.get("rule"), f["message"]),
                {
                    "code": f["code"],
                    "severity": f["severity"],
                    "severity_de": f["severity_de"],
                    "label": f["label"],
                    "rule": f.get("rule"),
                    "message": f["message"],
                    "rows": [],
                    "open": 0,
                    "confirmed": 0,
                    "waived": 0,
                },
            )
            g["rows"].append(line["row"])
            g[f["review"]["decision"] if f.get("review") else "open"] += 1
    finding_groups = sorted(groups.values(), key=lambda g: (g["severity"] != "error", g["rows"][0], g["code"]))
    for g in finding_groups:
        g["rows_text"] = row_ranges(g["rows"], limit=20)  # a notice on every line of 10,000 was 290 pages
    return finding_groups


def _decisions(review, names: dict[str, str]) -> list[dict]:
    if review is None:
        return []
    return [
        {**d, "decision_de": labels.decision(d["decision"]), "label": labels.check_title(d["code"]),
         "actor": person(d.get("actor"), names)}
        for d in sorted(review.opened_decisions(), key=lambda d: (d["row"], d["code"]))
    ]


def _versions(invoice: Invoice, names: dict[str, str], provider_name: str) -> tuple[list[EmbeddedFile], list[dict]]:
    """Every version as received: its row in «Versionen» and its original upload as an attachment."""
    files = []
    versions = []
    for s in invoice.submissions:
        name = f"original-v{s['version']}{_safe_ext(s.get('filename'), s.get('content_type'))}"
        if s.get("original") is not None:  # None: deleted after the retention period (crypto-shredding)
            files.append(
                EmbeddedFile(
                    name,
                    s["original"],
                    f"Eingereichte Datei, Version {s['version']} ({s.get('filename') or 'ohne Namen'})",
                    "Source",
                )
            )
        versions.append(
            {
                "version": s["version"],
                "received_at": s["received_at"],
                "actor": person(s.get("actor"), names, provider_name),
                "filename": s.get("filename"),
                "sha256": s["sha256"],
                "attachment": name,
                "totals": s["result"]["totals"],
            }
        )
    return files, versions


def _parsed_field(submission: dict, row: int, key: str):
    for line in submission.get("lines", []):
        if line.get("row") == row:
            return line.get(key)
    return None


def _safe_ext(filename: str | None, content_type: str | None) -> str:
    if filename:
        m = re.search(r"\.([A-Za-z0-9]{1,5})$", filename)
        if m:
            return "." + m.group(1).lower()
    return CONTENT_EXT.get((content_type or "").split(";")[0].strip(), ".bin")
