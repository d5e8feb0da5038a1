"""The six funding sources (domain-rules §5), in the order the API (api.md, `GET /api/v1/funding`) lists them."""
from __future__ import annotations

SOURCES = ("social_service", "canton_subsidy", "fee_waiver", "participant", "federal_integration_credit",
           "other")
SOURCE_NAMES_DE = {
    "social_service": "Sozialdienst",
    "canton_subsidy": "Subvention Kanton",
    "fee_waiver": "Kostenerlass Kanton",
    "participant": "Teilnehmende",
    "federal_integration_credit": "Integrationskredit Bund",
    "other": "Andere (ALV/IV)",
}
