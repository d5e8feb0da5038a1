"""The provider's page of Kostengutsprachen: approved / used / remaining, warnings, and an upload of new ones."""
# A refused file comes back as the table of its problems (row, column, value); nothing is stored.
from __future__ import annotations

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.response import Redirect

from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.common.uploads import REFUSED, form_upload, refusal
from shared.access.domain.roles import Principal
from shared.portal import Portal


def _page(request: Request, principal: Principal, portal: Portal, *, status: int = 200,
          refused: dict | None = None) -> Response:
    approvals, past = portal.reporting.cost_approvals_in_force(principal.provider)
    return rendered(request, "reporting_cost_approvals.html", status_code=status, context=page_context(
        request, principal, active="kgs", approvals=approvals, past=past, refusal=refused,
        saved=request.query_params.get("gespeichert"), max_bytes=portal.settings.max_upload_bytes,
        max_mb=portal.settings.max_upload_bytes // (1024 * 1024)))


@get("/kostengutsprachen", dependencies=guarded("read_own"), sync_to_thread=True)
def cost_approvals_page(request: Request, principal: Principal, portal: Portal) -> Response:
    return _page(request, principal, portal)


@post("/kostengutsprachen", dependencies=guarded("submit"))
async def upload_cost_approvals(request: Request, principal: Principal, portal: Portal) -> Response:
    filename = None
    try:
        upload = await form_upload(request)
        filename = upload.filename
        await to_thread.run_sync(portal.reporting.record_cost_approvals, principal.provider, upload, principal.name)
    except REFUSED as exc:
        refused = refusal(exc, filename)
        return await to_thread.run_sync(lambda: _page(request, principal, portal, status=422, refused=refused))
    return Redirect("/kostengutsprachen?gespeichert=1", status_code=303)


HANDLERS = [cost_approvals_page, upload_cost_approvals]
