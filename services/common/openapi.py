"""The OpenAPI document of both services: self-hosted, bearer security, German descriptions, real examples."""
# The OpenAPI document of both services: served from our own static files (canton networks are closed, no CDN), and
# described for a provider's developer: bearer security on every guarded route, German summaries and descriptions,
# tags per audience, request bodies of the uploads and real examples (services/common/openapi_examples, each service's
# `openapi_docs`). Paths, operation ids and JSON keys stay as generated: they are the contract.
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from litestar import Litestar, Request
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import (
    Components,
    Example,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    RequestBody,
    Schema,
    SecurityScheme,
    Tag,
)

BEARER = "bearer"
TAGS = {
    "Anbieter": "Programmanbietende: Rechnungen und Kapazitätsmeldungen hochladen, korrigieren, Prüfergebnisse lesen",
    "Aufsicht": "Aufsicht des Kantons: Übersicht, Prüfungen, Register, Berichte",
    "Finanzen": "Finanzen des Kantons: Finanzierungsquellen, Budgets, Gebührenerlasse, Abstimmung",
    "Öffentlich": "Ohne Anmeldung: Angebotsfinder und Entscheidungshilfe",
    "Betrieb": "Betrieb: Erreichbarkeit des Dienstes",
}


@dataclass(frozen=True)
class Doc:
    """What one operation says about itself: audience tag, German summary and description, and optionally its
    request body and examples of its answers ({status: (description, example value)})."""

    tag: str
    summary: str
    description: str = ""
    body: dict[str, Any] | None = None  # {media type: example value}; None: the generated body stays
    body_description: str = ""
    answers: dict[int, tuple[str, Any]] = field(default_factory=dict)


# A path or query parameter of the wrong type (what the services answer, not Litestar's generated example)
BAD_PARAMETER = OpenAPIResponse(
    description="Ungültiger Parameter: `detail` nennt die Anfrage, `extra` jeden Parameter mit seinem Fehler",
    content={"application/json": OpenAPIMediaType(
        schema=Schema(type=OpenAPIType.OBJECT, required=["detail"], properties={
            "detail": Schema(type=OpenAPIType.STRING),
            "extra": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT))}),
        examples={"beispiel": Example(summary="Beispiel", value={
            "detail": "Validation failed for GET /api/v1/reports/canton.pdf?year=12",
            "extra": [{"message": "Expected `int` >= 2000", "key": "year", "source": "query"}]})})})


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
    scheme = SecurityScheme(type="http", scheme="bearer", bearer_format="ami_…",
                            description="API-Token aus `ami token create`: `Authorization: Bearer TOKEN`")
    return OpenAPIConfig(title=title, version="1.0.0", description=description, path="/schema",
                         render_plugins=[SelfHostedSwagger()], create_examples=False,
                         components=Components(security_schemes={BEARER: scheme}),
                         tags=[Tag(name=n, description=d) for n, d in TAGS.items()])


def _media(content_type: str, value: Any) -> OpenAPIMediaType:
    if content_type == "multipart/form-data":
        schema = Schema(type=OpenAPIType.OBJECT, properties={"file": Schema(type=OpenAPIType.STRING, format="binary",
                                                                  description="die Datei (CSV, XLSX oder JSON)")},
                        required=["file"])
        return OpenAPIMediaType(schema=schema)
    if content_type.startswith("text/") or content_type.endswith(".sheet"):
        fmt = "binary" if content_type.endswith(".sheet") else None
        return OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=fmt),
                                examples={"beispiel": Example(summary="Beispiel", value=value)} if value else None)
    return OpenAPIMediaType(schema=Schema(type=OpenAPIType.OBJECT), examples={"beispiel": Example(summary="Beispiel",
                                                                                         value=value)})


def describe(app: Litestar, docs: dict[str, Doc]) -> None:
    """Apply `docs` ({"METHOD /path": Doc}) to the app's OpenAPI document, and declare bearer security on every
    operation whose handler has a guard. An operation without an entry keeps what it has (the test names it)."""
    guarded = {(method, route.path_format) for route in app.routes
               for handler in getattr(route, "route_handlers", [])
               if handler.resolve_guards() for method in handler.http_methods}
    openapi = app.openapi_schema
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            if (method.upper(), path) in guarded:
                operation.security = [{BEARER: []}]
            if operation.responses and "400" in operation.responses:
                operation.responses["400"] = BAD_PARAMETER
            doc = docs.get(f"{method.upper()} {path}")
            if doc is None:
                continue
            operation.tags, operation.summary = [doc.tag], doc.summary
            operation.description = doc.description or f"{doc.summary}."  # never the handler's English docstring
            if doc.body is not None:
                operation.request_body = RequestBody(
                    content={t: _media(t, v) for t, v in doc.body.items()}, required=True,
                    description=doc.body_description or None)
            for status, (text, value) in doc.answers.items():
                responses = operation.responses or {}
                old = responses.get(str(status))
                old_content = old.content if isinstance(old, OpenAPIResponse) and old.content else {}
                media = next(iter(old_content.values()), None) or OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.OBJECT))
                media.examples = {"beispiel": Example(summary="Beispiel", value=value)}
                content_type = next(iter(old_content), "application/json")
                headers = old.headers if isinstance(old, OpenAPIResponse) else None
                responses[str(status)] = OpenAPIResponse(description=text, content={content_type: media},
                                                         headers=headers)
                operation.responses = responses
