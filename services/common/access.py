"""The access log of participant data: one middleware for both services, classified by the matched route."""
# Every answered request that stores, changes, reads or discloses participant data is logged, so no handler can
# forget it. The rules read the route the router matched, with its parsed ids written the one canonical way
# (`canonical_path`): an id spelt in upper case, without dashes, as urn:uuid: or in braces is the same id and
# the same entry, never a way around the log.
from __future__ import annotations

import logging
import re
from uuid import UUID

from anyio import to_thread
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from shared.privacy.adapters.access_log import AccessEntry, AccessLog

log = logging.getLogger("ami.access")

ID = r"[0-9a-f-]{36}"
RULES: list[tuple[str, re.Pattern, str]] = [
    ("POST", re.compile(r"^/(api/v1/invoices|api/v1/capacity-reports|meldungen/rechnung|meldungen/kapazitaet)$"),
     "store"),
    ("POST", re.compile(rf"^/(api/v1/)?(invoices|rechnungen|capacity-reports|kapazitaetsmeldungen)/{ID}/"
                        r"(versions|korrektur)$"), "change"),
    ("POST", re.compile(r"^/api/v1/fee-waivers(/.*)?$"), "change"),
    ("POST", re.compile(r"^/finanzen/kostenerlasse(/.*)?$"), "change"),
    ("PUT", re.compile(r"^/api/v1/fee-waivers/.+$"), "change"),
    ("POST", re.compile(rf"^/(api/v1/invoices|rechnungen)/{ID}/(statements|belege)/[^/]+$"), "disclose"),
    ("POST", re.compile(r"^/(api/v1/findings/|rechnungen/).+"), "change"),
    ("GET", re.compile(r".*\.(pdf|xlsx|csv|json|zip)$|.*/original$"), "disclose"),
    ("GET", re.compile(rf"^/(api/v1/)?(invoices|rechnungen|capacity-reports|kapazitaetsmeldungen)/{ID}"), "read"),
    ("GET", re.compile(r"^/api/v1/(funding|fee-waivers|reconciliation|exits|evaluations)"), "read"),
    ("GET", re.compile(r"^/(anbieter|finanzen|auswertung)"), "read"),
]


PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def canonical_path(scope: Scope) -> str:
    """The path as the matched route writes it, each parameter as parsed (a UUID as 8-4-4-4-12, lower case)."""
    template = scope.get("path_template")
    if not template:
        return scope["path"]
    params = scope.get("path_params") or {}

    def value(m: re.Match) -> str:
        found = params.get(m.group(1), m.group(0))
        if m.group(2) == "uuid" and not isinstance(found, UUID):
            try:
                found = UUID(str(found))
            except ValueError:
                pass
        return str(found)

    return PARAM.sub(value, template)


REFUSED = (403, 404)


def classify(method: str, path: str) -> str | None:
    for rule_method, pattern, action in RULES:
        if method == rule_method and pattern.match(path):
            return action
    return None


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 0}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, capture)
        path = canonical_path(scope)
        action = classify(scope["method"], path)
        principal = (scope.get("state") or {}).get("principal")
        if not action or principal is None:
            return
        code = status["code"]
        if 200 <= code < 400:
            entry = AccessEntry(actor=principal.name, action=action,
                                subject=f"{scope['method']} {path}", recipient=principal.name)
        elif code in REFUSED:  # an attempt at data that is not the caller's (or not there): recorded as well
            entry = AccessEntry(actor=principal.name, action="refused",
                                subject=f"{scope['method']} {path} ({code})", recipient=principal.name)
        else:
            return
        try:
            await to_thread.run_sync(access_log(scope).record, entry)
        except Exception:  # the answer is sent; a failed log entry must be seen by operations
            log.exception("access log entry failed for %s %s", scope["method"], path)


def access_log(scope: Scope) -> AccessLog:
    state = scope["app"].state
    found = state.get("access_log")
    if found is None:
        found = state.access_log = AccessLog(state.settings)
    return found
