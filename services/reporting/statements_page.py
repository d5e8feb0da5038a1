"""The «Belege» of the provider's invoice page as downloads: each payer document as PDF, a month's ZIP."""
# A participant's bill is printed with the name and address typed into the form (in that PDF only: not stored, not
# logged).
from __future__ import annotations

from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.params import Parameter

from services.common.attachments import attachment, document_number, pdf_attachment
from services.common.page_errors import page_router
from services.common.page_guard import guarded
from services.reporting.statements_api import ZIP, debtor_from
from shared.access.domain.roles import Principal
from shared.kernel.periods import parse_period
from shared.portal import Portal

READ = guarded("read_own")


@get("/rechnungen/{invoice_id:uuid}/belege/{document:str}", dependencies=READ, sync_to_thread=True)
def document_pdf(invoice_id: UUID, document: str, principal: Principal, portal: Portal,
                 version: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    from shared.presentation.pdf.payer_documents import invoice_document_pdf

    pdf, name = invoice_document_pdf(portal, principal.provider, invoice_id, document_number(document), version)
    return pdf_attachment(pdf, name)


@post("/rechnungen/{invoice_id:uuid}/belege/{document:str}", dependencies=READ, status_code=200)
async def printed_bill(request: Request, invoice_id: UUID, document: str, principal: Principal, portal: Portal,
                       version: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    from shared.presentation.pdf.payer_documents import invoice_document_pdf

    number = document_number(document)
    debtor = await debtor_from(request)
    pdf, name = await to_thread.run_sync(lambda: invoice_document_pdf(
        portal, principal.provider, invoice_id, number, version, debtor))
    return pdf_attachment(pdf, name)


@get("/meldungen/{period:str}/belege.zip", dependencies=READ, sync_to_thread=True)
def month_zip(period: str, principal: Principal, portal: Portal) -> Response:
    from shared.presentation.pdf.payer_documents import month_zip as make

    month = str(parse_period(period))
    return attachment(make(portal, principal.provider, month), ZIP, f"belege-{principal.provider}-{month}.zip")


HANDLERS = [page_router([document_pdf, printed_bill, month_zip])]
