"""Event-sourced aggregates, one module per aggregate; their events are nested, in the past tense."""
from __future__ import annotations

from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

NAMESPACE = uuid5(NAMESPACE_URL, "https://ags.so.ch/ami-portal")


@lru_cache(maxsize=65536)  # a command names the same aggregates again (its month, ledger, book) several times
def stable_id(*parts: str) -> UUID:
    """A deterministic id: the same parts always name the same aggregate (idempotent commands)."""
    return uuid5(NAMESPACE, "|".join(parts))
