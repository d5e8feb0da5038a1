"""The payer documents of an invoice version over the API (api.md «Added in the second edition»)."""
# The list, each as a PDF, a participant's bill with the payer's name and address (POST, used for that PDF only), and
# a month's documents in one ZIP. Every one of these answers is access-logged (services/common/access.py). The PDFs
# and the ZIP are made on the heavy pool (services/common/heavy.py): a month's ZIP lays out every document of the
# month, and the provider's light pages must not wait behind it.
from __future__ import annotations

from uuid import UUID

from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Stream

from services.common.attachments import document_number, pdf_attachment, streamed_attachment
from services.common.auth import require
from services.common.heavy import heavy_stream, run_heavy
from services.reporting.api import DEPS, _period
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.portal import Portal

ZIP = "application/zip"
DOCUMENTS = "shared.presentation.pdf.payer_documents:"  # invoice_document_pdf returns (the PDF, its file name)


async def debtor_from(request: Request) -> dict | None:
    """The payer's name and address as sent (JSON or form): checked, never stored or logged."""
    from shared.presentation.pdf.qr_bill import debtor_address

    if (request.headers.get("content-type") or "").startswith("application/json"):
        body = await request.json()
    else:
        body = dict(await request.form())
    if not isinstance(body, dict):
        raise Invalid("Name und Adresse als Objekt {name, street, postcode, city}", "name", None)
    return debtor_address(body.get("name"), body.get("street"), body.get("postcode"), body.get("city"),
                          body.get("country") or "CH")


@get("/invoices/{invoice_id:uuid}/statements", guards=[require("read_own")], dependencies=DEPS,
     sync_to_thread=True)
def list_statements(invoice_id: UUID, principal: Principal, portal: Portal,
                    version: int | None = Parameter(required=False, ge=1, default=None)) -> list[dict]:
    """The payer documents of the invoice version (latest unless `?version=N`), totals rounded to 0.05."""
    from shared.finance.application.payer_documents import invoice_documents, statements_index

    bundle = invoice_documents(portal, principal.provider, invoice_id, version)
    return statements_index(bundle, f"/api/v1/invoices/{invoice_id}/statements")


@get("/invoices/{invoice_id:uuid}/statements/{document:str}", guards=[require("read_own")], dependencies=DEPS,
     media_type="application/pdf")
async def statement_pdf(invoice_id: UUID, document: str, principal: Principal, portal: Portal,
                        version: int | None = Parameter(required=False, ge=1, default=None)) -> Response:
    """One payer document as PDF/A (a participant's bill without name: the «Zahlbar durch» field left empty)."""
    return await document_download(portal, principal.provider, invoice_id, document_number(document), version)


@post("/invoices/{invoice_id:uuid}/statements/{document:str}", guards=[require("read_own")], dependencies=DEPS,
      status_code=200, media_type="application/pdf")
async def statement_pdf_for(invoice_id: UUID, document: str, request: Request, principal: Principal,
                            portal: Portal,
                            version: int | None = Parameter(required=False, ge=1, default=None)) -> Response:
    """A participant's bill with the payer's name and address (`{name, street, postcode, city, country}`):
    they go into this PDF only, nothing is stored."""
    number = document_number(document)  # a wrong name is refused before the body is read
    return await document_download(portal, principal.provider, invoice_id, number, version, await debtor_from(request))


@get("/statements.zip", guards=[require("read_own")], dependencies=DEPS, media_type=ZIP)
async def month_statements(principal: Principal, portal: Portal, period: str) -> Stream:
    """Every payer document of the provider's month (`?period=YYYY-MM`), latest versions, as PDFs in a ZIP, sent
    while it is made (chunked)."""
    return await month_zip_download(portal, principal.provider, _period(period))


async def document_download(portal: Portal, provider: str, invoice_id: UUID, number: int, version: int | None,
                            debtor: dict | None = None) -> Response:
    """Payer document `number` of the invoice version as PDF/A, made on the heavy pool; ``debtor``: a participant's
    bill printed with the payer's name and address (in this PDF only)."""
    return pdf_attachment(*await run_heavy(portal, DOCUMENTS + "invoice_document_pdf", provider, invoice_id, number,
                                           version, debtor))


async def month_zip_download(portal: Portal, provider: str, month: str) -> Stream:
    """The month's ZIP, each document sent as soon as it is made (a month of many documents takes minutes)."""
    return streamed_attachment(await heavy_stream(portal, DOCUMENTS + "write_month_zip", provider, month), ZIP,
                               f"belege-{provider}-{month}.zip")


HANDLERS = [list_statements, statement_pdf, statement_pdf_for, month_statements]
