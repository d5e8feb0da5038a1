"""The OpenAPI page served from our own static files: canton networks are closed, no CDN."""
from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin


class SelfHostedSwagger(OpenAPIRenderPlugin):
    def __init__(self) -> None:
        super().__init__(path="/")

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        title = escape(openapi_schema["info"]["title"])
        return f"""<!doctype html><html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="stylesheet" href="/static/swagger/contrast.css"></head>
<body data-schema="/schema/openapi.json"><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script><script src="/static/swagger/init.js"></script>
</body></html>""".encode()


def openapi_config(title: str, description: str) -> OpenAPIConfig:
    return OpenAPIConfig(title=title, version="1.0.0", description=description, path="/schema",
                         render_plugins=[SelfHostedSwagger()])
