"""An invoice for supervisors: lines with findings and decisions, history; review, approval and return forms."""
from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.params import Parameter

from services.common import flash
from services.common.forms import FORM
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.forms import ApprovalForm, ReturnForm, ReviewForm
from shared.access.domain.roles import Principal
from shared.finance.application.payer_documents import statements_page
from shared.kernel.errors import Conflict, Invalid
from shared.portal import Portal
from shared.readmodels.work_queue import next_waiting
from shared.review.application.invoice_file import invoice_file

log = logging.getLogger("ami.access")
REVIEW = guarded("review")


@get("/rechnungen/{invoice_id:uuid}", dependencies=guarded("supervise"), sync_to_thread=True)
def invoice_detail(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   version: int | None = Parameter(required=False, default=None),
                   befunde: bool = Parameter(required=False, default=False),
                   seite: int | None = Parameter(required=False, default=None, ge=1),
                   zeile: int | None = Parameter(required=False, default=None),
                   belege: int | None = Parameter(required=False, default=None, ge=1)) -> Response:
    """The invoice with the message the last form left (flash): saved, or refused beside its finding or form.
    Its lines a page at a time (`seite`, or the page with line `zeile`), its payer documents too (`belege`)."""
    invoice, entries = portal.reporting.invoice_with_history(None, invoice_id)  # its events read once for the page
    found = invoice_file(portal, invoice_id, version=version, only_findings=befunde, invoice=invoice,
                         invoice_entries=entries, page=seite, row=zeile)
    shown = found["invoice"]["version"]
    found.update(statements_page(portal, None, invoice_id, shown, invoice=invoice, page=belege))
    may_review = principal.may("review") and shown == found["latest_version"]
    note = flash.take(request)
    following = next_waiting(portal.views, found["invoice"]["period"], invoice_id) if may_review else None
    log.info("read invoice: actor=%s invoice=%s version=%s", principal.name, invoice_id, shown)
    return rendered(request, "supervision_invoice.html", page_context(
        request, principal, active="dashboard", **found, may_review=may_review,
        saved=note.get("saved"), error=note.get("error") if not note.get("at") else None,
        decision_error=note if note.get("at") and note.get("error") else None,
        decision_saved=note.get("at") if note.get("saved") else None, following=following,
        review_base=f"/rechnungen/{invoice_id}/befunde" if may_review else None))


def _after(request: Request, invoice_id: UUID, action: Callable[[], object], flag: str, anchor: str = "",
           at: str | None = None, typed: str | None = None) -> Response:
    """Run one review command, then back to the invoice at `anchor` (post/redirect/get) with what to say: saved,
    or the German refusal (beside the finding `at` when there is one, with the text as typed)."""
    url = f"/rechnungen/{invoice_id}{anchor}"
    try:
        action()
    except (Invalid, Conflict) as exc:
        return flash.redirect_with(request, url, error=exc.message, at=at, typed=typed)
    return flash.redirect_with(request, url, saved=flag, at=at)


@post("/rechnungen/{invoice_id:uuid}/befunde/{row:int}/{code:str}", dependencies=REVIEW, sync_to_thread=True)
def review_finding(request: Request, invoice_id: UUID, row: int, code: str, principal: Principal,
                   portal: Portal, data: ReviewForm = FORM) -> Response:
    """Confirm or waive one finding, with a comment (required to waive)."""
    return _after(request, invoice_id, lambda: portal.supervision.review_finding(
        invoice_id, row, code, data.decision, data.comment, principal.name), "befund",
        f"?zeile={row}#befund-{row}-{code}", at=f"{row}/{code}", typed=data.comment[:2000])  # back on its page


@post("/rechnungen/{invoice_id:uuid}/freigabe", dependencies=REVIEW, sync_to_thread=True)
def approve_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                    data: ApprovalForm = FORM) -> Response:
    return _after(request, invoice_id, lambda: portal.supervision.approve(
        invoice_id, data.comment, principal.name, open_accepted=bool(data.confirm_open)), "freigabe", "#entscheid")


@post("/rechnungen/{invoice_id:uuid}/rueckweisung", dependencies=REVIEW, sync_to_thread=True)
def return_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   data: ReturnForm = FORM) -> Response:
    return _after(request, invoice_id,
                  lambda: portal.supervision.return_for_correction(invoice_id, data.reason, principal.name),
                  "rueckweisung", "#entscheid")


HANDLERS = [invoice_detail, review_finding, approve_invoice, return_invoice]
