"""Login and logout pages of both services, and the start page that sends a logged-in user home."""
from __future__ import annotations

from urllib.parse import urlsplit

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from services.common.forms import FORM, LoginForm
from services.common.layout import page_context
from services.common.login_throttle import throttle_of
from services.common.page_guard import LoginRequired, home_of, may_enter, now_seconds, session_principal
from services.common.sessions import ROTATE

EMPTY = "Bitte Benutzername und Passwort eingeben."
WRONG = "Benutzername oder Passwort ist falsch."
THROTTLED = ("Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die Anmeldung für "
             "15 Minuten gesperrt. Bitte versuchen Sie es später erneut oder wenden Sie sich an das AGS.")
NO_ACCESS = ("Dieses Konto hat hier keinen Zugang. Programmanbietende melden sich im Meldeportal an, "
             "die Aufsicht und die Finanzen im Aufsichtsportal.")


def safe_next(value: str | None, default: str) -> str:
    """Only a path on this site: never another host (open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


async def _current_user(request: Request):
    try:
        return await session_principal(request)
    except LoginRequired:
        return None


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
    user = await _current_user(request)
    if may_enter(request, user):
        return Redirect(home_of(request, user), status_code=303)
    return Template(template, context=page_context(request, None))


@get("/login", include_in_schema=False)
async def login_form(request: Request) -> Response:
    user = await _current_user(request)
    if may_enter(request, user):
        return Redirect(safe_next(request.query_params.get("next"), home_of(request, user)), status_code=303)
    return _login_page(request)


@post("/login", include_in_schema=False)
async def login(request: Request, data: LoginForm = FORM) -> Response:
    username = (data.username or "").strip()[:100]
    password = (data.password or "")[:1000]
    next_url = safe_next(data.next, "")
    address = request.client.host if request.client else "unknown"
    throttle = throttle_of(request)
    now = now_seconds(request)

    def refused(status: int, error: str) -> Template:
        return _login_page(request, status=status, error=error, username=username, next_url=next_url)

    if not username or not password:
        return refused(400, EMPTY)
    if await to_thread.run_sync(throttle.blocked, username, address, now):
        return refused(429, THROTTLED)
    principal = await to_thread.run_sync(request.app.state.portal.supervision.login, username, password)
    if principal is None:
        await to_thread.run_sync(throttle.failed, username, address, now)
        return refused(401, WRONG)
    await to_thread.run_sync(throttle.succeeded, username)
    if not may_enter(request, principal):
        return refused(403, NO_ACCESS)
    request.set_session({"username": principal.name.removeprefix("user:"), "role": principal.role,
                         "provider": principal.provider, "login_at": now, "seen": now, ROTATE: True})
    return Redirect(safe_next(next_url, home_of(request, principal)), status_code=303)


@post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    request.clear_session()
    return Redirect("/login?abgemeldet=1", status_code=303)


HANDLERS = [login_form, login, logout]
