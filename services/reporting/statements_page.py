"""The «Belege» of the provider's invoice page as downloads: each payer document as PDF, a month's ZIP."""
# A participant's bill is printed with the name and address typed into the form (in that PDF only: not stored, not
# logged). Made on the heavy pool (services/common/heavy.py), as the API's (statements_api.py).
from __future__ import annotations

from uuid import UUID

from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Stream

from services.common.attachments import document_number
from services.common.page_errors import page_router
from services.common.page_guard import guarded
from services.reporting.statements_api import debtor_from, document_download, month_zip_download
from shared.access.domain.roles import Principal
from shared.kernel.periods import parse_period
from shared.portal import Portal

READ = guarded("read_own")


@get("/rechnungen/{invoice_id:uuid}/belege/{document:str}", dependencies=READ)
async def document_pdf(invoice_id: UUID, document: str, principal: Principal, portal: Portal,
                       version: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    return await document_download(portal, principal.provider, invoice_id, document_number(document), version)


@post("/rechnungen/{invoice_id:uuid}/belege/{document:str}", dependencies=READ, status_code=200)
async def printed_bill(request: Request, invoice_id: UUID, document: str, principal: Principal, portal: Portal,
                       version: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    number = document_number(document)  # a wrong name is refused before the body is read
    return await document_download(portal, principal.provider, invoice_id, number, version, await debtor_from(request))


@get("/meldungen/{period:str}/belege.zip", dependencies=READ)
async def month_zip(period: str, principal: Principal, portal: Portal) -> Stream:
    return await month_zip_download(portal, principal.provider, str(parse_period(period)))


HANDLERS = [page_router([document_pdf, printed_bill, month_zip])]
