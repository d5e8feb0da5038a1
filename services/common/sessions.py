"""The session cookie of both services: server-side sessions, a fresh id at login, `__Host-` behind HTTPS."""
from __future__ import annotations

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from shared.config import Settings

# Paths without a session, anchored: a page whose path merely contains «/schema» or «/api/» keeps its session.
NO_SESSION_PATHS = ["^/api/", "^/schema(/|$)", "^/health$", "^/static/"]
NO_CSRF_PATHS = ["^/api/", "^/schema(/|$)", "^/health$"]
ROTATE = "_rotate"  # marker in the session: give it a new id when it is stored (after login)
LOADED = "ami.session_loaded"  # in the request's scope: the session's bytes as the store gave them


class PortalSessionBackend(ServerSideSessionBackend):
    """Server-side sessions that get a fresh id at login (no session fixation), store nothing for
    anonymous visitors, and are written only when they changed (a page view that changes nothing writes no
    file: issue 16, the pages under load waited on the disk with the session's write)."""

    async def load_from_connection(self, connection) -> dict:
        if session_id := connection.cookies.get(self.config.key):
            data = await self.get(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
            if data is not None:
                connection.scope[LOADED] = data
                return self.deserialize_data(data)
        return {}

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        sent_id = connection.cookies.get(self.config.key)
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        if scope_session is Empty or not scope_session:
            if sent_id and sent_id != "null":
                await self.delete(sent_id, store=store)
                headers.add("Set-Cookie", Cookie(value="null", key=self.config.key, expires=0,
                                                 **params).to_header(header=""))
            return
        if isinstance(scope_session, dict) and scope_session.pop(ROTATE, False):
            if sent_id and sent_id != "null":
                await self.delete(sent_id, store=store)
            session_id = self.generate_session_id()
        else:
            session_id = self.get_session_id(connection)
        data = self.serialize_data(scope_session, connection.scope)
        if session_id == sent_id and data == connection.scope.get(LOADED):
            return  # unchanged: the stored session and the browser's cookie stay as they are
        await self.set(session_id, data, store=store)
        cookie = Cookie(value=session_id, key=self.config.key, **params)
        headers.add("Set-Cookie", cookie.to_header(header=""))


class PortalSessionConfig(ServerSideSessionConfig):
    _backend_class = PortalSessionBackend


def cookie_name(name: str, settings: Settings) -> str:
    """Behind HTTPS the cookies carry the `__Host-` prefix: Secure, path /, never for another host."""
    return f"__Host-{name}" if settings.secure_cookies else name


def session_config(settings: Settings) -> PortalSessionConfig:
    """The session middleware of both apps; the store keeps a session at most the absolute lifetime."""
    return PortalSessionConfig(key=cookie_name("ami_session", settings), max_age=settings.session_absolute_hours * 3600,
                               secure=settings.secure_cookies, httponly=True, samesite="strict",
                               exclude=NO_SESSION_PATHS)
