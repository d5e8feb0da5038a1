"""Browser login for both services: session cookie, expiry, login throttling and the page guard."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from shared.access.domain.roles import Principal
from shared.config import Settings
from shared.kernel.errors import DomainError
from shared.register.domain.register import provider_id

# Where each service sends a user after login, and what a role must be allowed to see its pages.
HOME = {"reporting": "/meldungen", "supervision": "/dashboard"}
ACCESS = {"reporting": "read_own", "supervision": "supervise"}
_ROTATE = "_rotate"  # marker in the session: give it a new id when it is stored (after login)


# --- the session cookie --------------------------------------------------------------------------
class PortalSessionBackend(ServerSideSessionBackend):
    """Server-side sessions that get a fresh id at login (no session fixation) and store nothing for
    anonymous visitors."""

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
        if isinstance(scope_session, dict) and scope_session.pop(_ROTATE, False):
            if sent_id and sent_id != "null":
                await self.delete(sent_id, store=store)
            session_id = self.generate_session_id()
        else:
            session_id = self.get_session_id(connection)
        await self.set(session_id, self.serialize_data(scope_session, connection.scope), store=store)
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
                               exclude=["/api/", "/schema", "/health", "/static"])


# --- login throttling ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ThrottleLimits:
    window_seconds: int = 15 * 60
    per_account: int = 5
    per_address: int = 20


class LoginThrottle:
    """Failed logins per account and per address in a small table every worker shares: a SQLite file
    in the data folder, or the PostgreSQL database when the portal runs on it."""

    TABLE = "login_failures"

    def __init__(self, settings: Settings, limits: ThrottleLimits | None = None) -> None:
        self.settings = settings
        self.limits = limits or ThrottleLimits()
        self._ready = False

    # a tiny adapter over the two databases: the statements are the same but for the placeholder
    def _run(self, sql: str, params: tuple = (), *, fetch: bool = False) -> list[tuple]:
        if self.settings.database_url:
            from shared.store.eventstore import pg_connection

            with pg_connection(self.settings.database_url) as conn:
                if not self._ready:
                    conn.execute("CREATE SCHEMA IF NOT EXISTS ami_web")
                    conn.execute("CREATE TABLE IF NOT EXISTS ami_web.login_failures (kind TEXT NOT NULL, "
                                 "key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)")
                    conn.execute("CREATE INDEX IF NOT EXISTS login_failures_key "
                                 "ON ami_web.login_failures (kind, key, at)")
                    self._ready = True
                pg_sql = sql.replace("?", "%s").replace(self.TABLE, "ami_web." + self.TABLE)
                cur = conn.execute(pg_sql, params)
                return cur.fetchall() if fetch else []
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.settings.data_dir / "web-logins.sqlite", timeout=30)) as conn, conn:
            if not self._ready:
                conn.execute("CREATE TABLE IF NOT EXISTS login_failures (kind TEXT NOT NULL, "
                             "key TEXT NOT NULL, at REAL NOT NULL)")
                conn.execute("CREATE INDEX IF NOT EXISTS login_failures_key "
                             "ON login_failures (kind, key, at)")
                self._ready = True
            cur = conn.execute(sql, params)
            return cur.fetchall() if fetch else []

    def _count(self, kind: str, key: str, now: float) -> int:
        rows = self._run("SELECT count(*) FROM login_failures WHERE kind = ? AND key = ? AND at > ?",
                         (kind, key, now - self.limits.window_seconds), fetch=True)
        return int(rows[0][0])

    def blocked(self, username: str, address: str, now: float) -> bool:
        return (self._count("account", username.lower(), now) >= self.limits.per_account
                or self._count("address", address, now) >= self.limits.per_address)

    def failed(self, username: str, address: str, now: float) -> None:
        self._run("DELETE FROM login_failures WHERE at <= ?", (now - self.limits.window_seconds,))
        self._run("INSERT INTO login_failures (kind, key, at) VALUES (?, ?, ?), (?, ?, ?)",
                  ("account", username.lower(), now, "address", address, now))

    def succeeded(self, username: str) -> None:
        self._run("DELETE FROM login_failures WHERE kind = ? AND key = ?", ("account", username.lower()))


def throttle_of(request: Request) -> LoginThrottle:
    state = request.app.state
    if state.get("login_throttle") is None:
        state.login_throttle = LoginThrottle(state.settings)
    return state.login_throttle


# --- the page guard -----------------------------------------------------------------------------
class LoginRequired(Exception):
    """No valid session: the page handlers' exception handler answers with a redirect to /login."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("Anmeldung erforderlich")
        self.expired = expired


