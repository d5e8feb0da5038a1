"""The audit PDFs as downloads on the supervision pages (session login; the API has the same under /api/v1)."""
# Made on the heavy pool (services/common/heavy.py), so the light pages keep their threads.
from __future__ import annotations

from uuid import UUID

from litestar import Response, get
from litestar.params import Parameter

from services.common.attachments import document_number, pdf_attachment
from services.common.heavy import run_heavy
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.portal import Portal

SUPERVISE = guarded("supervise")
PDFS = "shared.presentation.pdf.downloads:"  # each returns (the PDF, its German file name)


def _year(portal: Portal, jahr: int | None) -> int:
    return jahr or portal.reporting.clock().year


@get("/rechnungen/{invoice_id:uuid}/pruefbericht.pdf", dependencies=SUPERVISE)
async def invoice_pdf(invoice_id: UUID, principal: Principal, portal: Portal) -> Response:
    return pdf_attachment(*await run_heavy(portal, PDFS + "invoice_audit_download", invoice_id))


@get("/rechnungen/{invoice_id:uuid}/belege/{document:str}", dependencies=SUPERVISE)
async def payer_document_pdf(invoice_id: UUID, document: str, principal: Principal, portal: Portal,
                             version: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    """A payer document of the invoice version as the provider sees it (a participant's bill without name)."""
    return pdf_attachment(*await run_heavy(portal, "shared.presentation.pdf.payer_documents:invoice_document_pdf",
                                           None, invoice_id, document_number(document), version))


@get("/anbieter/{slug:str}/jahresbericht.pdf", dependencies=SUPERVISE)
async def provider_pdf(slug: str, principal: Principal, portal: Portal,
                       jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)) -> Response:
    return pdf_attachment(*await run_heavy(portal, PDFS + "provider_year_download", slug, _year(portal, jahr)))


@get("/jahresbericht.pdf", dependencies=SUPERVISE)
async def canton_pdf(principal: Principal, portal: Portal,
                     jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)) -> Response:
    return pdf_attachment(*await run_heavy(portal, PDFS + "canton_year_download", _year(portal, jahr)))


@get("/finanzen/abstimmung.pdf", dependencies=SUPERVISE)
async def reconciliation_pdf(principal: Principal, portal: Portal,
                             jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)
                             ) -> Response:
    return pdf_attachment(*await run_heavy(portal, PDFS + "reconciliation_download", _year(portal, jahr)))


HANDLERS = [invoice_pdf, payer_document_pdf, provider_pdf, canton_pdf, reconciliation_pdf]
