"""Audit PDFs over the API (/api/v1): an invoice, a provider's year, the canton's year, finance's reconciliation."""
# Each PDF first writes a signed checkpoint of both stores (or reuses the newest if nothing changed since),
# prints its position and root, and embeds the source data; `ami verify --pdf` checks it offline. The same
# PDFs as page downloads: downloads.py.

from __future__ import annotations

from uuid import UUID

from litestar import Response, get
from litestar.params import Parameter

from services.common.attachments import PDF, pdf_attachment
from services.common.auth import require
from services.common.heavy import run_heavy
from shared.portal import Portal

PDFS = "shared.presentation.pdf.downloads:"  # each returns (the PDF, its German file name)


@get(
    "/invoices/{invoice_id:uuid}/audit.pdf",
    guards=[require("supervise")],
    media_type=PDF,
    summary="Prüfbericht einer Rechnung (PDF/A-3b)",
)
async def invoice_audit_pdf(invoice_id: UUID, portal: Portal) -> Response:
    """Every line with claimed and allowed amount, findings and calculation; the supervisor's decisions; the
    full event history; the store digest and position. Embedded: the original upload(s) and the events."""
    return pdf_attachment(*await run_heavy(portal, PDFS + "invoice_audit_download", invoice_id))


@get(
    "/providers/{slug:str}/report.pdf",
    guards=[require("supervise")],
    media_type=PDF,
    summary="Jahresbericht eines Anbieters (PDF/A-3b)",
)
async def provider_report_pdf(slug: str, portal: Portal, year: int = Parameter(ge=2000, le=2999)) -> Response:
    """Months, costs by programme type, occupancy from the capacity reports, findings by code and outcome."""
    return pdf_attachment(*await run_heavy(portal, PDFS + "provider_year_download", slug, year))


@get(
    "/reports/canton.pdf",
    guards=[require("supervise")],
    media_type=PDF,
    summary="Jahresbericht des Kantons über alle Anbietenden (PDF/A-3b)",
)
async def canton_report_pdf(portal: Portal, year: int = Parameter(ge=2000, le=2999)) -> Response:
    return pdf_attachment(*await run_heavy(portal, PDFS + "canton_year_download", year))


@get("/reconciliation.pdf", guards=[require("supervise")], media_type=PDF,
     summary="Finanzabstimmung eines Jahres (PDF/A-3b)")
async def reconciliation_pdf(portal: Portal, year: int = Parameter(ge=2000, le=2999)) -> Response:
    """Every funding source per month and quarter against its budget."""
    return pdf_attachment(*await run_heavy(portal, PDFS + "reconciliation_download", year))


HANDLERS: list = [invoice_audit_pdf, provider_report_pdf, canton_report_pdf, reconciliation_pdf]
