"""Who is on a page: the session's user (idle and absolute expiry, account read again) and the guard per action."""
from __future__ import annotations

from anyio import to_thread
from litestar import Request
from litestar.di import Provide
from litestar.exceptions import PermissionDeniedException

from shared.access.domain.roles import Principal
from shared.config import Settings

# Where each service sends a user after login, and what a role must be allowed to see its pages.
HOME = {"reporting": "/meldungen", "supervision": "/dashboard"}
ACCESS = {"reporting": "read_own", "supervision": "supervise"}
# the session's last activity is recorded at most once a minute: the pages between change no session and write
# none; an idle session may so end up to a minute before its idle time (30 minutes) is quite over
SEEN_STEP = 60


class LoginRequired(Exception):
    """No valid session: the page handlers' exception handler answers with a redirect to /login."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("Anmeldung erforderlich")
        self.expired = expired


def now_seconds(request: Request) -> float:
    """Seconds since the epoch on the portal's clock (settable in tests)."""
    return request.app.state.portal.reporting.clock().timestamp()


def service_of(request: Request) -> str:
    return request.app.state.service


ROLE_HOME = {("supervision", "finance"): "/finanzen"}  # finance works on the finance page first


def home_of(request: Request, principal: Principal | None = None) -> str:
    """Where a user lands after the login: the service's home, or their role's page in it."""
    service = service_of(request)
    role = principal.role if principal is not None else None
    return ROLE_HOME.get((service, role)) or HOME.get(service, "/")


def may_enter(request: Request, principal: Principal | None) -> bool:
    """The user may see this service's pages."""
    return principal is not None and principal.may(ACCESS.get(service_of(request), ""))


async def session_principal(request: Request) -> Principal | None:
    """The logged-in user, or None. Ends the session when it is idle or too old, or when the account was
    disabled or changed role since login (the account is read again on every request)."""
    session = request.session
    username = session.get("username")
    if not username:
        return None
    settings: Settings = request.app.state.settings
    now = now_seconds(request)
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
    if idle >= SEEN_STEP:  # else the session stays unchanged and is not written
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
        request.state.principal = principal  # known before a refusal: the access log records refused attempts
        if not principal.may(action):
            raise PermissionDeniedException("Ihr Konto hat auf diese Seite keinen Zugang.")
        return principal

    return Provide(dependency)


def guarded(action: str) -> dict[str, Provide]:
    """The dependencies of a page handler for roles that may do `action`: `principal`."""
    return {"principal": page_guard(action)}
