"""What both services' Applications share: transcodings and retry on a concurrent write."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from shared.store import BytesAsBase64, DateAsISO

T = TypeVar("T")


class PortalApplication(Application[UUID]):
    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(BytesAsBase64())

    def get_or_none(self, aggregate_id: UUID):
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def retrying(self, command: Callable[[], T], attempts: int = 8) -> T:
        """Run a load-decide-save command again when another writer saved first (optimistic locking)."""
        for attempt in range(attempts):
            try:
                return command()
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")
