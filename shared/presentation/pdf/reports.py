"""The three PDFs: an invoice's audit PDF, a provider's annual report, the canton's annual report.

Each one first writes (or reuses) a signed checkpoint of both services, reads the store as that
checkpoint saw it, and prints the checkpoint's position and root. Source data are embedded (PDF/A-3
attachments): the original uploads and the events with their inclusion proofs; the figures of a report.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from shared.audit.application.checkpoints import StoreDigest, checkpoint_store, key_id, load_signing_key
from shared.audit.application.verify import EVENTS_FORMAT, EVENTS_NAME
from shared.audit.domain.chain import canonical_originator
from shared.checks.trace import units_de
from shared.kernel.errors import Invalid, NotFound
from shared.kernel.money import ZERO, amount_str
from shared.kernel.periods import MONTHS_DE, Period
from shared.presentation import labels
from shared.presentation.pdf import charts
from shared.presentation.pdf.render import EmbeddedFile, render_pdf
from shared.presentation.pdf.snapshot import Snapshot
from shared.review.domain.review import review_id
from shared.review.domain.status import apply_review
from shared.store.history import Entry
from shared.submissions.application.history import entry_totals
from shared.submissions.domain.capacity_report import CapacityReport
from shared.submissions.domain.invoice import Invoice
from shared.submissions.domain.provider_month import provider_ledger_id, provider_month_id

CONTENT_EXT = {
    "text/csv": ".csv",
    "application/json": ".json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
OFFICE = "Kanton Solothurn · Amt für Gesellschaft und Soziales · Aufsicht Arbeitsmarktintegration"


# --- common -------------------------------------------------------------------------------------
def _now_local(portal) -> datetime:
    return portal.reporting.clock()


def _audit_context(digest: StoreDigest, key_hex: str, kid: str) -> dict:
    rows = []
    for service, cp in sorted(digest.checkpoints.items()):
        rows.append(
            {
                "service": service,
                "label": labels.SERVICE.get(service, service),
                "position": cp.position,
                "tree_size": cp.tree_size,
                "root": cp.root,
                "time": cp.time,
                "seq": cp.seq,
            }
        )
    return {"digest": digest.digest, "checkpoints": rows, "key_id": kid, "public_key": key_hex}


def _events_document(document: dict, digest: StoreDigest, events: list[dict], key_hex: str) -> bytes:
    body = {
        "format": EVENTS_FORMAT,
        "document": document,
        "store_digest": digest.digest,
        "checkpoints": {s: c.as_dict() for s, c in digest.checkpoints.items()},
        "public_key": key_hex,
        "hash": {
            "event": "SHA-256(AMI-EVENT-V1 | originator | version | topic | SHA-256(state) | previous)",
            "tree": "RFC 6962: leaf = H(0x00 | event hash), node = H(0x01 | left | right)",
        },
        "events": events,
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def _programme_names(portal) -> dict[str, str]:
    return {slug: pt.name_de for slug, pt in portal.supervision.catalogue().programme_types.items()}


def _render(
    portal, digest: StoreDigest, template: str, context: dict, files: list[EmbeddedFile], document: dict
) -> bytes:
    key = load_signing_key(portal.settings)
    key_hex = bytes(key.verify_key).hex()
    kid = key_id(key.verify_key)
    created = datetime.fromisoformat(max(cp.time for cp in digest.checkpoints.values()))
    local = created.astimezone(ZoneInfo(portal.settings.timezone))
    context = {
        **context,
        "audit": _audit_context(digest, key_hex, kid),
        "office": OFFICE,
        "made_at": local.strftime("%d.%m.%Y %H:%M"),
        "attachments": [
            {"name": f.name, "description": f.description, "size": len(f.data), "sha256": _sha(f.data)}
            for f in files
        ],
    }
    return render_pdf(
        template, context, files, document=document, store_digest=digest.digest, key=key, created=created
    )


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _safe_ext(filename: str | None, content_type: str | None) -> str:
    if filename:
        m = re.search(r"\.([A-Za-z0-9]{1,5})$", filename)
        if m:
            return "." + m.group(1).lower()
    return CONTENT_EXT.get((content_type or "").split(";")[0].strip(), ".bin")


# --- invoice audit PDF ----------------------------------------------------------------------------
def invoice_audit_pdf(portal, invoice_id: UUID) -> bytes:
    digest = checkpoint_store(portal.settings)
    with Snapshot(portal, digest) as snap:
        invoice = snap.get("reporting", invoice_id)
        if not isinstance(invoice, Invoice):
            raise NotFound("Rechnung nicht gefunden")
        review = snap.get("supervision", review_id(invoice.id))
        context, files, document, events = _invoice_context(portal, snap, invoice, review)
        events_json = _events_document(
            document, digest, events, bytes(load_signing_key(portal.settings).verify_key).hex()
        )
    files.append(
        EmbeddedFile(
            EVENTS_NAME,
            events_json,
            "Alle Ereignisse dieser Rechnung und ihrer Prüfung, wie gespeichert, mit Inklusionsbeweisen",
            "Data",
        )
    )
    return _render(portal, digest, "invoice_audit.html", context, files, document)


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
    }
    view = apply_review(view, review)
    names = _programme_names(portal)
    provider = portal.supervision.provider(invoice.provider)
    lines = []
    for line in view["lines"]:
        findings = []
        for f in line["findings"]:
            decided = f.get("review")
            findings.append(
                {
                    **f,
                    "label": labels.check_title(f["code"]),
                    "severity_de": labels.severity(f["severity"]),
                    "decision_de": labels.decision(decided["decision"]) if decided else None,
                }
            )
        lines.append(
            {
                **line,
                "findings": findings,
                "programme_de": names.get(line["programme"], line["programme"]),
                "funding_de": labels.funding(line.get("funding")),
                "unit_de": labels.unit(line["unit"]),
                "cost_approval": _parsed_field(sub, line["row"], "cost_approval"),
                # the trace repeats each finding's message first; the findings print it already
                "trace": [
                    t
                    for t in line.get("trace", [])
                    if t not in {f"{f['message']} ({f['rule']})" for f in line["findings"]}
                ],
            }
        )
    groups: dict[tuple, dict] = {}
    for line in lines:  # each distinct finding once, with the rows it concerns (warnings repeat a lot)
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
    finding_groups = sorted(
        groups.values(), key=lambda g: (g["severity"] != "error", g["rows"][0], g["code"])
    )
    for g in finding_groups:
        g["rows_text"] = _ranges(g["rows"])
    decisions = []
    if review is not None:
        for d in sorted(review.opened_decisions(), key=lambda d: (d["row"], d["code"])):
            decisions.append(
                {
                    **d,
                    "decision_de": labels.decision(d["decision"]),
                    "label": labels.check_title(d["code"]),
                }
            )
    history = []
    for service, aid in (("reporting", invoice.id), ("supervision", review.id if review else None)):
        if aid is None:
            continue
        for entry in snap.history(service, aid):
            row = _history_row(service, entry, portal.reporting.tz)
            history.append({**row, "originator_id": canonical_originator(aid)})
    history.sort(key=lambda h: h["time"])
    events = snap.event_records("reporting", invoice.id)
    if review is not None:
        events += snap.event_records("supervision", review.id)
    hashes = {(e["service"], e["originator_version"], e["originator_id"]): e for e in events}
    for h in history:
        rec = hashes.get((h["service"], h["aggregate_version"], h["originator_id"]))
        h["position"] = rec["notification_id"] if rec else None
        h["hash"] = rec["event_hash"] if rec else ""
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
                "actor": s.get("actor", ""),
                "filename": s.get("filename"),
                "sha256": s["sha256"],
                "attachment": name,
                "totals": s["result"]["totals"],
            }
        )
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
        "lines": lines,
        "decisions": decisions,
        "history": history,
        "versions": versions,
        "status_de": labels.review_status(view["status"]),
        "review": review,
        "returned_reason": view.get("returned_reason"),
        "reevaluations": getattr(invoice, "reevaluations", []),
        "open_findings": sum(1 for ln in lines for f in ln["findings"] if not f.get("review")),
        "findings_count": sum(len(ln["findings"]) for ln in lines),
        "finding_groups": finding_groups,
    }
    return context, files, document, events


def _ranges(rows: list[int]) -> str:
    """2, 5, 9–14"""
    out: list[str] = []
    start = prev = None
    for r in sorted(set(rows)):
        if start is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            out.append(f"{start}–{prev}" if prev > start else str(start))
        start = prev = r
    if start is not None:
        out.append(f"{start}–{prev}" if prev > start else str(start))
    return ", ".join(out)


def _parsed_field(submission: dict, row: int, key: str):
    for line in submission.get("lines", []):
        if line.get("row") == row:
            return line.get(key)
    return None


def _history_row(service: str, entry: Entry, tz) -> dict:
    topic_name, state = entry.event, entry.data
    submission = state.get("submission") or {}
    totals = entry_totals(entry) or {}
    details = ""
    if "Received" in topic_name or "Corrected" in topic_name:
        details = (
            f"Version {submission.get('version')}, Datei {submission.get('filename') or '–'}; verrechnet "
            f"{_chf(totals.get('claimed'))}, zulässig {_chf(totals.get('allowed'))}"
        )
    elif topic_name.endswith("Reevaluated"):
        details = f"{state.get('reason', '')}; zulässig {_chf(totals.get('allowed'))}"
    elif topic_name.endswith("FindingReviewed"):
        details = (
            f"Zeile {state.get('row')}, {state.get('code')}: {labels.decision(state.get('decision'))}"
            + (f" – «{state.get('comment')}»" if state.get("comment") else "")
        )
    elif topic_name.endswith("Approved"):
        details = f"Version {state.get('version')}" + (
            f" – «{state.get('comment')}»" if state.get("comment") else ""
        )
    elif topic_name.endswith("ReturnedForCorrection"):
        details = f"Version {state.get('version')} – «{state.get('reason', '')}»"
    return {
        "service": service,
        "service_de": labels.SERVICE.get(service, service),
        "label": labels.event(topic_name),
        "time": entry.time.astimezone(tz).isoformat(),
        "actor": entry.actor,
        "details": details,
        "aggregate_version": entry.version,
    }


def _chf(value) -> str:
    from shared.presentation.format import chf

    return chf(value) if value not in (None, "") else "–"


# --- annual figures --------------------------------------------------------------------------------
def _year(year: int) -> int:
    if not 2000 <= int(year) <= 2999:
        raise Invalid(f"Jahr «{year}» ist ungültig", "year", str(year))
    return int(year)


def provider_year(portal, snap: Snapshot, slug: str, year: int, today: date) -> dict:
    """One provider's year as the checkpoint saw it: months, programme costs, occupancy, findings."""
    rep = portal.reporting
    names = _programme_names(portal)
    ledger = snap.get("reporting", provider_ledger_id(slug))
    periods = set(ledger.periods) if ledger else set()
    months, programmes = [], {}
    findings: dict[str, dict] = {}
    participants: set[str] = set()
    totals = {"claimed": ZERO, "allowed": ZERO, "invoices": 0, "reports": 0, "late": 0, "lines": 0}
    for m in range(1, 13):
        period = Period(year, m)
        p = str(period)
        invoices: list[Invoice] = []
        reports: list[CapacityReport] = []
        if p in periods:
            pm = snap.get("reporting", provider_month_id(slug, p))
            if pm is not None:
                invoices = [
                    i for i in (snap.get("reporting", iid) for iid in pm.invoice_ids) if i is not None
                ]
                reports = [
                    r for r in (snap.get("reporting", rid) for rid in pm.capacity_report_ids) if r is not None
                ]
        inv_status = rep.deadlines.status(period, [i.first_received_at for i in invoices], today)
        cap_status = rep.deadlines.status(period, [r.submissions[0]["received_at"] for r in reports], today)
        claimed = allowed = ZERO
        n_findings = n_open = 0
        for inv in invoices:
            review = snap.get("supervision", review_id(inv.id))
            claimed += Decimal(inv.result["totals"]["claimed"])
            allowed += Decimal(inv.result["totals"]["allowed"])
            for line in inv.result["lines"]:
                participants.add(line["participant"])
                prog = programmes.setdefault(
                    line["programme"],
                    {
                        "slug": line["programme"],
                        "name": names.get(line["programme"], line["programme"]),
                        "claimed": ZERO,
                        "allowed": ZERO,
                        "lines": 0,
                        "participants": set(),
                        "units": defaultdict(lambda: ZERO),
                    },
                )
                prog["claimed"] += Decimal(line["claimed"])
                prog["allowed"] += Decimal(line["allowed"])
                prog["lines"] += 1
                prog["participants"].add(line["participant"])
                prog["units"][line["unit"]] += Decimal(line["quantity"])
                for f in line["findings"]:
                    n_findings += 1
                    entry = findings.setdefault(
                        f["code"],
                        {
                            "code": f["code"],
                            "label": labels.check_title(f["code"]),
                            "severity": f["severity"],
                            "count": 0,
                            "confirmed": 0,
                            "waived": 0,
                            "open": 0,
                            "reduction": ZERO,
                        },
                    )
                    entry["count"] += 1
                    decided = review.decision(line["row"], f["code"]) if review else None
                    outcome = decided["decision"] if decided else "open"
                    entry[outcome] = entry.get(outcome, 0) + 1
                    if outcome == "open":
                        n_open += 1
                    if f["severity"] == "error":
                        entry["reduction"] += Decimal(line["claimed"]) - Decimal(line["allowed"])
        capacity = _capacity_rows(reports)
        places = sum(r["places"] for r in capacity.values())
        occupied = sum(r["occupied"] for r in capacity.values())
        months.append(
            {
                "period": p,
                "label": MONTHS_DE[m - 1],
                "short": MONTHS_DE[m - 1][:3],
                "invoices": len(invoices),
                "reports": len(reports),
                "invoice_status": inv_status,
                "report_status": cap_status,
                "invoice_status_de": labels.document_status(inv_status),
                "report_status_de": labels.document_status(cap_status),
                "claimed": claimed,
                "allowed": allowed,
                "reduction": claimed - allowed,
                "findings": n_findings,
                "open": n_open,
                "places": places if reports else None,
                "occupied": occupied if reports else None,
                "occupancy": (Decimal(occupied) * 100 / places).quantize(Decimal("0.1"))
                if reports and places
                else None,
                "lines": sum(len(i.result["lines"]) for i in invoices),
            }
        )
        totals["claimed"] += claimed
        totals["allowed"] += allowed
        totals["invoices"] += len(invoices)
        totals["reports"] += len(reports)
        totals["late"] += inv_status == "late"
        totals["lines"] += months[-1]["lines"]
    totals["reduction"] = totals["claimed"] - totals["allowed"]
    totals["participants"] = len(participants)
    totals["findings"] = sum(f["count"] for f in findings.values())
    totals["open"] = sum(f["open"] for f in findings.values())
    prog_rows = []
    for prog in sorted(programmes.values(), key=lambda x: -x["allowed"]):
        prog_rows.append(
            {
                **prog,
                "participants": len(prog["participants"]),
                "units": ", ".join(units_de(q, u) for u, q in sorted(prog["units"].items())),
            }
        )
    return {
        "slug": slug,
        "year": year,
        "months": months,
        "programmes": prog_rows,
        "findings": sorted(findings.values(), key=lambda f: (-f["count"], f["code"])),
        "totals": totals,
    }