def _now(request: Request) -> float:
    """Seconds since the epoch on the portal's clock (settable in tests)."""
    return request.app.state.portal.reporting.clock().timestamp()


def service_of(request: Request) -> str:
    return request.app.state.service


def home_of(request: Request) -> str:
    return HOME.get(service_of(request), "/")


async def session_principal(request: Request) -> Principal | None:
    """The logged-in user, or None. Ends the session when it is idle or too old, or when the account was
    disabled or changed role since login (the account is read again on every request)."""
    session = request.session
    username = session.get("username")
    if not username:
        return None
    settings: Settings = request.app.state.settings
    now = _now(request)
    idle = now - float(session.get("seen", 0))
    age = now - float(session.get("login_at", 0))
    if idle > settings.session_idle_minutes * 60 or age > settings.session_absolute_hours * 3600 or age < -60:
        request.clear_session()
        raise LoginRequired(expired=True)
    principal = await to_thread.run_sync(request.app.state.portal.supervision.account_principal, username)
    if principal is None or (principal.role, principal.provider) != (session.get("role"),
                                                                       session.get("provider")):
        request.clear_session()
        return None
    session["seen"] = now
    return principal


async def page_principal(request: Request) -> Principal:
    """The user of a page; redirects to /login without a valid session."""
    principal = await session_principal(request)
    if principal is None:
        raise LoginRequired()
    return principal


def page_guard(action: str) -> Provide:
    """The dependency `principal` of pages for roles that may do `action` (shared.access.domain.roles.PERMISSIONS)."""

    async def dependency(request: Request) -> Principal:
        principal = await page_principal(request)
        if not principal.may(action):
            raise PermissionDeniedException("Ihr Konto hat auf diese Seite keinen Zugang.")
        request.state.principal = principal
        return principal

    return Provide(dependency)


# --- answers for page handlers: redirects and German error pages, never JSON --------------------
def _to_login(request: Request, exc: LoginRequired) -> Response:
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    query = "next=" + quote(target, safe="/")
    if exc.expired:
        query += "&abgelaufen=1"
    return Redirect(f"/login?{query}", status_code=303)


def page_context(request: Request, principal: Principal | None, **extra) -> dict:
    """What every page's layout needs: the service, the user's label for the header, the active menu."""
    label = ""
    if principal is not None:
        from shared.presentation.labels import role

        label = principal.name.removeprefix("user:")
        if principal.provider:
            provider = request.app.state.portal.supervision.get_or_none(provider_id(principal.provider))
            label += f" · {provider.name if provider else principal.provider}"
        else:
            label += f" · {role(principal.role)}"
    return {"service": service_of(request), "principal": principal, "user_label": label, **extra}


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    principal = getattr(request.state, "principal", None)
    return Template("error.html", status_code=status, context=page_context(
        request, principal, title=title, message=message, status=status))


