"""Each invoice's findings counted per severity, and how many of them no decision has settled yet: what the
provider's pages show per invoice (shared.readmodels.provider_view). The projector counts them again for every invoice
whose result or decisions a batch changed (one statement a batch), instead of every page counting all of a provider's
findings of all years (profile of issue 16: 9 % of the database's time in the closed loop; 3,831 findings joined with
their decisions for the busiest provider on each of its pages). Below them, the same count over the findings of
many invoices for the dashboard (by provider and by rule, with or without a programme type), and the open findings
themselves, one row each, for the work queue (`open_units`, kept with the counts: the queue grouped and joined every
finding of every year with its decision on each request, 64 ms for the 3,530 open of the load store)."""
from __future__ import annotations

from collections.abc import Iterable

from shared.readmodels.statements import DECIDED, chunks, in_list

TABLES = ("invoice_finding_counts", "open_units")
DDL = ("CREATE TABLE IF NOT EXISTS invoice_finding_counts (invoice_id TEXT NOT NULL, severity TEXT NOT NULL, "
       "provider TEXT NOT NULL, total INTEGER NOT NULL, open INTEGER NOT NULL, PRIMARY KEY (invoice_id, severity))",
       "CREATE INDEX IF NOT EXISTS invoice_finding_counts_provider ON invoice_finding_counts (provider)",
       # an open finding as one decision settles it (UNITS below): its first undecided row, how many are undecided,
       # the programme type and offering of its lines (null: several), `unit_row` the key of its lines' group
       "CREATE TABLE IF NOT EXISTS open_units (invoice_id TEXT NOT NULL, provider TEXT NOT NULL, period TEXT NOT NULL, "
       "code TEXT NOT NULL, severity TEXT NOT NULL, unit_row INTEGER NOT NULL, line_row INTEGER NOT NULL, "
       "line_count INTEGER NOT NULL, programme TEXT, offering TEXT)",
       "CREATE INDEX IF NOT EXISTS open_units_invoice ON open_units (invoice_id)",
       "CREATE INDEX IF NOT EXISTS open_units_month ON open_units (period, provider)")
FORGET = "DELETE FROM invoice_finding_counts WHERE invoice_id IN {in}"
FORGET_UNITS = "DELETE FROM open_units WHERE invoice_id IN {in}"
COUNT = """
INSERT INTO invoice_finding_counts (invoice_id, severity, provider, total, open)
SELECT f.invoice_id, f.severity, f.provider, COUNT(*), SUM(CASE WHEN d.invoice_id IS NULL THEN 1 ELSE 0 END)
FROM page_findings f
""" + DECIDED + """
WHERE f.invoice_id IN {in} GROUP BY f.invoice_id, f.severity, f.provider
"""
# (invoice, severity, findings, of them still open) of every invoice of a provider
OF_PROVIDER = "SELECT invoice_id, severity, total, open FROM invoice_finding_counts WHERE provider = ?"
# (invoice, findings still open) of the invoices named that have any (the work queue's waiting invoices)
OPEN_OF = ("SELECT invoice_id, SUM(open) FROM invoice_finding_counts WHERE invoice_id IN {in} GROUP BY invoice_id "
           "HAVING SUM(open) > 0")


def recount(tx, invoice_ids: Iterable[str]) -> None:
    """Count again the findings of these invoices and list their open ones (after their findings, page findings and
    decisions of the batch)."""
    ids = sorted(set(invoice_ids))
    tx.delete_in(FORGET, ids)
    tx.delete_in(FORGET_UNITS, ids)
    for chunk in chunks(ids):
        tx.execute(COUNT.replace("{in}", in_list(len(chunk))), list(chunk))
        tx.execute(LIST_OPEN.replace("{in}", in_list(len(chunk))), list(chunk))


UNIT_ROW = "COALESCE(f.notice_row, f.line_row)"  # the rows of one notice share it; a line's finding has its own
# a finding as one decision settles it: a line's finding, a notice about the whole invoice once per message (its
# rows share findings.notice_row); open while a row of it is undecided — as the invoice's page counts
# (review.domain.status.finding_counts) and the counts per invoice above; the dashboard's (readmodels.queries)
UNITS = """
SELECT f.provider, f.code, MAX(d.decision) AS decision,
    SUM(CASE WHEN d.invoice_id IS NULL THEN 1 ELSE 0 END) AS undecided
FROM findings f
{decided}
{where}
GROUP BY f.provider, f.invoice_id, f.code, {unit}
""".replace("{unit}", UNIT_ROW)
OPEN_FINDINGS = "SELECT provider, COUNT(*) FROM (" + UNITS + ") u WHERE undecided > 0 GROUP BY provider"  # noqa: S608
FINDINGS_BY_CODE = """
SELECT code, COUNT(*), SUM(CASE WHEN undecided > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN undecided = 0 AND decision = 'confirmed' THEN 1 ELSE 0 END),
    SUM(CASE WHEN undecided = 0 AND decision = 'waived' THEN 1 ELSE 0 END)
FROM (""" + UNITS + ") u GROUP BY code"
# the open findings of these invoices, one row each (the work queue's list: findings of one unit share its row)
LIST_OPEN = ("""
INSERT INTO open_units (invoice_id, provider, period, code, severity, unit_row, line_row, line_count, programme,
                        offering)
SELECT f.invoice_id, f.provider, f.period, f.code, f.severity, {unit}, MIN(f.line_row),
    COUNT(*), CASE WHEN MIN(f.programme) = MAX(f.programme) THEN MIN(f.programme) END,
    CASE WHEN MIN(f.programme) = MAX(f.programme) AND MIN(f.offering) = MAX(f.offering) THEN MIN(f.offering) END
FROM findings f
""" + DECIDED + """
WHERE d.invoice_id IS NULL AND f.invoice_id IN {in}
GROUP BY f.invoice_id, f.provider, f.period, f.code, f.severity, {unit}
""").replace("{unit}", UNIT_ROW)
