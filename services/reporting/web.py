"""Provider web pages: months, upload with findings at once, correction, history, downloads."""
from __future__ import annotations

import json
from collections.abc import Callable
from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect

from services.common.attachments import CSV, attachment, download_name
from services.common.layout import page_context, rendered
from services.common.page_errors import page_router
from services.common.page_guard import guarded
from services.common.pending_uploads import hold
from services.common.uploads import REFUSED, form_upload, refusal
from shared.access.domain.roles import Principal
from shared.finance.application.payer_documents import statements_page
from shared.portal import Portal
from shared.presentation import file_names
from shared.presentation.check_result import check_result_csv
from shared.readmodels.provider_view import provider_home
from shared.review.application.invoice_file import invoice_file, invoice_original, invoice_version
from shared.submissions.application.capacity_file import capacity_file
from shared.submissions.application.uploads import Upload

READ = guarded("read_own")
SUBMIT = guarded("submit")


async def _submit(request: Request, principal: Principal, call: Callable, *args) -> tuple[dict | None, dict | None]:
    """(stored document, None) or (None, refusal): a refused file is shown as a table, nothing is stored."""
    try:
        upload = await form_upload(request)
    except REFUSED as exc:
        return None, refusal(exc, None)
    return await _store(principal, upload, call, *args)


async def _store(principal: Principal, upload: Upload, call: Callable, *args) -> tuple[dict | None, dict | None]:
    try:
        stored = await to_thread.run_sync(call, principal.provider, *args, upload, principal.name)
    except REFUSED as exc:
        return None, refusal(exc, upload.filename)
    return {**stored.document, "_created": stored.created}, None


def upload_limits(portal: Portal) -> dict:
    """What the upload forms tell and check before sending: the largest file."""
    return {"max_bytes": portal.settings.max_upload_bytes, "max_mb": portal.settings.max_upload_bytes // (1024 * 1024)}


def _flags(request: Request) -> dict:
    """What the page after an upload says: new, already known, corrected."""
    flags = request.query_params
    return {"just_uploaded": bool(flags.get("neu")), "already_known": bool(flags.get("bekannt")),
            "corrected": bool(flags.get("korrigiert"))}


# --- the month list ------------------------------------------------------------------------------
def render_months(request: Request, principal: Principal, portal: Portal, *, status: int = 200,
                 refusal: dict | None = None, refused_kind: str | None = None, message: str | None = None,
                 year: int | None = None) -> Response:
    return rendered(request, "reporting_months.html", status_code=status, context=page_context(
        request, principal, active="meldungen", **provider_home(portal, principal.provider, year), refusal=refusal,
        refused_kind=refused_kind, message=message, **upload_limits(portal)))


@get("/meldungen", dependencies=READ, sync_to_thread=True)
def months_page(request: Request, principal: Principal, portal: Portal,
                jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999)) -> Response:
    """The provider's home: what is to do, upload forms and the months of a year (?jahr=) with their documents."""
    return render_months(request, principal, portal, year=jahr)


@post("/meldungen/rechnung", dependencies=SUBMIT)
async def upload_invoice(request: Request, principal: Principal, portal: Portal) -> Response:
    """A new invoice: on success straight to its findings; a refused file comes back as a table of errors; a
    month that already has an invoice asks first whether a correction was meant (month_question)."""
    upload = None
    try:
        upload = await form_upload(request)
        period, others = await to_thread.run_sync(portal.reporting.invoices_for_upload, principal.provider, upload)
    except REFUSED as exc:
        refused = refusal(exc, upload.filename if upload else None)
        return await to_thread.run_sync(lambda: render_months(request, principal, portal, status=422,
                                                             refusal=refused, refused_kind="invoice"))
    if others:
        token = await hold(request, principal.name, upload, period=period)
        return Redirect(f"/meldungen/rechnung/frage?t={token}", status_code=303)
    return await store_new_invoice(request, principal, portal, upload)


