"""Each invoice's findings counted per severity, and how many of them no decision has settled yet: what the
provider's pages show per invoice (shared.readmodels.provider_view). The projector counts them again for every invoice
whose result or decisions a batch changed (one statement a batch), instead of every page counting all of a provider's
findings of all years (profile of issue 16: 9 % of the database's time in the closed loop; 3,831 findings joined with
their decisions for the busiest provider on each of its pages). Below them, the same count over the findings of
many invoices for the dashboard (by provider and by rule, with or without a programme type)."""
from __future__ import annotations

from collections.abc import Iterable

from shared.readmodels.statements import DECIDED, chunks, in_list

TABLES = ("invoice_finding_counts",)
DDL = ("CREATE TABLE IF NOT EXISTS invoice_finding_counts (invoice_id TEXT NOT NULL, severity TEXT NOT NULL, "
       "provider TEXT NOT NULL, total INTEGER NOT NULL, open INTEGER NOT NULL, PRIMARY KEY (invoice_id, severity))",
       "CREATE INDEX IF NOT EXISTS invoice_finding_counts_provider ON invoice_finding_counts (provider)")
FORGET = "DELETE FROM invoice_finding_counts WHERE invoice_id IN {in}"
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
    """Count again the findings of these invoices (after their page findings and decisions of the batch)."""
    ids = sorted(set(invoice_ids))
    tx.delete_in(FORGET, ids)
    for chunk in chunks(ids):
        tx.execute(COUNT.replace("{in}", in_list(len(chunk))), list(chunk))


# a finding as one decision settles it: a line's finding, a notice about the whole invoice once per message (its
# rows share findings.notice_row); open while a row of it is undecided — as the invoice's page counts
# (review.domain.status.finding_counts) and the counts per invoice above; the dashboard's (readmodels.queries)
UNITS = """
SELECT f.provider, f.code, MAX(d.decision) AS decision,
    SUM(CASE WHEN d.invoice_id IS NULL THEN 1 ELSE 0 END) AS undecided
FROM findings f
{decided}
{where}
GROUP BY f.provider, f.invoice_id, f.code, COALESCE(f.notice_row, f.line_row)
"""
OPEN_FINDINGS = "SELECT provider, COUNT(*) FROM (" + UNITS + ") u WHERE undecided > 0 GROUP BY provider"  # noqa: S608
FINDINGS_BY_CODE = """
SELECT code, COUNT(*), SUM(CASE WHEN undecided > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN undecided = 0 AND decision = 'confirmed' THEN 1 ELSE 0 END),
    SUM(CASE WHEN undecided = 0 AND decision = 'waived' THEN 1 ELSE 0 END)
FROM (""" + UNITS + ") u GROUP BY code"
