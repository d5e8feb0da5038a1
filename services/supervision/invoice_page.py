"""An invoice for supervisors: lines with findings and decisions, history; review, approval and return forms."""
from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from services.common.forms import FORM
from services.common.layout import page_context
from services.common.page_guard import guarded
from services.supervision.forms import ApprovalForm, ReturnForm, ReviewForm
from shared.access.domain.roles import Principal
from shared.finance.application.payer_documents import statements_of
from shared.kernel.errors import Invalid
from shared.portal import Portal
from shared.review.application.invoice_file import invoice_file

log = logging.getLogger("ami.access")
REVIEW = guarded("review")


def _invoice_page(request: Request, principal: Principal, portal: Portal, invoice_id: UUID,
                  version: int | None = None, *, status: int = 200, error: str | None = None,
                  only_findings: bool = False) -> Template:
    found = invoice_file(portal, invoice_id, version=version, only_findings=only_findings)
    shown = found["invoice"]["version"]
    found["statements"] = statements_of(portal, None, invoice_id, shown)
    may_review = principal.may("review") and shown == found["latest_version"]
    log.info("read invoice: actor=%s invoice=%s version=%s", principal.name, invoice_id, shown)
    return Template("supervision_invoice.html", status_code=status, context=page_context(
        request, principal, active="dashboard", **found, only_findings=only_findings, may_review=may_review,
        error=error, saved=request.query_params.get("gespeichert"),
        review_base=f"/rechnungen/{invoice_id}/befunde" if may_review else None))


@get("/rechnungen/{invoice_id:uuid}", dependencies=guarded("supervise"), sync_to_thread=True)
def invoice_detail(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   version: int | None = Parameter(required=False, default=None),
                   befunde: bool = Parameter(required=False, default=False)) -> Template:
    return _invoice_page(request, principal, portal, invoice_id, version, only_findings=befunde)


def _after(request: Request, principal: Principal, portal: Portal, invoice_id: UUID, action: Callable[[], object],
           flag: str, anchor: str = "") -> Response:
    """Run one review command; back to the invoice, or the page again with the German message."""
    try:
        action()
    except Invalid as exc:
        return _invoice_page(request, principal, portal, invoice_id, status=422, error=exc.message)
    return Redirect(f"/rechnungen/{invoice_id}?gespeichert={flag}{anchor}", status_code=303)


@post("/rechnungen/{invoice_id:uuid}/befunde/{row:int}/{code:str}", dependencies=REVIEW, sync_to_thread=True)
def review_finding(request: Request, invoice_id: UUID, row: int, code: str, principal: Principal,
                   portal: Portal, data: ReviewForm = FORM) -> Response:
    """Confirm or waive one finding, with a comment (required to waive)."""
    return _after(request, principal, portal, invoice_id, lambda: portal.supervision.review_finding(
        invoice_id, row, code, data.decision, data.comment, principal.name), "befund", f"#zeile-{row}")


@post("/rechnungen/{invoice_id:uuid}/freigabe", dependencies=REVIEW, sync_to_thread=True)
def approve_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                    data: ApprovalForm = FORM) -> Response:
    return _after(request, principal, portal, invoice_id, lambda: portal.supervision.approve(
        invoice_id, data.comment, principal.name), "freigabe")


@post("/rechnungen/{invoice_id:uuid}/rueckweisung", dependencies=REVIEW, sync_to_thread=True)
def return_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   data: ReturnForm = FORM) -> Response:
    return _after(request, principal, portal, invoice_id,
                  lambda: portal.supervision.return_for_correction(invoice_id, data.reason, principal.name),
                  "rueckweisung")


HANDLERS = [invoice_detail, review_finding, approve_invoice, return_invoice]
