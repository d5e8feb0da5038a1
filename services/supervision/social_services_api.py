"""The canton's register of social services over the API: read by supervisor and finance, kept by an admin."""
from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import Provide

from services.common.auth import current_principal, require
from services.common.uploads import read_upload
from shared.access.domain.roles import Principal
from shared.portal import Portal

DEPS = {"principal": Provide(current_principal)}


def _view(portal: Portal, entry) -> dict:
    return {**entry.as_dict(), "history": portal.supervision.social_service_history(entry.code)}


@get("/social-services", guards=[require("supervise")], sync_to_thread=True)
def list_social_services(portal: Portal) -> list[dict]:
    """Every social service of the register (code, name, address, validity, demo), each with its history."""
    return [_view(portal, e) for e in portal.supervision.social_services().values()]


@post("/social-services", guards=[require("administer")], dependencies=DEPS, status_code=201)
async def record_social_services(request: Request, principal: Principal, portal: Portal) -> Response:
    """A JSON object registers one social service (the same code again records its changes); a list, a CSV or
    an XLSX (Code; Name; Adresse; Gültig ab; Gültig bis) loads many, all or none (422 with row and column)."""
    upload = await read_upload(request)
    from anyio import to_thread

    results = await to_thread.run_sync(lambda: portal.supervision.import_social_services(
        upload.data, principal.name, content_type=upload.content_type, filename=upload.filename))
    views = await to_thread.run_sync(lambda: [_view(portal, e) for e, _ in results])
    created = any(c for _, c in results)
    body = views[0] if len(views) == 1 and upload.data.lstrip()[:1] == b"{" else views
    return Response(body, status_code=201 if created else 200)


HANDLERS = [list_social_services, record_social_services]
