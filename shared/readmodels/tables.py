"""The read models' tables (DDL): one SQLite file views.sqlite, or the PostgreSQL schema ami_views."""
from __future__ import annotations

# Amounts are whole centimes (exact sums in SQL); periods are "YYYY-MM" text, so text order is time order.
VIEWS_SCHEMA = "ami_views"
# Read models are disposable: a store written by another schema version is dropped and rebuilt.
SCHEMA_VERSION = "2"

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
    places INTEGER NOT NULL,
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
    findings INTEGER NOT NULL
);
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
    decision TEXT NOT NULL,
    comment TEXT NOT NULL,
    actor TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, line_row, code)
);
CREATE TABLE IF NOT EXISTS capacity_reports (
    report_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    version INTEGER NOT NULL,
    first_received_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS capacity_reports_month ON capacity_reports (period, provider);
CREATE TABLE IF NOT EXISTS capacity_rows (
    report_id TEXT NOT NULL,
    line_row INTEGER NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    places INTEGER NOT NULL,
    occupied INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    exits INTEGER NOT NULL,
    waiting_list INTEGER,
    PRIMARY KEY (report_id, line_row)
);
CREATE INDEX IF NOT EXISTS capacity_rows_month ON capacity_rows (period, provider);
-- the rows in force per offering-month: a later report's row replaces an earlier one, as the checks see it
CREATE TABLE IF NOT EXISTS capacity (
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    places INTEGER NOT NULL,
    occupied INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    exits INTEGER NOT NULL,
    waiting_list INTEGER,
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
CREATE INDEX IF NOT EXISTS provider_months_period ON provider_months (period)
"""
META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
VIEW_TABLES = ("tracking", "providers", "offerings", "invoices", "invoice_programmes", "findings", "reviews",
               "decisions", "capacity_reports", "capacity_rows", "capacity", "exits", "participant_invoices",
               "provider_months")


def ddl() -> list[str]:
    return [s.strip() for s in SCHEMA.split(";") if s.strip()]
