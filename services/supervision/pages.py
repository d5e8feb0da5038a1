"""German web pages for the canton's supervisors and finance: the start page and the login."""
from __future__ import annotations

from litestar import Request, Response, get

from services.common import login_pages
from services.common.page_errors import page_router


@get("/", include_in_schema=False)
async def start(request: Request) -> Response:
    """The start page; a logged-in user is sent to their home page."""
    return await login_pages.start_or_home(request, "supervision_start.html")


HANDLERS = [page_router([start, *login_pages.HANDLERS])]