def _http_error(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 403:
        return _error_page(request, 403, "Kein Zugang", "Ihr Konto hat auf diese Seite keinen Zugang. "
                           "Anbietende arbeiten im Meldeportal, die Aufsicht im Aufsichtsportal.")
    if exc.status_code == 404:
        return _error_page(request, 404, "Nicht gefunden", "Diese Seite oder dieses Dokument gibt es nicht.")
    if exc.status_code == 413:
        return _error_page(request, 413, "Datei zu gross", "Die Datei ist zu gross. Bitte teilen Sie sie auf "
                           "oder speichern Sie sie als CSV.")
    if exc.status_code == 400:
        return _error_page(request, 400, "Ungültige Angaben", "Die Adresse enthält ungültige Angaben "
                           "(zum Beispiel Jahr, Monat oder Version). Bitte wählen Sie über das Menü neu.")
    return _error_page(request, exc.status_code, "Anfrage nicht möglich", str(exc.detail))


def _domain_error(request: Request, exc: DomainError) -> Response:
    if exc.status == 404:
        return _error_page(request, 404, "Nicht gefunden", "Diese Seite oder dieses Dokument gibt es nicht.")
    return _error_page(request, exc.status, "Anfrage nicht möglich", exc.message)


PAGE_EXCEPTION_HANDLERS: dict[Any, Any] = {
    LoginRequired: _to_login,
    NotFoundException: _http_error,
    PermissionDeniedException: _http_error,
    HTTPException: _http_error,
    DomainError: _domain_error,
}


# --- login and logout ----------------------------------------------------------------------------
def safe_next(value: str | None, default: str) -> str:
    """Only a path on this site: never another host (open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def _login_page(request: Request, *, status: int = 200, error: str | None = None, username: str = "",
                next_url: str = "") -> Template:
    notice = None
    if request.query_params.get("abgemeldet"):
        notice = "Sie sind abgemeldet."
    elif request.query_params.get("abgelaufen"):
        notice = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
    return Template("login.html", status_code=status, context=page_context(
        request, None, error=error, notice=notice, username=username,
        next=next_url or safe_next(request.query_params.get("next"), "")))


async def start_or_home(request: Request, template: str) -> Response:
    """A service's start page for visitors; a logged-in user goes straight to their home page."""
    try:
        principal = await session_principal(request)
    except LoginRequired:
        principal = None
    if principal is not None and principal.may(ACCESS.get(service_of(request), "")):
        return Redirect(home_of(request), status_code=303)
    return Template(template, context=page_context(request, None))


@get("/login", include_in_schema=False)
async def login_form(request: Request) -> Response:
    try:
        principal = await session_principal(request)
    except LoginRequired:
        principal = None
    if principal is not None and principal.may(ACCESS.get(service_of(request), "")):
        return Redirect(safe_next(request.query_params.get("next"), home_of(request)), status_code=303)
    return _login_page(request)


@dataclass
class LoginForm:
    username: str = ""
    password: str = ""
    next: str = ""


WRONG = "Benutzername oder Passwort ist falsch."
THROTTLED = ("Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die Anmeldung für "
             "15 Minuten gesperrt. Bitte versuchen Sie es später erneut oder wenden Sie sich an das AGS.")
NO_ACCESS = ("Dieses Konto hat hier keinen Zugang. Programmanbietende melden sich im Meldeportal an, "
             "die Aufsicht und die Finanzen im Aufsichtsportal.")


@post("/login", include_in_schema=False)
async def login(request: Request,
                data: LoginForm = Body(media_type=RequestEncodingType.URL_ENCODED)) -> Response:
    username = (data.username or "").strip()[:100]
    password = (data.password or "")[:1000]
    next_url = safe_next(data.next, "")
    address = request.client.host if request.client else "unknown"
    throttle = throttle_of(request)
    now = _now(request)
    if not username or not password:
        return _login_page(request, status=400, error="Bitte Benutzername und Passwort eingeben.",
                           username=username, next_url=next_url)
    if await to_thread.run_sync(throttle.blocked, username, address, now):
        return _login_page(request, status=429, error=THROTTLED, username=username, next_url=next_url)
    principal = await to_thread.run_sync(request.app.state.portal.supervision.login, username, password)
    if principal is None:
        await to_thread.run_sync(throttle.failed, username, address, now)
        return _login_page(request, status=401, error=WRONG, username=username, next_url=next_url)
    await to_thread.run_sync(throttle.succeeded, username)
    if not principal.may(ACCESS.get(service_of(request), "")):
        return _login_page(request, status=403, error=NO_ACCESS, username=username, next_url=next_url)
    request.set_session({"username": principal.name.removeprefix("user:"), "role": principal.role,
                         "provider": principal.provider, "login_at": now, "seen": now, _ROTATE: True})
    return Redirect(safe_next(next_url, home_of(request)), status_code=303)


@post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    request.clear_session()
    return Redirect("/login?abgemeldet=1", status_code=303)


HANDLERS = [login_form, login, logout]