async def store_new_invoice(request: Request, principal: Principal, portal: Portal, upload: Upload) -> Response:
    doc, refused = await _store(principal, upload, portal.reporting.submit_invoice)
    if refused:
        return await to_thread.run_sync(lambda: render_months(request, principal, portal, status=422,
                                                             refusal=refused, refused_kind="invoice"))
    flag = "neu" if doc["_created"] else "bekannt"
    return Redirect(f"/rechnungen/{doc['id']}?{flag}=1", status_code=303)


@post("/meldungen/kapazitaet", dependencies=SUBMIT)
async def upload_capacity_report(request: Request, principal: Principal, portal: Portal) -> Response:
    doc, refused = await _submit(request, principal, portal.reporting.submit_capacity_report)
    if refused:
        return await to_thread.run_sync(lambda: render_months(request, principal, portal, status=422,
                                                             refusal=refused, refused_kind="capacity"))
    flag = "neu" if doc["_created"] else "bekannt"
    return Redirect(f"/kapazitaetsmeldungen/{doc['id']}?{flag}=1", status_code=303)


# --- one invoice -------------------------------------------------------------------------------
def _invoice_page(request: Request, principal: Principal, portal: Portal, invoice_id: UUID,
                  version: int | None = None, *, status: int = 200, refusal: dict | None = None,
                  only_findings: bool = False, page: int | None = None, row: int | None = None,
                  documents_page: int | None = None) -> Response:
    # its events read once for the page: the invoice and its history
    invoice, entries = portal.reporting.invoice_with_history(principal.provider, invoice_id)
    found = invoice_file(portal, invoice_id, provider=principal.provider, version=version,
                         only_findings=only_findings, invoice=invoice, invoice_entries=entries, page=page, row=row)
    found.update(statements_page(portal, principal.provider, invoice_id, found["invoice"]["version"],
                                 invoice=invoice, page=documents_page))
    return rendered(request, "reporting_invoice.html", status_code=status, context=page_context(
        request, principal, active="meldungen", **found, refusal=refusal,
        **_flags(request), **upload_limits(portal)))