def _capacity_rows(reports: list[CapacityReport]) -> dict:
    rows = {}
    for report in reports:  # in filing order: a later report's row replaces an earlier one
        for d in report.latest["rows"]:
            rows[(d["programme"], d.get("offering"))] = d
    return rows



def _report_files(portal, document: dict, data: dict, digest, refs) -> list[EmbeddedFile]:
    """What an annual report embeds: its figures as JSON and the events they come from, with proofs."""
    key_hex = bytes(load_signing_key(portal.settings).verify_key).hex()
    return [
        EmbeddedFile("kennzahlen.json", _figures_json({"document": document, **data}),
                     "Die Kennzahlen dieses Berichts als JSON", "Data"),
        EmbeddedFile(EVENTS_NAME, _events_document(document, digest, refs, key_hex),
                     "Die Ereignisse, aus denen der Bericht berechnet ist, mit Inklusionsbeweisen", "Data"),
    ]

def _figures_json(data) -> bytes:
    def default(o):
        if isinstance(o, Decimal):
            return amount_str(o)
        if isinstance(o, set):
            return sorted(o)
        raise TypeError(type(o).__name__)

    return json.dumps(data, ensure_ascii=False, indent=1, default=default).encode("utf-8")


def _month_chart(months: list[dict], title: str):
    return charts.bar_chart(
        [m["short"] for m in months],
        [("Verrechnet", [m["claimed"] for m in months]), ("Zulässig", [m["allowed"] for m in months])],
        title,
    )


