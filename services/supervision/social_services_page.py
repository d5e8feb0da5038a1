"""The page of the social services' register: every entry with its history; an admin adds, changes, imports."""
# The import takes a CSV/XLSX file: all rows or none, each problem with row, column and value.
from __future__ import annotations

import logging

from litestar import Request, Response, get, post
from litestar.response import Redirect

from services.common.forms import FORM, cleaned
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.common.uploads import REFUSED, form_upload, refusal
from services.supervision.forms import SocialServiceForm
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.portal import Portal

log = logging.getLogger("ami.access")
ADMIN = guarded("administer")


def _page(request: Request, principal: Principal, portal: Portal, *, status: int = 200, error: str | None = None,
          values: dict | None = None, refused: dict | None = None) -> Response:
    sup = portal.supervision
    entries = [{**e.as_dict(), "history": sup.social_service_history(e.code)} for e in sup.social_services().values()]
    return rendered(request, "social_services.html", status_code=status, context=page_context(
        request, principal, active="register", entries=sorted(entries, key=lambda e: e["name"].lower()),
        may_administer=principal.may("administer"), error=error, values=values or {}, refused=refused,
        saved=request.query_params.get("gespeichert")))


@get("/register/sozialdienste", dependencies=guarded("supervise"), sync_to_thread=True)
def social_services_index(request: Request, principal: Principal, portal: Portal) -> Response:
    """The canton's social services: code, name, address, validity, and who changed what when."""
    return _page(request, principal, portal)


@post("/register/sozialdienste", dependencies=ADMIN, sync_to_thread=True)
def record_social_service(request: Request, principal: Principal, portal: Portal,
                          data: SocialServiceForm = FORM) -> Response:
    values = cleaned(data)
    try:
        portal.supervision.record_social_service(values, principal.name)
    except Invalid as exc:
        return _page(request, principal, portal, status=422, error=exc.message, values=values)
    log.info("recorded social service: actor=%s code=%s", principal.name, values["code"])
    return Redirect("/register/sozialdienste?gespeichert=1", status_code=303)


@post("/register/sozialdienste/import", dependencies=ADMIN)
async def import_social_services(request: Request, principal: Principal, portal: Portal) -> Response:
    from anyio import to_thread

    try:
        upload = await form_upload(request)
        await to_thread.run_sync(lambda: portal.supervision.import_social_services(
            upload.data, principal.name, content_type=upload.content_type, filename=upload.filename))
    except REFUSED as exc:
        refused = refusal(exc, None)
        return await to_thread.run_sync(lambda: _page(request, principal, portal, status=422, refused=refused))
    log.info("imported social services: actor=%s", principal.name)
    return Redirect("/register/sozialdienste?gespeichert=1", status_code=303)


HANDLERS = [social_services_index, record_social_service, import_social_services]
