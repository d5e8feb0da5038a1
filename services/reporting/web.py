"""Provider web pages: months, upload with findings at once, correction, history, downloads."""
from __future__ import annotations

import json
from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.response import Redirect, Template

from services.common import web_auth
from services.common.presentation import (
    download_name,
    invoice_history,
    invoice_page,
)
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid, NotFound
from shared.portal import Portal
from shared.portal.reporting import Upload
from shared.presentation import labels
from shared.presentation.check_result import check_result_csv
from shared.presentation.format import local_time
from shared.register.application.views import agreement_dict, offering_dict
from shared.submissions.application.history import document_history
from shared.submissions.application.month_list import provider_months
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected, SubmissionTooLarge

READ = {"principal": web_auth.page_guard("read_own")}
SUBMIT = {"principal": web_auth.page_guard("submit")}
KINDS = {"invoice": "Rechnung", "capacity": "Kapazitätsmeldung"}


# --- reading an upload from the form -------------------------------------------------------------
async def form_upload(request: Request) -> Upload:
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise SubmissionRejected([FormatIssue(None, None, None, "Bitte wählen Sie eine Datei aus.")])
    data = await file.read()
    if not data:
        raise SubmissionRejected([FormatIssue(None, None, None, f"Die Datei «{file.filename}» ist leer.")])
    return Upload(data, file.content_type, file.filename)


def _refusal(exc: Exception, filename: str | None) -> dict:
    """A refused upload as the pages show it: every problem with row, column, value and message."""
    if isinstance(exc, SubmissionRejected):
        errors = [e.as_dict() for e in exc.errors]
    elif isinstance(exc, SubmissionTooLarge):
        errors = [{"row": None, "column": None, "value": None, "message": exc.message}]
    else:  # Invalid
        errors = [{"row": None, "column": exc.field, "value": exc.value, "message": exc.message}]
    return {"filename": filename, "errors": errors}


async def _submit(request: Request, principal: Principal, call, *args) -> tuple[dict | None, dict | None]:
    """(stored document, None) or (None, refusal): a refused file is shown as a table, nothing is stored."""
    filename = None
    try:
        upload = await form_upload(request)
        filename = upload.filename
        stored = await to_thread.run_sync(call, principal.provider, *args, upload, principal.name)
    except (SubmissionRejected, SubmissionTooLarge, Invalid) as exc:
        return None, _refusal(exc, filename)
    return {**stored.document, "_created": stored.created}, None


# --- the month list ------------------------------------------------------------------------------
def _months_page(request: Request, principal: Principal, portal: Portal, *, status: int = 200,
                 refusal: dict | None = None, refused_kind: str | None = None) -> Template:
    months = provider_months(portal.reporting, principal.provider)
    return Template("reporting_months.html", status_code=status, context=web_auth.page_context(
        request, principal, active="meldungen", months=months, refusal=refusal, refused_kind=refused_kind,
        offerings=[offering_dict(o) for o in portal.supervision.offerings(principal.provider)],
        agreements=[agreement_dict(a) for a in portal.supervision.agreements(principal.provider)],
        kinds=KINDS, max_mb=portal.settings.max_upload_bytes // (1024 * 1024),
        max_bytes=portal.settings.max_upload_bytes))


@get("/meldungen", dependencies=READ, sync_to_thread=True)
def months_page(request: Request, principal: Principal, portal: Portal) -> Template:
    """The provider's home: upload forms and every month with its documents."""
    return _months_page(request, principal, portal)


@post("/meldungen/rechnung", dependencies=SUBMIT)
async def upload_invoice(request: Request, principal: Principal, portal: Portal) -> Response:
    """A new invoice: on success straight to its findings; a refused file comes back as a table of errors."""
    doc, refusal = await _submit(request, principal, portal.reporting.submit_invoice)
    if refusal:
        return await to_thread.run_sync(lambda: _months_page(request, principal, portal, status=422,
                                                             refusal=refusal, refused_kind="invoice"))
    flag = "neu" if doc["_created"] else "bekannt"
    return Redirect(f"/rechnungen/{doc['id']}?{flag}=1", status_code=303)


