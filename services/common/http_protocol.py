"""The HTTP/1.1 protocol of `ami serve`: uvicorn's h11 with a limit on a request's headers in size and time."""
# The HTTP/1.1 protocol `ami serve` runs uvicorn with: h11, with a limit on a request's headers in size and time.
#
# uvicorn picks httptools when it is installed, and httptools has no limit on a request's headers: uvicorn's
# `--h11-max-incomplete-event-size` only acts on h11, and h11 itself only limits headers that arrive in pieces (64 KB
# of headers in one TCP read pass). Here a request whose headers exceed that size (16 KB in `ami serve`) is answered
# 431 and the connection is closed, however they arrive.
#
# uvicorn has no deadline for the headers either (its keep-alive timeout stops with the first byte), so a client
# trickling a header line every few seconds would hold the connection for ever: here the headers must be complete
# `HEADER_TIMEOUT` seconds (AMI_HEADER_TIMEOUT, default 10) after the connection opened (or the previous response
# ended), else the answer is 408 and the connection is closed. Behind nginx, `client_header_timeout`
# (infra/nginx/ami.conf) guards the same way in front.
from __future__ import annotations

import asyncio
import os
import re

import h11
from uvicorn.protocols.http.h11_impl import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, H11Protocol

HEADER_TIMEOUT = float(os.environ.get("AMI_HEADER_TIMEOUT", "10"))  # seconds, as nginx's client_header_timeout
TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
TOO_LARGE = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
HEADERS_END = re.compile(rb"\n\r?\n")  # the blank line after the headers, as h11 finds it


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and self._headers_too_large(data):
            self._refuse(TOO_LARGE)
            return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in (or the connection failed)
            self._cancel_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_header_deadline()  # the next request's headers, on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def _headers_too_large(self, data: bytes) -> bool:
        """Would the headers being read, with `data`, exceed the limit before their blank line?"""
        limit = self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        pending = self.conn.trailing_data[0] + data
        end = HEADERS_END.search(pending, 0, limit + 3)
        return (end.end() if end else len(pending)) > limit

    def _refuse(self, answer: bytes) -> None:
        self._cancel_header_deadline()
        if self.conn.our_state is h11.IDLE:  # nothing of a response sent yet: say why
            self.transport.write(answer)
        self.transport.close()

    def _arm_header_deadline(self) -> None:
        self._cancel_header_deadline()
        self.header_deadline = self.loop.call_later(HEADER_TIMEOUT, self._headers_too_slow)

    def _cancel_header_deadline(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _headers_too_slow(self) -> None:
        self.header_deadline = None
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._refuse(TIMED_OUT)
