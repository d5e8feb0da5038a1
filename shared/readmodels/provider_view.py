"""A provider's months and findings from the read models: the provider's home and the supervisor's file.

No document is replayed: the months, their invoices (latest version, status, totals, counts) and capacity
reports, and every finding with its decision come from the views in one read transaction (a handful of
statements whatever the number of months). The views hold pseudonyms and sealed texts only: the participant
numbers and messages of the findings shown, the file names and the comments are opened here with the keys,
one key-vault query for all of them (a shredded participant reads «gelöscht», as on the invoice's page)."""
from __future__ import annotations

import base64
import json

import msgspec

from shared.checks.rules import ORDER
from shared.kernel.paging import page_of
from shared.kernel.periods import Period
from shared.privacy.adapters.key_vault import cipher
from shared.privacy.sealing import SHREDDED, open_text, shredded_name, text_token
from shared.readmodels import finding_counts
from shared.readmodels.centimes import amount
from shared.readmodels.statements import DECIDED, in_list
from shared.review.domain.status import status_of
from shared.submissions.domain.deadlines import month_due

PAGE_SIZE = 50  # findings per page of the provider's file; all of an invoice's stand on the invoice's page

INVOICES = """
SELECT i.invoice_id, i.period, i.version, i.received_at, i.first_received_at, i.filename, i.claimed, i.allowed,
    i.reduction, i.lines, r.approved_version, r.returned_version, r.returned_reason
FROM invoices i LEFT JOIN reviews r ON r.invoice_id = i.invoice_id WHERE i.provider = ? ORDER BY i.ordinal
"""
REPORTS = """
SELECT report_id, period, version, first_received_at, received_at, filename FROM capacity_reports
WHERE provider = ? ORDER BY ordinal
"""
REPORT_ROWS = """
SELECT report_id, programme, SUM(places), SUM(occupied) FROM capacity_rows WHERE provider = ?
GROUP BY report_id, programme
"""
FINDINGS = """
SELECT f.invoice_id, f.period, f.seq, f.line_row, f.code, f.severity, f.subject, f.sealed_key, f.finding,
    d.decision, d.comment, d.actor, d.version
FROM page_findings f
""" + DECIDED + """
WHERE f.provider = ?
"""
SEALED = """
SELECT invoice_id, subject, sealed FROM sealed_participants WHERE invoice_id IN {in} AND subject IN {subjects}
"""

_decode = msgspec.json.Decoder().decode


def provider_months(portal, provider: str, *, whole_year: bool = False, findings: bool = False):
    """Newest month first: every month with a document, and the month now due while nothing came for it (with
    `whole_year`, every month of its year up to it); as shared.submissions' months, without each invoice's
    findings, their documents' file names still sealed (`open_file_names` opens those of the months shown).
    With `findings`: (months, every finding of the provider in the file's order, opened or not yet)."""
    portal.views.catch_up()
    with portal.views.store.read() as tx:
        invoices = tx.execute(INVOICES, (provider,))
        counts = tx.execute(finding_counts.OF_PROVIDER, (provider,))  # counted by the projector
        reports = tx.execute(REPORTS, (provider,))
        report_rows = tx.execute(REPORT_ROWS, (provider,))
        found = tx.execute(FINDINGS, (provider,)) if findings else []
    months = _months(portal.reporting, provider, whole_year, invoices, counts, reports, report_rows)
    if not findings:
        return months
    order = {row[0]: i for i, row in enumerate(invoices)}
    versions = {row[0]: row[2] for row in invoices}
    return months, _sorted_findings(found, order, versions)