def _occupancy_chart(months: list[dict], title: str):
    return charts.line_chart(
        [m["short"] for m in months],
        [("Plätze", [m["places"] for m in months]), ("Belegt", [m["occupied"] for m in months])],
        title,
    )


def provider_report_pdf(portal, slug: str, year: int) -> bytes:
    year = _year(year)
    provider = portal.supervision.provider(slug)
    digest = checkpoint_store(portal.settings)
    today = _now_local(portal).date()
    with Snapshot(portal, digest) as snap:
        data = provider_year(portal, snap, slug, year, today)
        refs = snap.used_records()
    offerings = [
        o
        for o in portal.supervision.offerings(slug)
        if o.valid_from <= date(year, 12, 31) and (o.valid_to is None or o.valid_to >= date(year, 1, 1))
    ]
    names = _programme_names(portal)
    document = {"kind": "provider_report", "provider": slug, "year": year}
    files = _report_files(portal, document, data, digest, refs)
    context = {
        "title": f"Jahresbericht {year} {provider.name}",
        "provider": provider,
        "year": year,
        "data": data,
        "offerings": [
            {
                "code": o.code,
                "name": o.name,
                "programme": names.get(o.programme_type, o.programme_type),
                "location": o.location,
                "places": o.places,
                "valid_from": o.valid_from.isoformat(),
                "valid_to": o.valid_to.isoformat() if o.valid_to else None,
            }
            for o in offerings
        ],
        "month_chart": _month_chart(data["months"], "Verrechnete und zulässige Beträge pro Monat"),
        "occupancy_chart": _occupancy_chart(data["months"], "Plätze und Belegung pro Monat"),
        "programme_chart": charts.hbar_chart(
            [(p["name"], p["allowed"]) for p in data["programmes"]], "Zulässige Kosten nach Programmart"
        ),
    }
    return _render(portal, digest, "provider_report.html", context, files, document)


