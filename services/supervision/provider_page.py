"""A provider's page for supervisors: offerings, every month with its documents, every finding with its review."""
from __future__ import annotations

import logging

from litestar import Request, get
from litestar.response import Template

from services.common.layout import page_context
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.readmodels.provider_view import provider_file

log = logging.getLogger("ami.access")


@get("/anbieter/{slug:str}", dependencies=guarded("supervise"), sync_to_thread=True)
def provider_page(request: Request, slug: str, principal: Principal, portal: Portal) -> Template:
    """Open findings first, the newest month first; the months of the year so far, missing ones too."""
    found = provider_file(portal, slug)
    log.info("read provider page: actor=%s provider=%s", principal.name, slug)
    return Template("provider.html", context=page_context(request, principal, active="dashboard", **found))


HANDLERS = [provider_page]
