"""What the public routes (no login) share: a rate limit, cacheable answers, no session or CSRF."""
# Answers caches may keep (ETag, Cache-Control, 304 Not Modified); refusals in German.
from __future__ import annotations

import hashlib

from litestar import MediaType, Request, Response
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.response import Template

from services.common.client_address import client_address
from shared.config import Settings

# Route options that skip the session and CSRF middleware (their configured opt keys): nothing is read from or
# written to a session store, and no cookie is set, so a shared cache may keep the answer.
NO_SESSION = {"skip_session": True, "exclude_from_csrf": True}
TOO_MANY = "Zu viele Anfragen in kurzer Zeit. Bitte in einer Minute nochmals versuchen."


def rate_limit(settings: Settings) -> DefineMiddleware:
    """At most `public_rate_per_minute` requests a minute per client address (in each worker process). Behind a
    proxy named in AMI_TRUSTED_PROXIES the address is the one it forwards (client_address)."""
    return RateLimitConfig(rate_limit=("minute", settings.public_rate_per_minute), store="public_rate_limit",
                           identifier_for_request=client_address,
                           set_rate_limit_headers=False).middleware  # no per-client headers on cacheable answers


def _retry_after(_: TooManyRequestsException) -> dict[str, str]:
    return {"Retry-After": "60"}  # the window is a minute


def too_many_json(_: Request, exc: TooManyRequestsException) -> Response:
    return Response({"detail": TOO_MANY}, status_code=429, media_type=MediaType.JSON, headers=_retry_after(exc))


def too_many_page(request: Request, exc: TooManyRequestsException) -> Response:
    return Template("error.html", status_code=429, headers=_retry_after(exc), context={
        "service": request.app.state.service, "principal": None, "title": "Zu viele Anfragen", "message": TOO_MANY,
        "status": 429})


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match names this ETag (strong or weak, or «*»)."""
    sent = request.headers.get("if-none-match", "")
    return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in sent.split(",") if tag.strip())


def cacheable(request: Request, body: bytes, media_type: str, max_age: int) -> Response:
    """200 with the body, its ETag and `Cache-Control: public`; 304 without a body when the client has it."""
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if not_modified(request, etag):
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=body, status_code=200, media_type=media_type, headers=headers)


def render(request: Request, template: str, context: dict) -> bytes:
    """A page rendered here rather than by a Template answer, so that its bytes give the ETag."""
    engine = request.app.template_engine
    return engine.get_template(template).render(service=request.app.state.service, principal=None,
                                                **context).encode("utf-8")
