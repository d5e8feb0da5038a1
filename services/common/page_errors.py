"""How pages answer what went wrong: a redirect to the login, German error pages (never JSON); their router."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, Router
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Redirect, Template

from services.common.layout import page_context
from services.common.page_guard import LoginRequired
from shared.kernel.errors import DomainError

log = logging.getLogger("ami")
NOT_FOUND = "Diese Seite oder dieses Dokument gibt es nicht."
GENERIC = "Diese Anfrage ist so nicht möglich. Bitte wählen Sie über das Menü neu."
MESSAGES = {  # status: (title, message) of the error page
    403: ("Kein Zugang", "Ihr Konto hat auf diese Seite keinen Zugang. "
                         "Anbietende arbeiten im Meldeportal, die Aufsicht im Aufsichtsportal."),
    404: ("Nicht gefunden", NOT_FOUND),
    405: ("Nicht möglich", "Diese Adresse lässt sich so nicht aufrufen (zum Beispiel ein Formular, das direkt "
                           "geöffnet wurde). Bitte wählen Sie über das Menü neu."),
    413: ("Datei zu gross", "Die Datei ist zu gross. Bitte teilen Sie sie auf oder speichern Sie sie als CSV."),
    500: ("Interner Fehler", "Die Seite konnte nicht angezeigt werden. Bitte später nochmals versuchen."),
    400: ("Ungültige Angaben", "Die Adresse enthält ungültige Angaben (zum Beispiel Jahr, Monat oder Version). "
                               "Bitte wählen Sie über das Menü neu."),
}


def to_login(request: Request, exc: LoginRequired) -> Response:
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    query = "next=" + quote(target, safe="/")
    if exc.expired:
        query += "&abgelaufen=1"
    return Redirect(f"/login?{query}", status_code=303)


def error_page(request: Request, status: int, title: str, message: str, headers: dict | None = None) -> Response:
    principal = getattr(request.state, "principal", None)
    return Template("error.html", status_code=status, headers=headers, context=page_context(
        request, principal, title=title, message=message, status=status))


def http_error(request: Request, exc: HTTPException) -> Response:
    """A German page; an exception's own text is never shown (it may name the server's internals)."""
    status = exc.status_code
    if status >= 500:
        log.error("page error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
        status = 500
    title, message = MESSAGES.get(status, ("Anfrage nicht möglich", GENERIC))
    allow = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow")
    return error_page(request, status, title, message, {"Allow": allow} if allow else None)


def domain_error(request: Request, exc: DomainError) -> Response:
    if exc.status == 404:
        return error_page(request, 404, "Nicht gefunden", NOT_FOUND)
    return error_page(request, exc.status, "Anfrage nicht möglich", exc.message)


PAGE_EXCEPTION_HANDLERS: dict[Any, Any] = {
    LoginRequired: to_login,
    NotFoundException: http_error,
    PermissionDeniedException: http_error,
    HTTPException: http_error,
    DomainError: domain_error,
}


def page_router(handlers: Sequence, path: str = "/") -> Router:
    """German pages under `path`: not in the API's schema, errors answered as pages."""
    return Router(path=path, include_in_schema=False, exception_handlers=PAGE_EXCEPTION_HANDLERS,
                  route_handlers=list(handlers))
