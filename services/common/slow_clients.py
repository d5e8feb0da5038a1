"""Slow uploads end: a request body that pauses too long or trickles in too slowly is answered 408 in German."""
# Slow uploads end: a request body that pauses too long, or trickles in too slowly, is answered 408 in German.
#
# uvicorn reads the body only as the application asks for it, and has no timeout of its own for that: a client sending
# 10 bytes every 2 seconds would hold a worker's connection for as long as it likes. The body must not pause longer
# than `body_timeout` seconds, and after its first `body_timeout` seconds it must have come at `body_min_rate` bytes a
# second at least (Settings; AMI_BODY_TIMEOUT, AMI_BODY_MIN_RATE).
from __future__ import annotations

import time

import anyio
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

SLOW = ("Die Datei kam zu langsam an; die Übertragung wurde abgebrochen und nichts gespeichert. "
        "Bitte nochmals senden.")
BODILESS = ("GET", "HEAD", "OPTIONS", "DELETE")


class SlowBody(HTTPException):
    status_code = 408


class BodyDeadlineMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in BODILESS:
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings
        timeout, rate = settings.body_timeout, settings.body_min_rate
        start, got, done = time.monotonic(), 0, False

        async def timed_receive() -> Message:
            nonlocal got, done
            if done:  # the body is in: waiting for a disconnect is not the client's upload
                return await receive()
            try:
                with anyio.fail_after(timeout):
                    message = await receive()
            except TimeoutError:
                raise SlowBody(detail=SLOW) from None
            if message["type"] == "http.request":
                got += len(message.get("body", b""))
                done = not message.get("more_body", False)
                elapsed = time.monotonic() - start
                if not done and elapsed > timeout and got < rate * (elapsed - timeout):
                    raise SlowBody(detail=SLOW)
            return message

        await self.app(scope, timed_receive, send)
