"""Who is calling: bearer tokens for /api/, one guard per action; enforced here for both services."""
from __future__ import annotations

from anyio import to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from shared.access.domain.roles import Principal
from shared.portal import Portal


def portal_of(connection: ASGIConnection) -> Portal:
    return connection.app.state.portal


async def authenticate(connection: ASGIConnection) -> Principal:
    """401 without a token or with a bad or revoked one."""
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("Anmeldung erforderlich: Authorization: Bearer TOKEN")
    principal = await to_thread.run_sync(portal_of(connection).supervision.authenticate_token, token.strip())
    if principal is None:
        raise NotAuthorizedException("Token ungültig oder widerrufen")
    return principal


def require(action: str):
    """A guard for an API route: authenticated, and the role may do the action (roles.PERMISSIONS)."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        principal = await authenticate(connection)
        connection.state.principal = principal  # known before a refusal: the access log records refused attempts
        if not principal.may(action):
            raise PermissionDeniedException("Diese Rolle hat hier keinen Zugang")

    return guard


async def current_principal(request: Request) -> Principal:
    return request.state.principal
