"""The projector's SQL: what it writes to the views and reads back, with `?` placeholders for both backends."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from shared.checks.rules import ORDER

# Written once in the subset SQLite and PostgreSQL both understand (upserts with ON CONFLICT, row values).
# Placeholders for many values are filled in when the statement runs: `{values}` (rows of an INSERT, see
# Tx.insert), `{in}` (ids of an IN list), `{periods}`/`{providers}` (a group of months), `{column}`.

# --- the register ------------------------------------------------------------------------------------
UPSERT_PROVIDER = """
INSERT INTO providers (slug, name, ordinal, integration_arbeit_test, active) VALUES (?, ?, ?, ?, 1)
ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
    integration_arbeit_test = excluded.integration_arbeit_test
"""
UPSERT_OFFERING = """
INSERT INTO offerings (provider, code, programme_type, name, places, valid_from, valid_to)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (provider, code) DO UPDATE SET programme_type = excluded.programme_type, name = excluded.name,
    places = excluded.places, valid_from = excluded.valid_from, valid_to = excluded.valid_to
"""
SELECT_PROVIDER_SLUGS = "SELECT slug FROM providers"
UPDATE_PROVIDER = "UPDATE providers SET {column} = ? WHERE slug = ?"
SELECT_OFFERING_KEYS = "SELECT provider, code FROM offerings"
UPDATE_OFFERING = "UPDATE offerings SET {column} = ? WHERE provider = ? AND code = ?"

# --- reviews and decisions -----------------------------------------------------------------------------
INSERT_REVIEW = """
INSERT INTO reviews (review_id, invoice_id, provider, period, approved_version, returned_version,
    returned_reason)
VALUES {values}
"""
UPDATE_REVIEW = """
UPDATE reviews SET approved_version = ?, returned_version = ?, returned_reason = ? WHERE review_id = ?
"""
SELECT_REVIEWS_BY_ID = "SELECT review_id, invoice_id, provider, period FROM reviews WHERE review_id IN {in}"
# the rules' order in SQL (the catalogue's fixed codes, not input): a list sorted as the pages sort findings
RULE_ORDER = "CASE f.code " + " ".join(f"WHEN '{c}' THEN {n}" for c, n in ORDER.items()) + " ELSE 99 END"
# a finding's decision: the provider and month narrow the join to that provider's (and month's) decisions — without
# them PostgreSQL hashed every decision of the canton for each provider's page (profile of issue 16: the provider's
# home's counts were a quarter of the database's time under load)
DECIDED = ("LEFT JOIN decisions d ON d.provider = f.provider AND d.period = f.period AND d.invoice_id = f.invoice_id "
           "AND d.line_row = f.line_row AND d.code = f.code")
UPSERT_DECISION = """
INSERT INTO decisions (invoice_id, line_row, code, provider, period, decision, comment, actor, version)
VALUES {values}
ON CONFLICT (invoice_id, line_row, code) DO UPDATE SET decision = excluded.decision,
    comment = excluded.comment, actor = excluded.actor, version = excluded.version
"""

# --- documents -----------------------------------------------------------------------------------------
SELECT_INVOICES_BY_ID = """
SELECT invoice_id, provider, period, ordinal, first_received_at, version, received_at, filename, warnings
FROM invoices WHERE invoice_id IN {in}
"""
SELECT_REPORTS_BY_ID = """
SELECT report_id, provider, period, ordinal, first_received_at, version, received_at, filename
FROM capacity_reports WHERE report_id IN {in}
"""
DELETE_INVOICE_PROGRAMMES = "DELETE FROM invoice_programmes WHERE invoice_id IN {in}"
DELETE_FINDINGS = "DELETE FROM findings WHERE invoice_id IN {in}"
DELETE_EXITS = "DELETE FROM exits WHERE invoice_id IN {in}"
DELETE_PARTICIPANTS = "DELETE FROM participant_invoices WHERE invoice_id IN {in}"
INSERT_PARTICIPANT = "INSERT INTO participant_invoices (subject, invoice_id, provider, period) VALUES {values}"
UPSERT_INVOICE = """
INSERT INTO invoices (invoice_id, provider, period, ordinal, version, first_received_at, received_at, edition,
    claimed, allowed, reduction, lines, findings, filename, warnings)
VALUES {values}
ON CONFLICT (invoice_id) DO UPDATE SET version = excluded.version, received_at = excluded.received_at,
    edition = excluded.edition, claimed = excluded.claimed, allowed = excluded.allowed,
    reduction = excluded.reduction, lines = excluded.lines, findings = excluded.findings,
    filename = excluded.filename, warnings = excluded.warnings
"""
INSERT_INVOICE_PROGRAMME = """
INSERT INTO invoice_programmes (invoice_id, provider, period, programme, lines, claimed, allowed, reduction)
VALUES {values}
"""
INSERT_FINDING = """
INSERT INTO findings (invoice_id, seq, line_row, code, severity, provider, period, programme, offering,
                      notice_row)
