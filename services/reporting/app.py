"""The reporting service: providers upload and correct invoices and capacity reports (port 8001)."""
from __future__ import annotations

from litestar import Litestar, Router

from services.common.base import build_app
from services.common.page_errors import page_router
from services.reporting import (
    api,
    cost_approvals_api,
    cost_approvals_page,
    help_page,
    invoice_question_page,
    pages,
    statements_api,
    statements_page,
    web,
)
from shared.config import Settings


def create_app(settings: Settings | None = None, portal=None) -> Litestar:
    api_router = Router(path="/api/v1", route_handlers=[*api.HANDLERS, *cost_approvals_api.HANDLERS,
                                                       *statements_api.HANDLERS], tags=["Anbietende"])
    return build_app(
        service="reporting", title="AMI-Portal: Meldungen der Anbietenden",
        description="Rechnungen und Kapazitätsmeldungen hochladen, korrigieren und prüfen.",
        route_handlers=[api_router, *pages.HANDLERS, *web.HANDLERS, *invoice_question_page.HANDLERS,
                        *help_page.HANDLERS, *statements_page.HANDLERS, page_router(cost_approvals_page.HANDLERS)],
        settings=settings, portal=portal,
    )
