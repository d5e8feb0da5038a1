"""A provider's findings as the supervisor's file lists them: one page in the file's order and the count per rule,
each from one statement on the views, and only the page's findings opened (participant numbers, sealed messages,
decisions' comments: one key-vault query). The file spans every year: sorting all of a provider's findings in
Python on each request grew with every month filed (933 findings of the busiest provider on the load store)."""
from __future__ import annotations

import base64
import json

import msgspec

from shared.checks.rules import ORDER
from shared.kernel.paging import clamped, page_count
from shared.privacy.adapters.key_vault import cipher
from shared.privacy.sealing import SHREDDED, open_text, shredded_name, text_token
from shared.readmodels.statements import DECIDED, RULE_ORDER, in_list

PAGE_SIZE = 50  # findings per page of the provider's file; all of an invoice's stand on the invoice's page

_OF = """
FROM page_findings f {invoices}
""" + DECIDED + """
WHERE f.provider = ? {year}
"""
# open before decided, the newest month first, errors before warnings, then by row and the rules' order; ties in
# the month's order (invoices as filed, findings as the invoice lists them)
PAGE = ("SELECT f.invoice_id, f.period, i.version, f.line_row, f.code, f.severity, f.subject, f.sealed_key, "
        "f.finding, d.decision, d.comment, d.actor, d.version "
        + _OF.replace("{invoices}", "JOIN invoices i ON i.invoice_id = f.invoice_id")
        + "ORDER BY CASE WHEN d.invoice_id IS NULL THEN 0 ELSE 1 END, f.period DESC, "
        + "CASE WHEN f.severity = 'error' THEN 0 ELSE 1 END, f.line_row, " + RULE_ORDER + ", i.ordinal, f.seq "
        + "LIMIT ? OFFSET ?")
PER_RULE = ("SELECT f.code, f.severity, d.decision, COUNT(*) " + _OF.replace("{invoices}", "")
            + "GROUP BY f.code, f.severity, d.decision")
SEALED = """
SELECT invoice_id, subject, sealed FROM sealed_participants WHERE invoice_id IN {in} AND subject IN {subjects}
"""

_decode = msgspec.json.Decoder().decode


def findings_page(portal, provider: str, year: int | None, page: int, page_size: int = PAGE_SIZE) -> dict:
    """findings (page `page` of `page_size`, opened), findings_total, page, pages, summary (per rule in the
    rules' order: open, confirmed, waived, count; all pages); of one year if given."""
    params: list = [provider]
    where = ""
    if year is not None:
        where = "AND f.period BETWEEN ? AND ?"
        params += [f"{int(year):04d}-01", f"{int(year):04d}-12"]
    with portal.views.store.read() as tx:
        summary = per_rule(tx.execute(PER_RULE.replace("{year}", where), params))
        total = sum(c["count"] for c in summary)
        pages = page_count(total, page_size)
        page = clamped(page, pages)
        rows = tx.execute(PAGE.replace("{year}", where), [*params, page_size, (page - 1) * page_size])
    return {"findings": open_findings(portal, [_finding(*row) for row in rows]), "findings_total": total,
            "page": page, "pages": pages, "summary": summary}


def per_rule(rows) -> list[dict]:
    """The counts per rule, in the rules' order, from (code, severity, decision or None, count)."""
    summary: dict[str, dict] = {}
    for code, severity, decision, n in sorted(rows, key=lambda r: r[1] != "error"):  # a code's severity: an error
        c = summary.setdefault(code, {"code": code, "severity": severity, "open": 0, "confirmed": 0, "waived": 0,
                                      "count": 0})
        c["count"] += int(n)
        c[decision or "open"] += int(n)
    return sorted(summary.values(), key=lambda c: ORDER.get(c["code"], 99))


def _finding(iid, period, version, row, code, severity, subject, key, stored, decision, comment, actor,
             decided_version) -> dict:
    f = {"invoice": iid, "period": period, "version": version, "code": code, "severity": severity, "_row": row,
         "_subject": subject, "_key": key, "_stored": stored}
    if decision is not None:
        f["review"] = {"row": row, "code": code, "decision": decision, "comment": comment, "actor": actor,
                       "version": decided_version}
    return f


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


def warm_keys(sealer, texts) -> None:
    """One key-vault query for the keys of these sealed texts (the vault keeps them a while)."""
    subjects = {token[0] for t in texts if (token := text_token(t)) is not None}
    if subjects and sealer is not None:
        sealer.vault.keys(subjects, create=False)
