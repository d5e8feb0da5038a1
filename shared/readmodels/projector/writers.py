"""A batch's writes in bulk: documents, reviews, decisions, then the months' capacity and provider_months."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from shared.checks.notices import first_rows, invoice_notices, is_notice
from shared.readmodels import finding_counts
from shared.readmodels import statements as S
from shared.readmodels.centimes import cents
from shared.readmodels.projector.batch import Batch
from shared.readmodels.projector.funding import write_funding
from shared.readmodels.projector.page_findings import write_page_findings
from shared.readmodels.statements import chunks
from shared.readmodels.transactions import Tx

_encode = msgspec.json.Encoder().encode
GROUP_SIZE = 200  # months recomputed per query (a few extra rows fetched, far fewer round trips)


def flush(batch: Batch, *, group_size: int = GROUP_SIZE) -> None:
    """Everything the batch collected, then the capacity in force and provider_months of its months."""
    tx = batch.tx
    write_invoices(batch)
    write_funding(batch)
    write_reports(batch)
    tx.insert(S.INSERT_REVIEW, [(rid, *row) for rid, row in batch.new_reviews.items()])
    tx.executemany(S.UPDATE_REVIEW, [(*state, rid) for rid, state in batch.review_states.items()])
    tx.insert(S.UPSERT_DECISION, [(*key, *value) for key, value in batch.decisions.items()])
    finding_counts.recount(tx, [*(iid for iid, inv in batch.invoices.items() if inv.result is not None),
                                *(key[0] for key in batch.decisions)])
    if batch.dirty_capacity:
        recompute_capacity(tx, sorted(batch.dirty_capacity), group_size)
    if batch.dirty_months or batch.dirty_capacity:
        recompute_months(tx, sorted(batch.dirty_months | batch.dirty_capacity), group_size)


def write_invoices(batch: Batch) -> None:
    """Invoices whose result changed: their row, totals per programme, findings, and (new lines) exits."""
    rows, programmes, findings, exits, participants = [], [], [], [], []
    stale_results, stale_lines = [], []
    notices: dict[str, list[dict]] = {}  # per invoice its notices, grouped once for both tables
    for iid, inv in batch.invoices.items():
        if inv.result is None:
            continue  # preloaded, then nothing changed it
        result = inv.result
        provider, period = inv.provider, inv.period
        per_programme: dict[str, list[int]] = {}
        seq = 0
        grouped = notices[iid] = invoice_notices(result["lines"])
        first = first_rows(grouped)
        for line in result["lines"]:
            programme = line["programme"]
            agg = per_programme.get(programme)
            if agg is None:
                agg = per_programme[programme] = [0, 0, 0]
            agg[0] += 1
            agg[1] += cents(line["claimed"])
            agg[2] += cents(line["allowed"])
            for f in line["findings"]:
                findings.append((iid, seq, line["row"], f["code"], f["severity"], provider, period, programme,
                                 line.get("offering") or "",
                                 first.get((f["code"], f["message"])) if is_notice(f) else None))
                seq += 1
        for programme, (count, claimed, allowed) in per_programme.items():
            programmes.append((iid, provider, period, programme, count, claimed, allowed, claimed - allowed))
        totals = result["totals"]
        rows.append((iid, provider, period, inv.ordinal, inv.version, inv.first_received_at,
                     inv.received_at, result.get("edition"), cents(totals["claimed"]),
                     cents(totals["allowed"]), cents(totals["reduction"]), len(result["lines"]), seq,
                     inv.filename, inv.warnings))
        if not inv.new:
            stale_results.append(iid)
        if inv.lines is not None:
            if not inv.new:
                stale_lines.append(iid)
            seen: set[tuple] = set()
            billed = {line["subject"] for line in inv.lines if line.get("subject")}  # pseudonyms only
            participants += [(who, iid, provider, period) for who in sorted(billed)]
            for line in inv.lines:
                reason = line.get("exit_reason")
                if reason:
                    who = line.get("subject") or line["participant"]  # the pseudonym: the number is sealed
                    key = (line["programme"], line.get("offering") or "", who)
                    if key not in seen:  # one exit per participant and offering, whatever the units
                        seen.add(key)
                        exits.append((iid, provider, period, *key, line.get("exit_date"), reason))
    tx = batch.tx
    tx.delete_in(S.DELETE_INVOICE_PROGRAMMES, stale_results)
    tx.delete_in(S.DELETE_FINDINGS, stale_results)
    tx.delete_in(S.DELETE_EXITS, stale_lines)
    tx.delete_in(S.DELETE_PARTICIPANTS, stale_lines)
    tx.insert(S.UPSERT_INVOICE, rows)
    tx.insert(S.INSERT_INVOICE_PROGRAMME, programmes)
    tx.insert(S.INSERT_FINDING, findings)
    tx.insert(S.INSERT_EXIT, exits)
    tx.insert(S.INSERT_PARTICIPANT, participants)
    write_page_findings(batch, stale_results, notices)


def write_reports(batch: Batch) -> None:
    """Capacity reports of the batch: their row and (replacing the previous version's) their rows."""
    rows, report_rows, stale = [], [], []
    for rid, rep in batch.reports.items():
        rows.append((rid, rep.provider, rep.period, rep.ordinal, rep.version, rep.first_received_at,
                     rep.received_at, rep.filename, _encode(rep.rows).decode(), rep.warnings))
        if not rep.new:
            stale.append(rid)
        for r in rep.rows:
            report_rows.append((rid, r["row"], rep.provider, rep.period, r["programme"],
                                r.get("offering") or "", r["places"], r["occupied"], r["entries"],
                                r["exits"], r.get("waiting_list")))
    batch.tx.delete_in(S.DELETE_CAPACITY_ROWS, stale)
    batch.tx.insert(S.UPSERT_REPORT, rows)
    batch.tx.insert(S.INSERT_CAPACITY_ROW, report_rows)


def recompute_capacity(tx: Tx, keys: list[tuple[str, str]], group_size: int = GROUP_SIZE) -> None:
    """The rows in force per offering-month: in filing order, a later row replaces an earlier one."""
    for periods, providers, pairs in groups(keys, group_size):
        wanted = set(pairs)
        effective: dict[tuple, tuple] = {}
        for provider, period, programme, offering, *values in tx.execute(
                *S.with_span(S.SELECT_MONTH_CAPACITY_ROWS, periods, providers)):
            if (provider, period) in wanted:
                effective[(provider, period, programme, offering)] = tuple(values)
        tx.execute(*S.with_pairs(S.DELETE_MONTH_CAPACITY, pairs))
        tx.insert(S.INSERT_CAPACITY, [(*k, *v) for k, v in effective.items()])


@dataclass
class Month:
    """One provider_months row as it is summed up."""

    invoices: list[str] = field(default_factory=list)  # first receipts
    reports: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    claimed: int = 0
    allowed: int = 0
    reduction: int = 0
    findings: int = 0
    open: int = 0


def recompute_months(tx: Tx, keys: list[tuple[str, str]], group_size: int = GROUP_SIZE) -> None:
    """provider_months from the documents' rows: amounts, first receipts, findings still open.

    One query per kind for each group of months (a few extra rows fetched, far fewer round trips)."""
    upserts, deletes = [], []
    for periods, providers, pairs in groups(keys, group_size):
        months = {key: Month() for key in pairs}
        for provider, period, iid, first, claimed, allowed, reduction in tx.execute(
                *S.with_span(S.SELECT_MONTH_INVOICES, periods, providers)):
            m = months.get((provider, period))
            if m is not None:
                m.invoices.append(first)
                m.ids.append(iid)
                m.claimed += claimed
                m.allowed += allowed
                m.reduction += reduction
        for provider, period, count, still_open in tx.execute(
                *S.with_span(S.SELECT_MONTH_FINDINGS, periods, providers)):
            m = months.get((provider, period))
            if m is not None:
                m.findings, m.open = int(count), int(still_open or 0)
        for provider, period, first in tx.execute(*S.with_span(S.SELECT_MONTH_REPORTS, periods, providers)):
            m = months.get((provider, period))
            if m is not None:
                m.reports.append(first)
        for (provider, period), m in months.items():
            if not m.invoices and not m.reports:
                deletes.append((provider, period))
            else:
                upserts.append((provider, period, earliest(m.invoices), earliest(m.reports), len(m.ids),
                                m.claimed, m.allowed, m.reduction, m.findings, m.open, json.dumps(m.ids)))
    if deletes:
        tx.execute(*S.with_pairs(S.DELETE_PROVIDER_MONTHS, deletes))
    tx.insert(S.UPSERT_PROVIDER_MONTH, upserts)


def groups(keys: list[tuple[str, str]], size: int = GROUP_SIZE) -> list[tuple[list[str], list[str], list]]:
    """The (provider, period) keys in groups of `size`: each group's months, providers and keys."""
    result = []
    for group in chunks(sorted(keys, key=lambda k: (k[1], k[0])), size):
        result.append((sorted({k[1] for k in group}), sorted({k[0] for k in group}), list(group)))
    return result


def earliest(stamps: list[str]) -> str | None:
    """The first receipt as stored (the instant decides, whatever the offset it was written with)."""
    return min(stamps, key=datetime.fromisoformat) if stamps else None
