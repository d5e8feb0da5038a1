"""Finance: who pays what (domain-rules §5) — the funding split, fee waivers, budgets, federal credit rules,
reconciliation against budgets and exports for the canton's finance staff."""
from __future__ import annotations

SOURCES = ("social_service", "canton_subsidy", "fee_waiver", "participant", "federal_integration_credit",
           "other")
"""The six funding sources, in the order the API (api.md, ``GET /api/v1/funding``) lists them."""

SOURCE_LABELS_DE = {
    "social_service": "Sozialdienst",
    "canton_subsidy": "Subvention Kanton",
    "fee_waiver": "Kostenerlass Kanton",
    "participant": "Teilnehmende",
    "federal_integration_credit": "Integrationskredit Bund",
    "other": "Andere (ALV/IV)",
}
