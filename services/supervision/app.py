"""The supervision service: the canton's supervisors and finance (port 8002)."""
from __future__ import annotations

from litestar import Litestar, Router

from services.common.base import build_app
from services.supervision import (
    api,
    audit,
    dashboard,
    decision_pages,
    decision_tree,
    evaluation,
    finance,
    pages,
    public,
    public_pages,
    register,
    register_pages,
)
from shared.config import Settings, load_settings


def create_app(settings: Settings | None = None, portal=None) -> Litestar:
    settings = settings or load_settings()
    handlers = [*api.HANDLERS, *register.HANDLERS, *finance.HANDLERS, *audit.HANDLERS, *evaluation.HANDLERS,
                *decision_tree.HANDLERS]
    api_router = Router(path="/api/v1", route_handlers=handlers,
                        tags=["Aufsicht"])
    return build_app(
        service="supervision", title="AMI-Portal: Aufsicht und Finanzen",
        description="Übersicht, Befunde, Freigaben, Register, Kostenerlasse und Finanzierung; öffentlich: "
                    "Programmsuche und Entscheidungshilfe.",
        route_handlers=[api_router, public.router(settings), *pages.HANDLERS, *dashboard.HANDLERS, *finance.PAGES,
                        *evaluation.PAGES, *decision_pages.HANDLERS, *register_pages.HANDLERS,
                        public_pages.router(settings)],
        settings=settings, portal=portal,
    )
