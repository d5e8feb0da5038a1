"""Post/redirect/get: what a form's answer has to say travels in the session to the next page, shown once."""
from __future__ import annotations

from litestar import Request
from litestar.response import Redirect

KEY = "flash"


def redirect_with(request: Request, url: str, **message) -> Redirect:
    """A 303 to `url` (a GET: a reload never sends the form again) with `message` for that page (e.g. saved=…,
    error=…, at=… the finding the message belongs to, typed=… the text to show again)."""
    request.session[KEY] = {k: v for k, v in message.items() if v is not None}
    return Redirect(url, status_code=303)


def take(request: Request) -> dict:
    """The message left for this page by the last form, once (empty if none)."""
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return {}
    return session.pop(KEY, None) or {}
