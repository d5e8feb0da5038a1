"""German web pages for the canton's supervisors and finance."""
from __future__ import annotations

from litestar import get
from litestar.response import Template


@get("/", include_in_schema=False)
async def start() -> Template:
    return Template("supervision_start.html")


HANDLERS = [start]