@get("/rechnungen/{invoice_id:uuid}", dependencies=READ, sync_to_thread=True)
def invoice_detail(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   version: int | None = Parameter(required=False, default=None),
                   befunde: bool = Parameter(required=False, default=False),
                   seite: int | None = Parameter(required=False, default=None, ge=1),
                   zeile: int | None = Parameter(required=False, default=None),
                   belege: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    """Every line with claimed, allowed and reduction (a page at a time: `seite`, or the page with line `zeile`),
    each finding with its calculation, the payer documents (a page at a time: `belege`), the status with the
    supervisor's decisions, the correction upload and the history."""
    return _invoice_page(request, principal, portal, invoice_id, version, only_findings=befunde, page=seite,
                         row=zeile, documents_page=belege)


@post("/rechnungen/{invoice_id:uuid}/korrektur", dependencies=SUBMIT)
async def correct_invoice(request: Request, invoice_id: UUID, principal: Principal,
                          portal: Portal) -> Response:
    """A corrected file: a new version, checked again; the earlier ones stay readable."""
    await to_thread.run_sync(portal.reporting.invoice, principal.provider, invoice_id)  # 404 before reading
    try:
        upload = await form_upload(request)
    except REFUSED as exc:
        refused = refusal(exc, None)
        return await to_thread.run_sync(lambda: _invoice_page(request, principal, portal, invoice_id,
                                                              status=422, refusal=refused))
    return await store_correction(request, principal, portal, invoice_id, upload)


async def store_correction(request: Request, principal: Principal, portal: Portal, invoice_id: UUID,
                           upload: Upload) -> Response:
    doc, refused = await _store(principal, upload, portal.reporting.correct_invoice, invoice_id)
    if refused:
        return await to_thread.run_sync(lambda: _invoice_page(request, principal, portal, invoice_id,
                                                              status=422, refusal=refused))
    flag = "korrigiert" if doc["_created"] else "bekannt"
    return Redirect(f"/rechnungen/{invoice_id}?{flag}=1", status_code=303)


@get("/rechnungen/{invoice_id:uuid}/pruefergebnis.json", dependencies=READ, sync_to_thread=True)
def invoice_result_json(invoice_id: UUID, principal: Principal, portal: Portal,
                        version: int | None = Parameter(required=False, default=None)) -> Response:
    """The check result as the API answers it, to keep or to pass on."""
    invoice, view = invoice_version(portal, invoice_id, provider=principal.provider, version=version)
    name = download_name("pruefergebnis", invoice.provider, invoice.period, view["version"], "json")
    return attachment(json.dumps(view, ensure_ascii=False, indent=2).encode("utf-8"),
                      "application/json; charset=utf-8", name)


@get("/rechnungen/{invoice_id:uuid}/pruefergebnis.csv", dependencies=READ, sync_to_thread=True)
def invoice_result_csv(invoice_id: UUID, principal: Principal, portal: Portal,
                       version: int | None = Parameter(required=False, default=None)) -> Response:
    """The lines with claimed, allowed, reduction, findings and calculation, for Excel."""
    invoice, view = invoice_version(portal, invoice_id, provider=principal.provider, version=version)
    name = file_names.check_result_csv(portal.supervision.provider(invoice.provider).name, invoice.period,
                                       view["version"])
    return attachment(check_result_csv(view, portal.supervision.catalogue()), CSV, name)


@get("/rechnungen/{invoice_id:uuid}/original", dependencies=READ, sync_to_thread=True)
def original_file(invoice_id: UUID, principal: Principal, portal: Portal,
                  version: int | None = Parameter(required=False, default=None)) -> Response:
    """The file exactly as it was sent; always as a download, never shown in the browser."""
    sub = invoice_original(portal, invoice_id, provider=principal.provider, version=version)
    ext = (sub.get("filename") or "").rsplit(".", 1)[-1].lower()
    ext = ext if ext in ("csv", "xlsx", "json") else "bin"
    name = download_name("rechnung", sub["provider"], sub["period"], sub["version"], ext)
    return attachment(sub["original"], "application/octet-stream", name)


# --- one capacity report ----------------------------------------------------------------------
def _capacity_page(request: Request, principal: Principal, portal: Portal, report_id: UUID, *,
                   status: int = 200, refusal: dict | None = None) -> Response:
    found = capacity_file(portal.reporting, principal.provider, report_id)
    return rendered(request, "reporting_capacity.html", status_code=status, context=page_context(
        request, principal, active="meldungen", **found, refusal=refusal, **_flags(request),
        **upload_limits(portal)))


@get("/kapazitaetsmeldungen/{report_id:uuid}", dependencies=READ, sync_to_thread=True)
def capacity_detail(request: Request, report_id: UUID, principal: Principal, portal: Portal) -> Response:
    return _capacity_page(request, principal, portal, report_id)


@post("/kapazitaetsmeldungen/{report_id:uuid}/korrektur", dependencies=SUBMIT)
async def correct_capacity_report(request: Request, report_id: UUID, principal: Principal,
                                  portal: Portal) -> Response:
    await to_thread.run_sync(portal.reporting.capacity_report, principal.provider, report_id)
    doc, refused = await _submit(request, principal, portal.reporting.correct_capacity_report,
                                 report_id)
    if refused:
        return await to_thread.run_sync(lambda: _capacity_page(request, principal, portal, report_id,
                                                               status=422, refusal=refused))
    flag = "korrigiert" if doc["_created"] else "bekannt"
    return Redirect(f"/kapazitaetsmeldungen/{report_id}?{flag}=1", status_code=303)


HANDLERS = [page_router([months_page, upload_invoice, upload_capacity_report, invoice_detail, correct_invoice,
                         invoice_result_json, invoice_result_csv, original_file, capacity_detail,
                         correct_capacity_report])]
