"""JSON API of the reporting service: thin handlers, one application call each."""
from __future__ import annotations

from uuid import UUID

from anyio import to_thread
from litestar import MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import Parameter

from services.common.attachments import original_type
from services.common.auth import current_principal, require
from services.common.uploads import read_upload
from services.reporting.schemas import UPLOAD_RESPONSES
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.kernel.periods import parse_period
from shared.portal import Portal
from shared.readmodels.document_lists import capacity_report_list, invoice_list
from shared.register.application.views import agreement_dict, offering_dict
from shared.submissions.application.answer import invoice_answer, lines_mode, paging

DEPS = {"principal": Provide(current_principal)}
BODY_DOC = ("CSV (`text/csv`), XLSX, JSON `{\"period\": …, \"lines\": […]}` or a multipart form with the field "
            "`file`. 422 lists every format error with row, column, value and a German message.")


LINES_DOC = ("`all` (default: every line, as api.md), `findings` (only lines with a finding) or `none`: the answer "
             "then also has `summary` and `lines_page`; `offset`/`limit` page the lines")


def _stored(stored, shape: tuple | None = None) -> Response:
    document = stored.document if shape is None else invoice_answer(stored.document, *shape)
    return Response(document, status_code=201 if stored.created else 200, media_type=MediaType.JSON)


def _shape(request: Request, lines: str | None, offset: int | None = None, limit: int | None = None) -> tuple | None:
    """None (the answer as api.md shows it) unless the client asks for a compact one: `?lines=…`, a page of
    lines, or `Prefer: return=minimal` (= `lines=none`)."""
    minimal = "return=minimal" in request.headers.get("prefer", "").replace(" ", "").lower()
    if lines is None and offset is None and limit is None and not minimal:
        return None
    return (lines_mode(lines if lines is not None or not minimal else "none"), *paging(offset, limit))


def _period(value: str | None) -> str | None:
    return None if value is None else str(parse_period(value))


@post("/invoices", guards=[require("submit")], dependencies=DEPS, description=BODY_DOC,
      responses=UPLOAD_RESPONSES, status_code=201)
async def submit_invoice(request: Request, principal: Principal, portal: Portal,
                         lines: str | None = Parameter(required=False, default=None,
                                                       description=LINES_DOC)) -> Response:
    """Upload a monthly invoice: parsed, checked and stored as one event; the same bytes again answer 200. A
    further invoice for a month that has one is accepted (a supplementary invoice); its answer's `notices` then
    name each earlier one: `{"code": "month_has_invoice", "severity": "info", "invoice_id", "version",
    "message"}` (a correction belongs to `POST /invoices/{id}/versions`)."""
    shape = _shape(request, lines)
    upload = await read_upload(request)
    return _stored(await to_thread.run_sync(portal.reporting.submit_invoice, principal.provider, upload,
                                            principal.name), shape)