VALUES {values}
"""
INSERT_EXIT = """
INSERT INTO exits (invoice_id, provider, period, programme, offering, participant, exit_date, exit_reason)
VALUES {values}
"""
DELETE_PAGE_FINDINGS = "DELETE FROM page_findings WHERE invoice_id IN {in}"
DELETE_SEALED_PARTICIPANTS = "DELETE FROM sealed_participants WHERE invoice_id IN {in}"
INSERT_PAGE_FINDING = """
INSERT INTO page_findings (invoice_id, seq, provider, period, line_row, code, severity, subject, sealed_key,
    finding)
VALUES {values}
"""
INSERT_SEALED_PARTICIPANT = "INSERT INTO sealed_participants (invoice_id, subject, sealed) VALUES {values}"
DELETE_CAPACITY_ROWS = "DELETE FROM capacity_rows WHERE report_id IN {in}"
UPSERT_REPORT = """
INSERT INTO capacity_reports (report_id, provider, period, ordinal, version, first_received_at, received_at,
    filename, rows_json, warnings)
VALUES {values}
ON CONFLICT (report_id) DO UPDATE SET version = excluded.version, received_at = excluded.received_at,
    filename = excluded.filename, rows_json = excluded.rows_json, warnings = excluded.warnings
"""
INSERT_CAPACITY_ROW = """
INSERT INTO capacity_rows (report_id, line_row, provider, period, programme, offering, places, occupied,
    entries, exits, waiting_list)
VALUES {values}
"""

# --- the months: capacity in force and provider_months ---------------------------------------------------
SELECT_MONTH_CAPACITY_ROWS = """
SELECT r.provider, r.period, r.programme, r.offering, r.places, r.occupied, r.entries, r.exits,
    r.waiting_list, r.report_id
FROM capacity_rows r JOIN capacity_reports c ON c.report_id = r.report_id
WHERE r.period IN {periods} AND r.provider IN {providers}
ORDER BY c.ordinal, r.line_row
"""
DELETE_MONTH_CAPACITY = "DELETE FROM capacity WHERE (provider, period) IN (VALUES {values})"
INSERT_CAPACITY = """
INSERT INTO capacity (provider, period, programme, offering, places, occupied, entries, exits, waiting_list,
    report_id)
VALUES {values}
"""
SELECT_MONTH_INVOICES = """
SELECT provider, period, invoice_id, first_received_at, claimed, allowed, reduction FROM invoices
WHERE period IN {periods} AND provider IN {providers} ORDER BY ordinal
"""
SELECT_MONTH_FINDINGS = """
SELECT i.provider, i.period, SUM(c.total), SUM(c.open)
FROM invoice_finding_counts c JOIN invoices i ON i.invoice_id = c.invoice_id
WHERE i.period IN {periods} AND i.provider IN {providers}
GROUP BY i.provider, i.period
"""
SELECT_MONTH_REPORTS = """
SELECT provider, period, first_received_at FROM capacity_reports
WHERE period IN {periods} AND provider IN {providers}
"""
DELETE_PROVIDER_MONTHS = """
DELETE FROM provider_months WHERE (provider, period) IN (VALUES {values})
"""
UPSERT_PROVIDER_MONTH = """
INSERT INTO provider_months (provider, period, invoice_received_at, capacity_received_at, invoices, claimed,
    allowed, reduction, findings, open_findings, invoice_ids)
VALUES {values}
ON CONFLICT (provider, period) DO UPDATE SET invoice_received_at = excluded.invoice_received_at,
    capacity_received_at = excluded.capacity_received_at, invoices = excluded.invoices,
    claimed = excluded.claimed, allowed = excluded.allowed, reduction = excluded.reduction,
    findings = excluded.findings, open_findings = excluded.open_findings, invoice_ids = excluded.invoice_ids
"""


_SPAN = re.compile(r"(\{periods\}|\{providers\})")


def with_span(sql: str, periods: Sequence[str], providers: Sequence[str]) -> tuple[str, list]:
    """The statement for these months and providers (each `{periods}` and `{providers}`, as often as they occur),
    and its parameters in the order of the placeholders."""
    lists = {"{periods}": list(periods), "{providers}": list(providers)}
    parts = _SPAN.split(sql)
    params = [value for part in parts if part in lists for value in lists[part]]
    return "".join(in_list(len(lists[part])) if part in lists else part for part in parts), params


def with_pairs(sql: str, pairs: Sequence[tuple]) -> tuple[str, list]:
    """The statement with `VALUES {values}` for these (provider, period) pairs, and its parameters."""
    return sql.replace("{values}", ",".join(["(?,?)"] * len(pairs))), [v for pair in pairs for v in pair]


def with_in(sql: str, n: int) -> str:
    """The statement with its `{in}` replaced by n placeholders."""
    return sql.replace("{in}", in_list(n))


def in_list(n: int) -> str:
    """(?, ?, …) for an IN clause of n values."""
    return "(" + ",".join("?" * n) + ")"


def chunks(items: Sequence, size: int = 400) -> Iterator[Sequence]:
    """The items in slices of at most `size` (an IN list of ids per statement)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]

