"""One provider's year and the canton's year as a signed checkpoint saw them: months, costs, occupancy, findings.

Whether a month's invoice or capacity report came in, late or not at all is the deadline rule's word
(`portal.reporting.deadlines`); every German name comes from shared.presentation.labels.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict, defaultdict
from datetime import date
from decimal import Decimal

from shared.checks.notices import first_rows, invoice_notices, is_notice
from shared.checks.trace import units_de
from shared.kernel.money import ZERO
from shared.kernel.periods import MONTHS_DE, Period
from shared.presentation import labels
from shared.presentation.pdf.snapshot import Snapshot
from shared.review.domain.review import review_id
from shared.submissions.domain.capacity_report import CapacityReport
from shared.submissions.domain.invoice import Invoice
from shared.submissions.domain.provider_month import provider_ledger_id, provider_month_id

CANTON_TOTALS = ("claimed", "allowed", "reduction", "invoices", "reports", "late", "lines", "participants",
                 "findings", "open")
AMOUNTS = ("claimed", "allowed", "reduction")
_REUSED: OrderedDict[tuple, tuple[dict, dict]] = OrderedDict()  # figures of a provider's year per checkpoint
_REUSED_MAX = 128
_reused_lock = threading.Lock()


def reused_provider_year(portal, snap: Snapshot, slug: str, year: int, today: date) -> dict:
    """provider_year, computed once per checkpoint: a signed checkpoint pins every aggregate it covers, so the
    figures of a provider's year (and the aggregates they were read from, which the snapshot then embeds with
    their proofs as if read again) stay what they were until the store has moved on to a new checkpoint."""
    key = (portal.settings, snap.digest.digest, slug, year, today)
    with _reused_lock:
        hit = _REUSED.get(key)
        if hit is not None:
            _REUSED.move_to_end(key)
    if hit is None:
        outer, snap.used = snap.used, {}
        try:
            data = provider_year(portal, snap, slug, year, today)
        finally:
            used, snap.used = snap.used, {**outer, **snap.used}
        hit = (data, used)
        with _reused_lock:
            _REUSED[key] = hit
            while len(_REUSED) > _REUSED_MAX:
                _REUSED.popitem(last=False)
    snap.used.update(hit[1])
    return copy.deepcopy(hit[0])  # the caller's to change


def provider_year(portal, snap: Snapshot, slug: str, year: int, today: date) -> dict:
    """One provider's year as the checkpoint saw it: months, programme costs, occupancy, findings."""
    rep = portal.reporting
    catalogue = portal.supervision.catalogue()
    ledger = snap.get("reporting", provider_ledger_id(slug))
    periods = set(ledger.periods) if ledger else set()
    months, programmes = [], {}
    findings: dict[str, dict] = {}
    participants: set[str] = set()
    totals = {"claimed": ZERO, "allowed": ZERO, "invoices": 0, "reports": 0, "late": 0, "lines": 0}
    for m in range(1, 13):
        period = Period(year, m)
        p = str(period)
        invoices, reports = _documents(snap, slug, p) if p in periods else ([], [])
        inv_status = rep.deadlines.status(period, [i.first_received_at for i in invoices], today)
        cap_status = rep.deadlines.status(period, [r.submissions[0]["received_at"] for r in reports], today)
        claimed = allowed = ZERO
        n_findings = n_open = 0
        for inv in invoices:
            review = snap.get("supervision", review_id(inv.id))
            first = first_rows(invoice_notices(inv.result["lines"]))
            claimed += Decimal(inv.result["totals"]["claimed"])
            allowed += Decimal(inv.result["totals"]["allowed"])
            for line in inv.result["lines"]:
                participants.add(line["participant"])
                prog = programmes.setdefault(
                    line["programme"],
                    {
                        "slug": line["programme"],
                        "name": labels.programme(line["programme"], catalogue),
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
                    if is_notice(f) and first[(f["code"], f["message"])] != line["row"]:
                        continue  # a notice about the whole invoice counts once, at its first row (as on its page)
                    n_findings += 1
                    outcome = _count_finding(findings, f, line, review)
                    if outcome == "open":
                        n_open += 1
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


def canton_year(year: int, rows: list[tuple]) -> dict:
    """The canton's year from each provider's (`rows`: (provider, provider_year)): months, providers,
    programme types and findings, summed."""
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
                {"name": prog["name"], "claimed": ZERO, "allowed": ZERO, "lines": 0, "participants": 0,
                 "providers": 0},
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
    totals = {k: sum((d["totals"][k] for _, d in rows), ZERO if k in AMOUNTS else 0) for k in CANTON_TOTALS}
    return {
        "year": year,
        "months": months,
        "totals": totals,
        "providers": [{"slug": p.slug, "name": p.name, **d["totals"]} for p, d in rows],
        "several_invoices": [{"provider": p.name, "month": m["label"], "invoices": m["invoices"]}
                             for p, d in rows for m in d["months"] if m["invoices"] > 1],
        "programmes": sorted(programmes.values(), key=lambda x: -x["allowed"]),
        "findings": sorted(findings.values(), key=lambda f: (-f["count"], f["code"])),
    }


def _documents(snap: Snapshot, slug: str, period: str) -> tuple[list[Invoice], list[CapacityReport]]:
    """The invoices and capacity reports of one provider's month, as the checkpoint knows them."""
    pm = snap.get("reporting", provider_month_id(slug, period))
    if pm is None:
        return [], []
    invoices = [i for i in (snap.get("reporting", iid) for iid in pm.invoice_ids) if i is not None]
    reports = [r for r in (snap.get("reporting", rid) for rid in pm.capacity_report_ids) if r is not None]
    return invoices, reports


def _count_finding(findings: dict[str, dict], f: dict, line: dict, review) -> str:
    """Count one finding under its code and its outcome (open, confirmed, waived); returns the outcome."""
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
    if f["severity"] == "error":
        entry["reduction"] += Decimal(line["claimed"]) - Decimal(line["allowed"])
    return outcome


def _capacity_rows(reports: list[CapacityReport]) -> dict:
    rows = {}
    for report in reports:  # in filing order: a later report's row replaces an earlier one
        for d in report.latest["rows"]:
            rows[(d["programme"], d.get("offering"))] = d
    return rows