@get("/invoices", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def list_invoices(principal: Principal, portal: Portal,
                  period: str | None = None) -> list[dict]:
    """The provider's invoices, latest versions (without lines), optionally of one month (YYYY-MM): from the
    read models (shared.readmodels.document_lists), no invoice replayed."""
    return invoice_list(portal, principal.provider, _period(period))


@get("/invoices/{invoice_id:uuid}", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def get_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                version: int | None = Parameter(required=False, ge=1, default=None),
                lines: str | None = Parameter(required=False, default=None, description=LINES_DOC),
                offset: int | None = Parameter(required=False, default=None),
                limit: int | None = Parameter(required=False, default=None)) -> dict:
    """The invoice, latest version (or `?version=N`): lines with claimed, allowed, findings and trace."""
    shape = _shape(request, lines, offset, limit)
    invoice = portal.reporting.invoice(principal.provider, invoice_id)
    if version is not None and version > invoice.document_version:
        raise Invalid(f"Version {version} gibt es nicht", "version", str(version))
    view = portal.reporting.invoice_view(invoice, version)
    return view if shape is None else invoice_answer(view, *shape)


@post("/invoices/{invoice_id:uuid}/versions", guards=[require("submit")], dependencies=DEPS,
      description=BODY_DOC, status_code=201, responses=UPLOAD_RESPONSES)
async def correct_invoice(invoice_id: UUID, request: Request, principal: Principal, portal: Portal,
                          lines: str | None = Parameter(required=False, default=None,
                                                        description=LINES_DOC)) -> Response:
    """A corrected file: a new version (an event), checked again; every earlier version stays readable."""
    shape = _shape(request, lines)
    upload = await read_upload(request)
    return _stored(await to_thread.run_sync(portal.reporting.correct_invoice, principal.provider, invoice_id,
                                            upload, principal.name), shape)


@get("/invoices/{invoice_id:uuid}/history", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def invoice_history(invoice_id: UUID, principal: Principal, portal: Portal) -> list[dict]:
    """Every event of the invoice: type, time, actor, version."""
    return portal.reporting.history(principal.provider, invoice_id)


@get("/invoices/{invoice_id:uuid}/original", guards=[require("read_own")], dependencies=DEPS,
     sync_to_thread=True, media_type="application/octet-stream")
def invoice_original(invoice_id: UUID, principal: Principal, portal: Portal,
                     version: int | None = Parameter(required=False, ge=1, default=None)) -> Response:
    """The file exactly as it was sent, byte for byte; its type as read from its bytes (never the uploader's)."""
    sub = portal.reporting.original(principal.provider, invoice_id, version)
    media_type, ext = original_type(sub["original"])
    return Response(sub["original"], media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="rechnung-v{sub["version"]}.{ext}"',
                             "x-content-type-options": "nosniff"})


@post("/capacity-reports", guards=[require("submit")], dependencies=DEPS, description=BODY_DOC, status_code=201,
      responses=UPLOAD_RESPONSES)
async def submit_capacity_report(request: Request, principal: Principal, portal: Portal) -> Response:
    """Upload a monthly capacity report; the month's invoices are checked again against it."""
    upload = await read_upload(request)
    return _stored(await to_thread.run_sync(portal.reporting.submit_capacity_report, principal.provider, upload,
                                            principal.name))


@get("/capacity-reports", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def list_capacity_reports(principal: Principal, portal: Portal,
                          period: str | None = None) -> list[dict]:
    """The provider's capacity reports, latest versions, optionally of one month (YYYY-MM): from the read models."""
    return capacity_report_list(portal, principal.provider, _period(period))


@get("/capacity-reports/{report_id:uuid}", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def get_capacity_report(report_id: UUID, principal: Principal, portal: Portal) -> dict:
    return portal.reporting.capacity_report_view(portal.reporting.capacity_report(principal.provider, report_id))


@post("/capacity-reports/{report_id:uuid}/versions", guards=[require("submit")], dependencies=DEPS,
      description=BODY_DOC, status_code=201, responses=UPLOAD_RESPONSES)
async def correct_capacity_report(report_id: UUID, request: Request, principal: Principal,
                                  portal: Portal) -> Response:
    upload = await read_upload(request)
    return _stored(await to_thread.run_sync(portal.reporting.correct_capacity_report, principal.provider,
                                            report_id, upload, principal.name))


@get("/offerings", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def own_offerings(principal: Principal, portal: Portal) -> list[dict]:
    """The provider's own offerings as the canton registered them (read-only)."""
    return [offering_dict(o) for o in portal.supervision.offerings(principal.provider)]


@get("/agreements", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def own_agreements(principal: Principal, portal: Portal) -> list[dict]:
    """The provider's own service agreements (Leistungsvereinbarungen), read-only."""
    return [agreement_dict(a) for a in portal.supervision.agreements(principal.provider)]


HANDLERS = [own_offerings, own_agreements,
            submit_invoice, list_invoices, get_invoice, correct_invoice, invoice_history, invoice_original,
            submit_capacity_report, list_capacity_reports, get_capacity_report, correct_capacity_report]
