"""German web pages for the canton's supervisors and finance."""
from __future__ import annotations

from litestar import Request, Response, get

from services.common.web_auth import start_or_home


@get("/", include_in_schema=False)
async def start(request: Request) -> Response:
    """The start page; a logged-in user is sent to their home page."""
    return await start_or_home(request, "supervision_start.html")


HANDLERS = [start]
