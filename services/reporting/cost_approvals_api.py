"""The provider's Kostengutsprachen over the API: record (JSON object, or CSV/XLSX of many) and list them."""
from __future__ import annotations

from anyio import to_thread
from litestar import MediaType, Request, Response, get, post
from litestar.di import Provide

from services.common.auth import current_principal, require
from services.common.uploads import read_upload
from services.reporting.schemas import UPLOAD_RESPONSES
from shared.access.domain.roles import Principal
from shared.portal import Portal

DEPS = {"principal": Provide(current_principal)}


@post("/cost-approvals", guards=[require("submit")], dependencies=DEPS, responses=UPLOAD_RESPONSES,
      status_code=201, description="A JSON object (reference, social_service, participant, programme, valid_from, "
      "valid_to, quantity, amount), a JSON list, or a CSV/XLSX (Kostengutsprache; Sozialdienst; Teilnehmer; "
      "Programm; Gültig ab; Gültig bis; Menge; Betrag). 422 lists every problem with row, column and value; "
      "nothing is stored.")
async def record_cost_approvals(request: Request, principal: Principal, portal: Portal) -> Response:
    """Record Kostengutsprachen (the same reference again records its changes); the invoices naming them are
    checked again."""
    upload = await read_upload(request)
    views = await to_thread.run_sync(portal.reporting.record_cost_approvals, principal.provider, upload,
                                     principal.name)
    single = upload.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" and len(views) == 1
    return Response(views[0] if single else views, status_code=201, media_type=MediaType.JSON)


@get("/cost-approvals", guards=[require("read_own")], dependencies=DEPS, sync_to_thread=True)
def list_cost_approvals(principal: Principal, portal: Portal) -> list[dict]:
    """The provider's Kostengutsprachen, each with approved, used and remaining (quantity and/or amount)."""
    return portal.reporting.cost_approvals(principal.provider)


HANDLERS = [record_cost_approvals, list_cost_approvals]
