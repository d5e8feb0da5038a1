"""German web pages for provider staff."""
from __future__ import annotations

from litestar import get
from litestar.response import Template


@get("/", include_in_schema=False)
async def start() -> Template:
    return Template("reporting_start.html")


HANDLERS = [start]