def canton_report_pdf(portal, year: int) -> bytes:
    year = _year(year)
    digest = checkpoint_store(portal.settings)
    today = _now_local(portal).date()
    providers = portal.supervision.providers()
    rows = []
    with Snapshot(portal, digest) as snap:
        for p in providers:
            rows.append((p, provider_year(portal, snap, p.slug, year, today)))
        refs = snap.used_records()
    months = []
    for m in range(12):
        months.append(
            {
                "short": MONTHS_DE[m][:3],
                "label": MONTHS_DE[m],
                "claimed": sum((d["months"][m]["claimed"] for _, d in rows), ZERO),
                "allowed": sum((d["months"][m]["allowed"] for _, d in rows), ZERO),
                "invoices": sum(d["months"][m]["invoices"] for _, d in rows),
                "late": sum(d["months"][m]["invoice_status"] == "late" for _, d in rows),
                "missing": sum(d["months"][m]["invoice_status"] == "missing" for _, d in rows),
            }
        )
        months[-1]["reduction"] = months[-1]["claimed"] - months[-1]["allowed"]
    programmes: dict[str, dict] = {}
    findings: dict[str, dict] = {}
    for _, d in rows:
        for prog in d["programmes"]:
            t = programmes.setdefault(
                prog["slug"],
                {
                    "name": prog["name"],
                    "claimed": ZERO,
                    "allowed": ZERO,
                    "lines": 0,
                    "participants": 0,
                    "providers": 0,
                },
            )
            t["claimed"] += prog["claimed"]
            t["allowed"] += prog["allowed"]
            t["lines"] += prog["lines"]
            t["participants"] += prog["participants"]
            t["providers"] += 1
        for f in d["findings"]:
            t = findings.setdefault(
                f["code"], {**f, "count": 0, "confirmed": 0, "waived": 0, "open": 0, "reduction": ZERO}
            )
            for k in ("count", "confirmed", "waived", "open", "reduction"):
                t[k] += f[k]
    totals = {
        k: sum((d["totals"][k] for _, d in rows), ZERO if k in ("claimed", "allowed", "reduction") else 0)
        for k in (
            "claimed",
            "allowed",
            "reduction",
            "invoices",
            "reports",
            "late",
            "lines",
            "participants",
            "findings",
            "open",
        )
    }
    data = {
        "year": year,
        "months": months,
        "totals": totals,
        "providers": [{"slug": p.slug, "name": p.name, **d["totals"]} for p, d in rows],
        "programmes": sorted(programmes.values(), key=lambda x: -x["allowed"]),
        "findings": sorted(findings.values(), key=lambda f: (-f["count"], f["code"])),
    }
    document = {"kind": "canton_report", "year": year}
    files = _report_files(portal, document, data, digest, refs)
    context = {
        "title": f"Jahresbericht {year} Aufsicht Arbeitsmarktintegration",
        "year": year,
        "data": data,
        "month_chart": _month_chart(months, "Verrechnete und zulässige Beträge aller Anbietenden pro Monat"),
        "provider_chart": charts.hbar_chart(
            [(p["name"], p["allowed"]) for p in data["providers"] if p["allowed"] > 0],
            "Zulässige Kosten nach Anbieter",
        ),
        "programme_chart": charts.hbar_chart(
            [(p["name"], p["allowed"]) for p in data["programmes"]], "Zulässige Kosten nach Programmart"
        ),
    }
    return _render(portal, digest, "canton_report.html", context, files, document)
