"""A provider's page for supervisors: offerings, every month with its documents, every finding with its review."""
from __future__ import annotations

import logging

from litestar import Request, Response, get
from litestar.params import Parameter

from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.readmodels.provider_view import provider_file

log = logging.getLogger("ami.access")


@get("/anbieter/{slug:str}", dependencies=guarded("supervise"), sync_to_thread=True)
def provider_page(request: Request, slug: str, principal: Principal, portal: Portal,
                  jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999),
                  seite: int = Parameter(required=False, default=1, ge=1)) -> Response:
    """Open findings first, the newest month first, paginated; the months of the year so far, missing ones too;
    ?jahr= one year (its months, findings and annual report)."""
    found = provider_file(portal, slug, year=jahr, page=seite)
    log.info("read provider page: actor=%s provider=%s", principal.name, slug)
    return rendered(request, "provider.html", page_context(request, principal, active="dashboard", **found))


HANDLERS = [provider_page]
