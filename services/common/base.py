"""What both Litestar apps share: store lifecycle, /health, static files, templates, security headers."""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar, MediaType, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.file import FileStore
from litestar.template.config import TemplateConfig

from services.common.access import AccessLogMiddleware
from services.common.errors import EXCEPTION_HANDLERS
from services.common.heavy import close_pools, remove_stale_downloads
from services.common.openapi import openapi_config
from services.common.security import SecurityHeadersMiddleware
from services.common.sessions import NO_CSRF_PATHS, cookie_name, session_config
from services.common.slow_clients import BodyDeadlineMiddleware
from shared.config import Settings, load_settings
from shared.kernel import collector
from shared.portal import Portal, open_portal
from shared.presentation.format import register_filters

COMMON = Path(__file__).parent


@get("/health", include_in_schema=True, tags=["Betrieb"], sync_to_thread=True)
def health(portal: Portal) -> Response:
    """200 once the service can read its store (it really reads both notification logs)."""
    return Response({"status": "ok", "notifications": portal.health()}, media_type=MediaType.JSON)


@get("/favicon.ico", include_in_schema=False, sync_to_thread=False)
def favicon() -> Response:
    """The browser's own probe: the portal's icon (an SVG, as the pages' <link rel=icon> names it)."""
    return Response((COMMON / "static" / "favicon.svg").read_bytes(), media_type="image/svg+xml")


def build_app(*, service: str, title: str, description: str, route_handlers: Sequence, settings: Settings | None,
              portal: Portal | None) -> Litestar:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar):
        own = app.state.get("portal") is None
        if own:
            app.state.portal = await to_thread.run_sync(open_portal, settings)
            await to_thread.run_sync(remove_stale_downloads)
            collector.settle()
        try:
            yield
        finally:
            close_pools()
            if own:
                app.state.portal.close()

    templates_dirs = [Path(__file__).parent.parent / service / "templates", COMMON / "templates"]
    env = Environment(loader=FileSystemLoader([str(p) for p in templates_dirs]),
                      autoescape=select_autoescape(default=True, default_for_string=True), auto_reload=False)
    register_filters(env.filters, settings.timezone)
    session_dir = settings.data_dir / "sessions"
    secret = _secret(settings)
    from litestar.di import Provide

    async def provide_portal(state: State) -> Portal:
        return state.portal

    app = Litestar(
        route_handlers=[health, favicon, create_static_files_router(path="/static", directories=[COMMON / "static"],
                                                           include_in_schema=False), *route_handlers],
        dependencies={"portal": Provide(provide_portal)},
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(title, description),
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(env)),
        csrf_config=CSRFConfig(secret=secret, cookie_name=cookie_name("ami_csrf", settings),
                               cookie_secure=settings.secure_cookies,
                               cookie_samesite="strict", exclude=NO_CSRF_PATHS,
                               header_name="x-csrf-token"),
        middleware=[SecurityHeadersMiddleware, BodyDeadlineMiddleware, AccessLogMiddleware,
                    session_config(settings).middleware],
        stores={"sessions": FileStore(session_dir, create_directories=True),
                "pending_uploads": FileStore(settings.data_dir / "pending-uploads", create_directories=True)},
        request_max_body_size=settings.max_upload_bytes + 256 * 1024,
        debug=False,
        logging_config=None,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.secret = secret
    if portal is not None:
        app.state.portal = portal
    return app


def _secret(settings: Settings) -> str:
    """The CSRF signing secret: kept in the data folder, made once per installation."""
    import secrets

    path = settings.data_dir / "csrf.secret"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
