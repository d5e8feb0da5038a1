"""A capacity report for supervisors: its rows, totals and history (the provider's page without the upload)."""
from __future__ import annotations

import logging
from uuid import UUID

from litestar import Request, Response, get

from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.submissions.application.capacity_file import capacity_file

log = logging.getLogger("ami.access")


@get("/kapazitaetsmeldungen/{report_id:uuid}", dependencies=guarded("supervise"), sync_to_thread=True)
def capacity_detail(request: Request, report_id: UUID, principal: Principal, portal: Portal) -> Response:
    """Any provider's report (NotFound for an unknown id), with the provider's register entry."""
    found = capacity_file(portal.reporting, None, report_id)
    log.info("read capacity report: actor=%s report=%s", principal.name, report_id)
    return rendered(request, "supervision_capacity.html", context=page_context(
        request, principal, active="dashboard", **found,
        provider=portal.supervision.provider(found["report"]["provider"])))


HANDLERS = [capacity_detail]
