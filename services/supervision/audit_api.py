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


@get(
    "/invoices/{invoice_id:uuid}/audit.pdf",
    guards=[require("supervise")],
    media_type=PDF,
    summary="Prüfbericht einer Rechnung (PDF/A-3b)",
)
async def invoice_audit_pdf(invoice_id: UUID, portal: Portal) -> Response:
    """Every line with claimed and allowed amount, findings and calculation; the supervisor's decisions; the
    full event history; the store digest and position. Embedded: the original upload(s) and the events."""
    data = await run_heavy(portal, "shared.presentation.pdf.invoice_audit:invoice_audit_pdf", portal, invoice_id)
    return pdf_attachment(data, f"pruefbericht-{invoice_id}.pdf")


@get(
    "/providers/{slug:str}/report.pdf",
    guards=[require("supervise")],
    media_type=PDF,
    summary="Jahresbericht eines Anbieters (PDF/A-3b)",
)
async def provider_report_pdf(slug: str, portal: Portal, year: int = Parameter(ge=2000, le=2999)) -> Response:
    """Months, costs by programme type, occupancy from the capacity reports, findings by code and outcome."""
    data = await run_heavy(portal, "shared.presentation.pdf.annual_reports:provider_report_pdf", portal, slug, year)
    return pdf_attachment(data, f"jahresbericht-{slug}-{year}.pdf")


@get(
    "/reports/canton.pdf",
    guards=[require("supervise")],
    media_type=PDF,
    summary="Jahresbericht des Kantons über alle Anbietenden (PDF/A-3b)",
)
async def canton_report_pdf(portal: Portal, year: int = Parameter(ge=2000, le=2999)) -> Response:
    data = await run_heavy(portal, "shared.presentation.pdf.annual_reports:canton_report_pdf", portal, year)
    return pdf_attachment(data, f"jahresbericht-kanton-{year}.pdf")


@get("/reconciliation.pdf", guards=[require("supervise")], media_type=PDF,
     summary="Finanzabstimmung eines Jahres (PDF/A-3b)")
async def reconciliation_pdf(portal: Portal, year: int = Parameter(ge=2000, le=2999)) -> Response:
    """Every funding source per month and quarter against its budget."""
    data = await run_heavy(portal, "shared.presentation.pdf.finance_report:reconciliation_pdf", portal, year)
    return pdf_attachment(data, f"finanzabstimmung-{year}.pdf")


HANDLERS: list = [invoice_audit_pdf, provider_report_pdf, canton_report_pdf, reconciliation_pdf]
