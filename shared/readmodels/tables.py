"""The read models' tables (DDL): one SQLite file views.sqlite, or the PostgreSQL schema ami_views."""
from __future__ import annotations

import hashlib

from shared.finance.domain.sources import SOURCES
from shared.readmodels import finding_counts, generations

VIEWS_SCHEMA = "ami_views"  # amounts: whole centimes (exact sums in SQL); periods: "YYYY-MM" (text order is time order)
# Read models are disposable: a store written by another schema (`schema_stamp`: this version and a digest of the
# tables' DDL, so that a column added without a new version rebuilds them too) is dropped and rebuilt.
SCHEMA_VERSION = "11"  # 2: BIGINT counts, skipped_events; 3: file names (sealed), page findings, sealed participants;
# 4: funding split per line; 5: participant_invoices; 6: funding_month_sums; 7: parser warnings; 8: reports' rows,
# warnings as received; 9: a decision's provider, month; 10: invoice_finding_counts; 11: findings' notice, offering

SCHEMA = """
CREATE TABLE IF NOT EXISTS tracking (
    source TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS providers (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    integration_arbeit_test INTEGER NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS offerings (
    provider TEXT NOT NULL,
    code TEXT NOT NULL,
    programme_type TEXT NOT NULL,
    name TEXT NOT NULL,
    places BIGINT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    PRIMARY KEY (provider, code)
);
CREATE TABLE IF NOT EXISTS invoices (
    invoice_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    version INTEGER NOT NULL,
    first_received_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    edition TEXT,
    claimed BIGINT NOT NULL,
    allowed BIGINT NOT NULL,
    reduction BIGINT NOT NULL,
    lines INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    filename TEXT,
    warnings TEXT
);
CREATE INDEX IF NOT EXISTS invoices_provider ON invoices (provider, ordinal);
CREATE INDEX IF NOT EXISTS invoices_month ON invoices (period, provider);
CREATE TABLE IF NOT EXISTS invoice_programmes (
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    lines INTEGER NOT NULL,
    claimed BIGINT NOT NULL,
    allowed BIGINT NOT NULL,
    reduction BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, programme)
);
CREATE INDEX IF NOT EXISTS invoice_programmes_month ON invoice_programmes (period, programme);
CREATE TABLE IF NOT EXISTS findings (
    invoice_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    line_row INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL, -- '' where the line names none
    notice_row INTEGER, -- a notice about the whole invoice: the first row of its message (one notice), else null
    PRIMARY KEY (invoice_id, seq)
);
CREATE INDEX IF NOT EXISTS findings_month ON findings (period, provider);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    approved_version INTEGER,
    returned_version INTEGER,
    returned_reason TEXT
);
CREATE INDEX IF NOT EXISTS reviews_invoice ON reviews (invoice_id);
CREATE TABLE IF NOT EXISTS decisions (
    invoice_id TEXT NOT NULL,
    line_row INTEGER NOT NULL,
    code TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    decision TEXT NOT NULL,
    comment TEXT NOT NULL,
    actor TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, line_row, code)
);
CREATE INDEX IF NOT EXISTS decisions_provider ON decisions (provider, period);
CREATE INDEX IF NOT EXISTS decisions_month ON decisions (period, provider);
CREATE TABLE IF NOT EXISTS capacity_reports (
    report_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    version INTEGER NOT NULL,
    first_received_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    filename TEXT,
    rows_json TEXT NOT NULL,
    warnings TEXT
);
CREATE INDEX IF NOT EXISTS capacity_reports_provider ON capacity_reports (provider, ordinal);
CREATE INDEX IF NOT EXISTS capacity_reports_month ON capacity_reports (period, provider);
CREATE TABLE IF NOT EXISTS capacity_rows (
    report_id TEXT NOT NULL,
    line_row INTEGER NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    places BIGINT NOT NULL,
    occupied BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    exits BIGINT NOT NULL,
    waiting_list BIGINT,
    PRIMARY KEY (report_id, line_row)
);
CREATE INDEX IF NOT EXISTS capacity_rows_month ON capacity_rows (period, provider);
-- the rows in force per offering-month: a later report's row replaces an earlier one, as the checks see it
CREATE TABLE IF NOT EXISTS capacity (
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    places BIGINT NOT NULL,
    occupied BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    exits BIGINT NOT NULL,
    waiting_list BIGINT,
    report_id TEXT NOT NULL,
    PRIMARY KEY (provider, period, programme, offering)
);
CREATE INDEX IF NOT EXISTS capacity_month ON capacity (period);
CREATE TABLE IF NOT EXISTS exits (
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    participant TEXT NOT NULL,
    exit_date TEXT,
    exit_reason TEXT NOT NULL,
    PRIMARY KEY (invoice_id, programme, offering, participant)
);
CREATE INDEX IF NOT EXISTS exits_programme ON exits (programme, period);
-- which invoices bill a participant, by the participant's pseudonym (the clear number is never stored here)
CREATE TABLE IF NOT EXISTS participant_invoices (
    subject TEXT NOT NULL,
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    PRIMARY KEY (subject, invoice_id)
);
CREATE INDEX IF NOT EXISTS participant_invoices_invoice ON participant_invoices (invoice_id);
CREATE TABLE IF NOT EXISTS provider_months (
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    invoice_received_at TEXT,
    capacity_received_at TEXT,
    invoices INTEGER NOT NULL,
    claimed BIGINT NOT NULL,
    allowed BIGINT NOT NULL,
    reduction BIGINT NOT NULL,
    findings INTEGER NOT NULL,
    open_findings INTEGER NOT NULL,
    invoice_ids TEXT NOT NULL,
    PRIMARY KEY (provider, period)
);
CREATE INDEX IF NOT EXISTS provider_months_period ON provider_months (period);
-- the events the projector set aside: values no view can hold, written before the limits were checked
CREATE TABLE IF NOT EXISTS skipped_events (
    source TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    topic TEXT NOT NULL,
    originator_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    skipped_at TEXT NOT NULL,
    PRIMARY KEY (source, notification_id)
);
-- what the provider's pages list of an invoice's latest result: each line finding, each notice about the whole
-- invoice once (its rows in `finding`), the finding as stored (a message quoting a person is null, its key in
-- `sealed_key`), `subject` the participant's pseudonym, never the number
CREATE TABLE IF NOT EXISTS page_findings (
    invoice_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    line_row INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    subject TEXT,
    sealed_key TEXT,
    finding TEXT NOT NULL,
    PRIMARY KEY (invoice_id, seq)
);
CREATE INDEX IF NOT EXISTS page_findings_provider ON page_findings (provider, period);
-- the latest result's ciphertext per participant with a finding (number, sealed messages), opened only with
-- the participant's key: crypto-shredding reaches the views too
CREATE TABLE IF NOT EXISTS sealed_participants (
    invoice_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (invoice_id, subject)
);
-- the funding split per line of each invoice's current version (shared.readmodels.projector.funding):
-- the line's facts, the pseudonym (never the number), and what each of the six sources pays (centimes)
CREATE TABLE IF NOT EXISTS funding_lines (
    invoice_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    line_row INTEGER NOT NULL,
    line_index INTEGER NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    subject TEXT NOT NULL,
    programme TEXT NOT NULL,
    funding TEXT NOT NULL,
    unit TEXT NOT NULL,
    refugee INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    exit_reason TEXT,
    reference_key TEXT NOT NULL,
    allowed BIGINT NOT NULL,
    {amounts}
    waiver_id TEXT,
    credit_rule TEXT,
    PRIMARY KEY (invoice_id, seq)
);
CREATE INDEX IF NOT EXISTS funding_lines_month ON funding_lines (period, provider, subject);
CREATE INDEX IF NOT EXISTS funding_lines_person ON funding_lines (provider, subject);
CREATE INDEX IF NOT EXISTS funding_lines_reference ON funding_lines (reference_key) WHERE reference_key <> '';
-- funding_lines summed per provider, month and Kostengutsprache (shared.readmodels.projector.funding_sums)
CREATE TABLE IF NOT EXISTS funding_month_sums (
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    reference_key TEXT NOT NULL,
    allowed BIGINT NOT NULL,
    {amounts}
    social_lines BIGINT NOT NULL,
    PRIMARY KEY (period, provider, reference_key)
);
-- per invoice version and participant: their personal fields as the event sealed them (their key opens it)
CREATE TABLE IF NOT EXISTS funding_sealed (
    invoice_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (invoice_id, subject)
);
CREATE INDEX IF NOT EXISTS funding_lines_reference ON funding_lines (reference_key) WHERE reference_key <> '';
-- per Kostengutsprache (its keyed pseudonym): the first of its lines, whose sealed part holds its text
CREATE TABLE IF NOT EXISTS funding_references (
    reference_key TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    line_index INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS funding_waivers (
    waiver_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    monthly_contribution TEXT NOT NULL,
    active INTEGER NOT NULL
)
"""
META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
VIEW_TABLES = ("tracking", "providers", "offerings", "invoices", "invoice_programmes", "findings", "reviews",
               "decisions", "capacity_reports", "capacity_rows", "capacity", "exits", "provider_months",
               "participant_invoices", "skipped_events", "page_findings", "sealed_participants", "funding_lines",
               "funding_month_sums", "funding_sealed", "funding_references", "funding_waivers", *finding_counts.TABLES)
EMPTIED = VIEW_TABLES + generations.TABLES  # what a reset empties (the counters are not compared: generations)
AMOUNT_COLUMNS = " ".join(f"s_{source} BIGINT NOT NULL," for source in SOURCES)  # what each source pays, centimes


def ddl() -> list[str]:
    own = [s.strip() for s in SCHEMA.replace("{amounts}", AMOUNT_COLUMNS).split(";") if s.strip()]
    return [*own, generations.DDL, *finding_counts.DDL]  # the last ones kept beside their statements


def schema_stamp() -> str:
    """What a views store records of the schema it was made with: "8:1a2b3c4d5e6f" (the version: a change of what
    the projector writes into the same tables; the digest: any change of the tables themselves)."""
    return f"{SCHEMA_VERSION}:{hashlib.sha256(';'.join(ddl()).encode()).hexdigest()[:12]}"
