"""The access log of participant data: one middleware for both services, classified by route."""
# Every answered request that stores, changes, reads or discloses participant data is logged, so no handler can
# forget it.
from __future__ import annotations

import logging
import re

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
    ("PUT", re.compile(r"^/api/v1/fee-waivers/.+$"), "change"),
    ("POST", re.compile(rf"^/(api/v1/invoices|rechnungen)/{ID}/(statements|belege)/[^/]+$"), "disclose"),
    ("POST", re.compile(r"^/(api/v1/findings/|rechnungen/).+"), "change"),
    ("GET", re.compile(r".*\.(pdf|xlsx|csv|json|zip)$|.*/original$"), "disclose"),
    ("GET", re.compile(rf"^/(api/v1/)?(invoices|rechnungen|capacity-reports|kapazitaetsmeldungen)/{ID}"), "read"),
    ("GET", re.compile(r"^/api/v1/(funding|fee-waivers|reconciliation|exits|evaluations)"), "read"),
    ("GET", re.compile(r"^/(anbieter|finanzen|auswertung)"), "read"),
]


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
        action = classify(scope["method"], scope["path"])
        principal = (scope.get("state") or {}).get("principal")
        if action and principal is not None and 200 <= status["code"] < 400:
            entry = AccessEntry(actor=principal.name, action=action,
                                subject=f"{scope['method']} {scope['path']}", recipient=principal.name)
            try:
                await to_thread.run_sync(access_log(scope).record, entry)
            except Exception:  # the answer is sent; a failed log entry must be seen by operations
                log.exception("access log entry failed for %s %s", scope["method"], scope["path"])


def access_log(scope: Scope) -> AccessLog:
    state = scope["app"].state
    found = state.get("access_log")
    if found is None:
        found = state.access_log = AccessLog(state.settings)
    return found
