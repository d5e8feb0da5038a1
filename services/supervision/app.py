"""The supervision service: the canton's supervisors and finance (port 8002)."""
from __future__ import annotations

from litestar import Litestar, Router

from services.common.base import build_app
from services.common.page_errors import page_router
from services.supervision import (
    api,
    audit_api,
    capacity_page,
    dashboard_page,
    decision_page,
    decision_tree_api,
    downloads,
    evaluation_api,
    evaluation_page,
    finance_api,
    finance_page,
    invoice_page,
    pages,
    provider_page,
    public_api,
    public_pages,
    queue_page,
    register_api,
    register_history_page,
    register_page,
    register_provider_page,
    search_page,
    social_services_api,
    social_services_page,
)
from shared.config import Settings, load_settings


def create_app(settings: Settings | None = None, portal=None) -> Litestar:
    settings = settings or load_settings()
    handlers = [*api.HANDLERS, *register_api.HANDLERS, *finance_api.HANDLERS, *audit_api.HANDLERS,
                *evaluation_api.HANDLERS, *decision_tree_api.HANDLERS, *social_services_api.HANDLERS]
    api_router = Router(path="/api/v1", route_handlers=handlers, tags=["Aufsicht"])
    page_handlers = [*dashboard_page.HANDLERS, *provider_page.HANDLERS, *invoice_page.HANDLERS, *downloads.HANDLERS,
                     *register_page.HANDLERS, *register_provider_page.HANDLERS, *register_history_page.HANDLERS,
                     *decision_page.HANDLERS, *finance_page.HANDLERS, *evaluation_page.HANDLERS,
                     *queue_page.HANDLERS, *capacity_page.HANDLERS,
                     *search_page.HANDLERS, *social_services_page.HANDLERS]
    return build_app(
        service="supervision", title="AMI-Portal: Aufsicht und Finanzen",
        description="Übersicht, Befunde, Freigaben, Register, Kostenerlasse und Finanzierung; öffentlich: "
                    "Programmsuche und Entscheidungshilfe.",
        route_handlers=[api_router, public_api.router(settings), *pages.HANDLERS, page_router(page_handlers),
                        public_pages.router(settings)],
        settings=settings, portal=portal,
    )