def provider_file(portal, slug: str, *, year: int | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """provider (the register entry), offerings, months (newest first: the year now due so far and every month
    with a document; only those of `year` if given), years (with a document, newest first), year, findings
    (page `page` of `page_size`, opened), findings_total, page, pages, summary (per rule: open, confirmed,
    waived, count; all pages)."""
    from shared.register.application.views import offering_dict

    sup = portal.supervision
    provider = sup.provider(slug)
    with portal.views.snapshot():  # the page's reads: one moment
        months, findings = provider_months(portal, slug, whole_year=True, findings=True)
        years = sorted({int(m["period"][:4]) for m in months}, reverse=True)
        if year is not None:
            prefix = f"{int(year):04d}-"
            months = [m for m in months if m["period"].startswith(prefix)]
            findings = [f for f in findings if f["period"].startswith(prefix)]
        open_file_names(portal.reporting.sealer, months)
        page_findings, paged = page_of(findings, page, page_size)
        page, pages = paged["page"], paged["pages"]
        shown = open_findings(portal, page_findings)
    return {"provider": provider, "offerings": [offering_dict(o) for o in sup.offerings(slug)], "months": months,
            "years": years, "year": year, "findings": shown, "findings_total": len(findings), "page": page,
            "pages": pages, "summary": by_rule(findings)}


def provider_home(portal, provider: str, year: int | None = None) -> dict:
    """What a provider's home page shows: what needs doing first (provider_todo, from every month), the months
    of one year (`year`; else the newest year with a document, else this year; a missing month shows as the
    supervisor sees it) with `years` (every year with a month, newest first), its offerings and service
    agreements as the canton registered them, and the Kostengutsprachen that expire or run out within a month."""
    from shared.register.application.views import agreement_dict, offering_dict
    from shared.submissions.application.todo import provider_todo

    sup = portal.supervision
    rep = portal.reporting
    today = rep.clock().date()
    months = provider_months(portal, provider, whole_year=True)
    years = sorted({int(m["period"][:4]) for m in months}, reverse=True)
    if year is None:
        year = next((int(m["period"][:4]) for m in months if m["invoices"] or m["reports"]), today.year)
    shown = open_file_names(rep.sealer, [m for m in months if m["period"].startswith(f"{year:04d}-")])
    return {"months": shown, "years": years, "year": year,
            "todo": provider_todo(months, rep.deadlines, today),
            "offerings": [offering_dict(o) for o in sup.offerings(provider)],
            "agreements": [agreement_dict(a) for a in sup.agreements(provider)],
            "approval_warnings": rep.cost_approval_warnings(provider)}


def by_rule(findings: list[dict]) -> list[dict]:
    """The findings counted per rule, in the rules' order: open, confirmed, waived and in all."""
    summary: dict[str, dict] = {}
    for f in findings:
        c = summary.setdefault(f["code"], {"code": f["code"], "severity": f["severity"], "open": 0, "confirmed": 0,
                                           "waived": 0, "count": 0})
        c["count"] += 1
        c[f["review"]["decision"] if f.get("review") else "open"] += 1
    return sorted(summary.values(), key=lambda c: ORDER.get(c["code"], 99))


# --- the months ----------------------------------------------------------------------------------------
def _months(rep, provider, whole_year, invoices, counts, reports, report_rows) -> list[dict]:
    sealer, today = rep.sealer, rep.clock().date()
    due = month_due(today)
    wanted = {str(Period(due.year, m)) for m in range(1, due.month + 1)} if whole_year else {str(due)}
    per_invoice: dict[str, dict] = {}
    for iid, severity, n, still_open in counts:
        c = per_invoice.setdefault(iid, {"error": 0, "warning": 0, "open": 0, "total": 0})
        c[severity] = c.get(severity, 0) + int(n)
        c["total"] += int(n)
        c["open"] += int(still_open or 0)
        c["open_" + severity] = int(still_open or 0)
    by_month: dict[str, tuple[list, list, list, list]] = {}
    for iid, period, version, received, first, filename, claimed, allowed, reduction, lines, appr, ret, reason \
            in invoices:
        month = by_month.setdefault(period, ([], [], [], []))
        month[1].append(first)
        status = status_of(version, appr, ret)
        found = per_invoice.pop(iid, {"error": 0, "warning": 0, "open": 0, "total": 0})
        month[0].append({"id": iid, "version": version, "status": status,
                         "received_at": received, "filename": filename,
                         "totals": {"claimed": amount(claimed), "allowed": amount(allowed),
                                    "reduction": amount(reduction)},
                         "counts": {k: v for k, v in found.items() if not k.startswith("open_")},
                         "lines": lines, "open_errors": found.get("open_error", 0),
                         "returned_reason": None if reason is None else open_text(reason, sealer)})
    sums: dict[str, list] = {}
    for rid, programme, places, occupied in report_rows:
        s = sums.setdefault(rid, [0, 0, set()])
        s[0] += int(places or 0)
        s[1] += int(occupied or 0)
        s[2].add(programme)
    for rid, period, version, first, received, filename in reports:
        places, occupied, programmes = sums.get(rid, (0, 0, set()))
        month = by_month.setdefault(period, ([], [], [], []))
        month[3].append(first)
        month[2].append({
            "id": rid, "version": version, "late": rep.deadlines.is_late(Period.parse(period), first),
            "received_at": received, "filename": filename, "places": places,
            "occupied": occupied, "programmes": sorted(programmes)})
    months = []
    for p in sorted(set(by_month) | wanted, reverse=True):
        period = Period.parse(p)
        invs, first_received, reps, reports_received = by_month.get(p, ([], [], [], []))
        months.append({"period": p, "deadline": rep.deadlines.deadline(period), "invoices": invs,
                       "reports": reps, "due": p == str(due),
                       "invoice_status": rep.deadlines.status(period, first_received, today),
                       "report_status": rep.deadlines.status(period, reports_received, today)})
    return months


# --- the findings --------------------------------------------------------------------------------------
def _sorted_findings(rows, order: dict[str, int], versions: dict[str, int]) -> list[dict]:
    """Open before decided, the newest month first, errors before warnings, then by row and the rules'
    order; ties in the months' order (invoices as filed, findings as the invoice lists them)."""
    findings = []
    for iid, period, seq, row, code, severity, subject, key, stored, decision, comment, actor, version in rows:
        f = {"invoice": iid, "period": period, "version": versions[iid], "code": code, "severity": severity,
             "_row": row, "_subject": subject, "_key": key, "_stored": stored, "_at": (order[iid], seq)}
        if decision is not None:
            f["review"] = {"row": row, "code": code, "decision": decision, "comment": comment, "actor": actor,
                           "version": version}
        findings.append(f)

    newest_first: dict[str, tuple[int, int]] = {}  # each month parsed once (a provider has ~1,000 findings)

    def place(f: dict) -> tuple:
        month = newest_first.get(f["period"])
        if month is None:
            p = Period.parse(f["period"])
            month = newest_first[f["period"]] = (-p.year, -p.month)
        return (bool(f.get("review")), month, f["severity"] != "error", f["_row"], ORDER.get(f["code"], 99), f["_at"])

    findings.sort(key=place)
    return findings


def open_findings(portal, findings: list[dict]) -> list[dict]:
    """The findings as the page shows them: the stored finding with its row, the participant's number and
    the messages opened with their keys (one key-vault query), each decision's comment opened."""
    sealer = portal.reporting.sealer
    wanted = {(f["invoice"], f["_subject"]) for f in findings if f["_subject"]}
    ciphertexts: dict[tuple[str, str], str] = {}
    if wanted:
        ids, subjects = sorted({w[0] for w in wanted}), sorted({w[1] for w in wanted})
        sql = SEALED.replace("{in}", in_list(len(ids))).replace("{subjects}", in_list(len(subjects)))
        with portal.views.store.read() as tx:
            for iid, subject, sealed in tx.execute(sql, [*ids, *subjects]):
                ciphertexts[(iid, subject)] = sealed
    keys = sealer.vault.keys({s for _, s in ciphertexts}, create=False) if ciphertexts and sealer else {}
    warm_keys(sealer, [f["review"]["comment"] for f in findings if f.get("review")])
    opened: dict[tuple[str, str], dict | None] = {}
    result = []
    for f in findings:
        stored = json.loads(f["_stored"])
        shown = {k: v for k, v in f.items() if not k.startswith("_")}
        if "rows" in stored:  # a notice about the whole invoice: once, with its rows, no participant
            entry = {**shown, "row": stored["rows"][0], "participant": None, **stored}
        else:
            participant = _participant(f, ciphertexts, keys, opened, stored)  # opens the message into stored
            entry = {**shown, "row": f["_row"], **stored, "participant": participant}
        if "review" in f:
            entry["review"] = {**f["review"], "comment": open_text(f["review"]["comment"], sealer)}
        result.append(entry)
    return result


def _participant(f: dict, ciphertexts: dict, keys: dict, opened: dict, stored: dict) -> str:
    """The participant's number (and the finding's sealed message into `stored`); «gelöscht» when shredded."""
    at = (f["invoice"], f["_subject"])
    if at not in ciphertexts:  # a result stored before sealing names the participant itself
        return f["_subject"]
    if at not in opened:
        key = keys.get(f["_subject"])
        opened[at] = None if key is None else _decode(cipher(key).decrypt(base64.b64decode(ciphertexts[at])))
    personal = opened[at]
    if personal is None:
        if stored.get("message") is None:
            stored["message"] = f"({SHREDDED})"
        return shredded_name(f["_subject"])
    if f["_key"] is not None:
        stored["message"] = personal.get("m", {}).get(f["_key"])
    return personal["p"]


def open_file_names(sealer, months: list[dict]) -> list[dict]:
    """The file names of these months' invoices and capacity reports opened, in place (one key-vault query for
    all of them): a provider's file spans years, a page shows one (profile of issue 16: opening the names of
    every year was an eighth of the provider's home)."""
    documents = [d for m in months for d in (*m["invoices"], *m["reports"])]
    warm_keys(sealer, [d["filename"] for d in documents])
    for d in documents:
        d["filename"] = open_text(d["filename"], sealer)
    return months


def warm_keys(sealer, texts) -> None:
    """One key-vault query for the keys of these sealed texts (the vault keeps them a while)."""
    subjects = {token[0] for t in texts if (token := text_token(t)) is not None}
    if subjects and sealer is not None:
        sealer.vault.keys(subjects, create=False)
