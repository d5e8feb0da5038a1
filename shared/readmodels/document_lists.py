"""The provider's documents as the API lists them, from the views: invoices and capacity reports.

`GET /api/v1/invoices` (latest versions, without lines): the same dicts as replaying each invoice and its review
(InvoiceCommands.invoice_view with_lines=False; both are made by invoice_dict and put_review_state): the invoice's
row (version, receipt, edition, totals, the parser's warnings, the file name as a sealed token), its notices about
the whole document as the provider's pages list them (page_findings) with their decisions, and its review's state.
Two statements in one read transaction, whatever the number of invoices; the file names and the decisions'
comments and return reasons are opened here, one key-vault query for all of them.

`GET /api/v1/capacity-reports`: the same dicts as CapacityApplication.capacity_report_view, one statement (rows
and warnings as the latest version holds them, late by the first receipt)."""
from __future__ import annotations

import msgspec

from shared.checks.notices import DOCUMENT_NOTICES
from shared.privacy.sealing import open_text
from shared.readmodels.centimes import amount
from shared.readmodels.provider_findings import warm_keys
from shared.readmodels.statements import DECIDED, in_list
from shared.review.domain.status import put_review_state
from shared.submissions.application.answer import invoice_dict
from shared.submissions.application.capacity import capacity_report_dict

INVOICES = """
SELECT i.invoice_id, i.period, i.version, i.received_at, i.edition, i.filename, i.claimed, i.allowed, i.reduction,
    i.warnings, r.approved_version, r.returned_version, r.returned_reason
FROM invoices i LEFT JOIN reviews r ON r.invoice_id = i.invoice_id
WHERE i.provider = ? {period} ORDER BY i.period, i.ordinal
"""
NOTICES = """
SELECT f.invoice_id, f.finding, d.line_row, d.code, d.decision, d.comment, d.actor, d.version
FROM page_findings f
""" + DECIDED + """
WHERE f.provider = ? {period} AND f.code IN {codes} ORDER BY f.invoice_id, f.seq
"""

REPORTS = """
SELECT report_id, period, version, first_received_at, received_at, filename, rows_json, warnings
FROM capacity_reports WHERE provider = ? {period} ORDER BY period, ordinal
"""

_decode = msgspec.json.Decoder().decode


def invoice_list(portal, provider: str, period: str | None = None) -> list[dict]:
    """The provider's invoices (of one month "YYYY-MM"), months in order, each month's in order of receipt."""
    where = "AND {}.period = ?"  # the table's alias
    codes = sorted(DOCUMENT_NOTICES)
    portal.views.catch_up()
    with portal.views.store.read() as tx:
        invoices = tx.execute(INVOICES.replace("{period}", where.format("i") if period else ""),
                              (provider, period) if period else (provider,))
        notices = tx.execute(NOTICES.replace("{period}", where.format("f") if period else "")
                             .replace("{codes}", in_list(len(codes))),
                             ((provider, period) if period else (provider,)) + tuple(codes))
    sealer = portal.reporting.sealer
    warm_keys(sealer, [r[5] for r in invoices] + [r[12] for r in invoices] + [r[5] for r in notices])
    by_invoice: dict[str, list[dict]] = {}
    for iid, finding, row, code, decision, comment, actor, version in notices:
        notice = _decode(finding)
        if decision is not None:
            notice["review"] = {"row": int(row), "code": code, "decision": decision,
                                "comment": open_text(comment, sealer), "actor": actor, "version": int(version)}
        by_invoice.setdefault(iid, []).append(notice)
    return [_invoice(provider, row, by_invoice.get(row[0], []), sealer) for row in invoices]


def _invoice(provider: str, row: tuple, notices: list[dict], sealer) -> dict:
    (iid, period, version, received_at, edition, filename, claimed, allowed, reduction, warnings, approved,
     returned, reason) = row
    view = invoice_dict(iid, provider, period, version, received_at, edition, open_text(filename, sealer),
                        {"claimed": amount(claimed), "allowed": amount(allowed), "reduction": amount(reduction)},
                        _decode(warnings) if warnings else [], notices)
    return put_review_state(view, None if approved is None else int(approved),
                            None if returned is None else int(returned),
                            None if returned is None else open_text(reason, sealer))


def capacity_report_list(portal, provider: str, period: str | None = None) -> list[dict]:
    """The provider's capacity reports (of one month "YYYY-MM"), months in order, each month's in order of receipt."""
    rep = portal.reporting
    portal.views.catch_up()
    with portal.views.store.read() as tx:
        reports = tx.execute(REPORTS.replace("{period}", "AND period = ?" if period else ""),
                             (provider, period) if period else (provider,))
    warm_keys(rep.sealer, [r[5] for r in reports])
    return [capacity_report_dict(rep, rid, provider, month, version, first_received_at, received_at, filename,
                                 _decode(rows), _decode(warnings) if warnings else [])
            for rid, month, version, first_received_at, received_at, filename, rows, warnings in reports]
