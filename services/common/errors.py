"""Domain errors mapped to HTTP once, for both services; never a 500 for bad input."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from eventsourcing import persistence as es_persistence
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from psycopg_pool import PoolTimeout

from shared.kernel.errors import DomainError, Invalid
from shared.submissions.domain.documents import SubmissionRejected, SubmissionTooLarge

log = logging.getLogger("ami")


# --- the bodies of these answers, as the OpenAPI documents describe them -------------------------------
@dataclass
class FormatErrorOut:
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass
class ErrorsOut:
    errors: list[FormatErrorOut]


@dataclass
class DetailOut:
    detail: str


JSON_PATHS = ("/api/", "/schema", "/health")  # machines' addresses keep JSON answers (German detail)
_ENGLISH = {404: "Not Found", 405: "Method Not Allowed"}  # Litestar's own wording for unmatched paths

# --- the handlers -------------------------------------------------------------------------------------


def _json(status: int, body: dict) -> Response:
    return Response(content=body, status_code=status, media_type=MediaType.JSON)


def rejected(_: Request, exc: SubmissionRejected) -> Response:
    return _json(422, {"errors": [e.as_dict() for e in exc.errors]})


def too_large(_: Request, exc: SubmissionTooLarge) -> Response:
    return _json(413, {"errors": [{"row": None, "column": None, "value": None, "message": exc.message}]})


def domain(_: Request, exc: DomainError) -> Response:
    if isinstance(exc, Invalid):
        return _json(422, {"errors": [{"row": None, "column": exc.field, "value": exc.value, "message": exc.message}]})
    return _json(exc.status, {"detail": exc.message})


API_DETAIL = {404: "Nicht gefunden.", 405: "Diese Methode ist für diese Adresse nicht erlaubt."}


def http(request: Request, exc: HTTPException) -> Response:
    if exc.status_code >= 500:  # a fault of ours (e.g. a misconfigured middleware): its text stays in the log
        return internal(request, exc)
    if exc.status_code in API_DETAIL and not request.url.path.startswith(JSON_PATHS):
        from services.common.page_errors import http_error  # a person's address: a German page, never JSON

        return http_error(request, exc)
    if exc.status_code == 413:
        return _json(413, {"errors": [{"row": None, "column": None, "value": None,
                                       "message": "Die Datei ist zu gross."}]})
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthorizedException) else None
    detail = API_DETAIL.get(exc.status_code, exc.detail) if exc.detail in (None, "", _ENGLISH.get(exc.status_code)) \
        else exc.detail
    body = {"detail": detail}
    if exc.status_code == 400 and exc.extra:
        body["extra"] = exc.extra
    return Response(content=body, status_code=exc.status_code, media_type=MediaType.JSON, headers=headers)


def unavailable(request: Request, exc: Exception) -> Response:
    # the store is busy (no free connection in time) or out of reach: the client may try again; nothing was stored
    log.warning("store unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return Response(content={"detail": "Die Datenbank ist im Moment nicht erreichbar oder ausgelastet. "
                                       "Es wurde nichts gespeichert; bitte in einer Minute nochmals versuchen."},
                    status_code=503, media_type=MediaType.JSON, headers={"Retry-After": "30"})


def internal(request: Request, exc: Exception) -> Response:
    # The path only: never the body, the query, cookies or tokens.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _json(500, {"detail": "Interner Fehler. Bitte später nochmals versuchen."})


EXCEPTION_HANDLERS = {
    SubmissionRejected: rejected,
    SubmissionTooLarge: too_large,
    DomainError: domain,
    NotAuthorizedException: http,
    PermissionDeniedException: http,
    HTTPException: http,
    es_persistence.OperationalError: unavailable,
    es_persistence.InterfaceError: unavailable,
    psycopg.OperationalError: unavailable,
    PoolTimeout: unavailable,
    Exception: internal,
}
