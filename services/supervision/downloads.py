"""The audit PDFs as downloads on the supervision pages (session login; the API has the same under /api/v1)."""
# Made on the heavy pool (services/common/heavy.py), so the light pages keep their threads.
from __future__ import annotations

from uuid import UUID

from litestar import Response, get
from litestar.params import Parameter

from services.common.attachments import pdf_attachment
from services.common.heavy import run_heavy
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.portal import Portal

SUPERVISE = guarded("supervise")


def _year(portal: Portal, jahr: int | None) -> int:
    return jahr or portal.reporting.clock().year


@get("/rechnungen/{invoice_id:uuid}/pruefbericht.pdf", dependencies=SUPERVISE)
async def invoice_pdf(invoice_id: UUID, principal: Principal, portal: Portal) -> Response:
    data = await run_heavy(portal, "shared.presentation.pdf.invoice_audit:invoice_audit_pdf", portal, invoice_id)
    return pdf_attachment(data, f"pruefbericht-{invoice_id}.pdf")


@get("/anbieter/{slug:str}/jahresbericht.pdf", dependencies=SUPERVISE)
async def provider_pdf(slug: str, principal: Principal, portal: Portal,
                       jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)) -> Response:
    year = _year(portal, jahr)
    data = await run_heavy(portal, "shared.presentation.pdf.annual_reports:provider_report_pdf", portal, slug, year)
    return pdf_attachment(data, f"jahresbericht-{slug}-{year}.pdf")


@get("/jahresbericht.pdf", dependencies=SUPERVISE)
async def canton_pdf(principal: Principal, portal: Portal,
                     jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)) -> Response:
    year = _year(portal, jahr)
    data = await run_heavy(portal, "shared.presentation.pdf.annual_reports:canton_report_pdf", portal, year)
    return pdf_attachment(data, f"jahresbericht-kanton-{year}.pdf")


@get("/finanzen/abstimmung.pdf", dependencies=SUPERVISE)
async def reconciliation_pdf(principal: Principal, portal: Portal,
                             jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)
                             ) -> Response:
    year = _year(portal, jahr)
    data = await run_heavy(portal, "shared.presentation.pdf.finance_report:reconciliation_pdf", portal, year)
    return pdf_attachment(data, f"finanzabstimmung-{year}.pdf")


HANDLERS = [invoice_pdf, provider_pdf, canton_pdf, reconciliation_pdf]