@post("/meldungen/kapazitaet", dependencies=SUBMIT)
async def upload_capacity_report(request: Request, principal: Principal, portal: Portal) -> Response:
    doc, refusal = await _submit(request, principal, portal.reporting.submit_capacity_report)
    if refusal:
        return await to_thread.run_sync(lambda: _months_page(request, principal, portal, status=422,
                                                             refusal=refusal, refused_kind="capacity"))
    flag = "neu" if doc["_created"] else "bekannt"
    return Redirect(f"/kapazitaetsmeldungen/{doc['id']}?{flag}=1", status_code=303)


# --- one invoice -------------------------------------------------------------------------------
def _version(invoice, version: int | None) -> int | None:
    if version is not None and not 1 <= version <= invoice.document_version:
        raise NotFound(f"Version {version} gibt es nicht")
    return version


def _invoice_page(request: Request, principal: Principal, portal: Portal, invoice_id: UUID,
                  version: int | None = None, *, status: int = 200, refusal: dict | None = None,
                  only_findings: bool = False) -> Template:
    invoice = portal.reporting.invoice(principal.provider, invoice_id)
    data = invoice_page(portal, invoice, _version(invoice, version))
    lines = data["invoice"]["lines"]
    shown = [ln for ln in lines if ln["findings"]] if only_findings else lines
    flags = request.query_params
    return Template("reporting_invoice.html", status_code=status, context=web_auth.page_context(
        request, principal, active="meldungen", **data, lines=shown, only_findings=only_findings,
        history=invoice_history(portal, invoice), refusal=refusal,
        just_uploaded=bool(flags.get("neu")), already_known=bool(flags.get("bekannt")),
        corrected=bool(flags.get("korrigiert")), max_bytes=portal.settings.max_upload_bytes,
        max_mb=portal.settings.max_upload_bytes // (1024 * 1024)))


@get("/rechnungen/{invoice_id:uuid}", dependencies=READ, sync_to_thread=True)
def invoice_detail(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   version: int | None = Parameter(required=False, default=None),
                   befunde: bool = Parameter(required=False, default=False)) -> Template:
    """Every line with claimed, allowed and reduction, each finding with its calculation, the status with
    the supervisor's decisions, the correction upload and the history."""
    return _invoice_page(request, principal, portal, invoice_id, version, only_findings=befunde)


@post("/rechnungen/{invoice_id:uuid}/korrektur", dependencies=SUBMIT)
async def correct_invoice(request: Request, invoice_id: UUID, principal: Principal,
                          portal: Portal) -> Response:
    """A corrected file: a new version, checked again; the earlier ones stay readable."""
    await to_thread.run_sync(portal.reporting.invoice, principal.provider, invoice_id)  # 404 before reading
    doc, refusal = await _submit(request, principal, portal.reporting.correct_invoice, invoice_id)
    if refusal:
        return await to_thread.run_sync(lambda: _invoice_page(request, principal, portal, invoice_id,
                                                              status=422, refusal=refusal))
    flag = "korrigiert" if doc["_created"] else "bekannt"
    return Redirect(f"/rechnungen/{invoice_id}?{flag}=1", status_code=303)


@get("/rechnungen/{invoice_id:uuid}/pruefergebnis.json", dependencies=READ, sync_to_thread=True)
def invoice_result_json(invoice_id: UUID, principal: Principal, portal: Portal,
                        version: int | None = Parameter(required=False, default=None)) -> Response:
    """The check result as the API answers it, to keep or to pass on."""
    invoice = portal.reporting.invoice(principal.provider, invoice_id)
    view = portal.reporting.invoice_view(invoice, _version(invoice, version))
    name = download_name("pruefergebnis", invoice.provider, invoice.period, view["version"], "json")
    return Response(json.dumps(view, ensure_ascii=False, indent=2).encode("utf-8"),
                    media_type="application/json; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@get("/rechnungen/{invoice_id:uuid}/pruefergebnis.csv", dependencies=READ, sync_to_thread=True)
def invoice_result_csv(invoice_id: UUID, principal: Principal, portal: Portal,
                       version: int | None = Parameter(required=False, default=None)) -> Response:
    """The lines with claimed, allowed, reduction, findings and calculation, for Excel."""

    invoice = portal.reporting.invoice(principal.provider, invoice_id)
    view = portal.reporting.invoice_view(invoice, _version(invoice, version))
    name = download_name("pruefergebnis", invoice.provider, invoice.period, view["version"], "csv")
    return Response(check_result_csv(view, portal.supervision.catalogue()), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@get("/rechnungen/{invoice_id:uuid}/original", dependencies=READ, sync_to_thread=True)
def invoice_original(invoice_id: UUID, principal: Principal, portal: Portal,
                     version: int | None = Parameter(required=False, default=None)) -> Response:
    """The file exactly as it was sent; always as a download, never shown in the browser."""
    invoice = portal.reporting.invoice(principal.provider, invoice_id)
    sub = portal.reporting.original(principal.provider, invoice_id, _version(invoice, version))
    ext = (sub.get("filename") or "").rsplit(".", 1)[-1].lower()
    ext = ext if ext in ("csv", "xlsx", "json") else "bin"
    name = download_name("rechnung", invoice.provider, invoice.period, sub["version"], ext)
    return Response(sub["original"], media_type="application/octet-stream",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


# --- one capacity report ----------------------------------------------------------------------
def _capacity_page(request: Request, principal: Principal, portal: Portal, report_id: UUID, *,
                   status: int = 200, refusal: dict | None = None) -> Template:
    rep = portal.reporting
    report = rep.capacity_report(principal.provider, report_id)
    view = rep.capacity_report_view(report)
    catalogue = portal.supervision.catalogue()
    tz = portal.settings.timezone
    rows = [{**row, "programme_name": labels.programme(row["programme"], catalogue)} for row in view["rows"]]
    history = [{**h, "time": local_time(h["time"], tz), "label": labels.event(h["event"])}
               for h in document_history(rep, report.id)]
    totals = {k: sum(int(r[k] or 0) for r in view["rows"])
              for k in ("places", "occupied", "entries", "exits")}
    flags = request.query_params
    return Template("reporting_capacity.html", status_code=status, context=web_auth.page_context(
        request, principal, active="meldungen", report=view, rows=rows, totals=totals, history=history,
        received=local_time(view["received_at"], tz), refusal=refusal, just_uploaded=bool(flags.get("neu")),
        already_known=bool(flags.get("bekannt")), corrected=bool(flags.get("korrigiert")),
        max_bytes=portal.settings.max_upload_bytes, max_mb=portal.settings.max_upload_bytes // (1024 * 1024)))


@get("/kapazitaetsmeldungen/{report_id:uuid}", dependencies=READ, sync_to_thread=True)
def capacity_detail(request: Request, report_id: UUID, principal: Principal, portal: Portal) -> Template:
    return _capacity_page(request, principal, portal, report_id)


@post("/kapazitaetsmeldungen/{report_id:uuid}/korrektur", dependencies=SUBMIT)
async def correct_capacity_report(request: Request, report_id: UUID, principal: Principal,
                                  portal: Portal) -> Response:
    await to_thread.run_sync(portal.reporting.capacity_report, principal.provider, report_id)
    doc, refusal = await _submit(request, principal, portal.reporting.correct_capacity_report,
                                 report_id)
    if refusal:
        return await to_thread.run_sync(lambda: _capacity_page(request, principal, portal, report_id,
                                                               status=422, refusal=refusal))
    flag = "korrigiert" if doc["_created"] else "bekannt"
    return Redirect(f"/kapazitaetsmeldungen/{report_id}?{flag}=1", status_code=303)


HANDLERS = [Router(path="/", include_in_schema=False, exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                   route_handlers=[*web_auth.HANDLERS, months_page, upload_invoice, upload_capacity_report,
                                   invoice_detail, correct_invoice, invoice_result_json, invoice_result_csv,
                                   invoice_original, capacity_detail, correct_capacity_report])]
