"""Event-sourced aggregates, one module per aggregate; their events are nested, in the past tense."""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

NAMESPACE = uuid5(NAMESPACE_URL, "https://ags.so.ch/ami-portal")


def stable_id(*parts: str) -> UUID:
    """A deterministic id: the same parts always name the same aggregate (idempotent commands)."""
    return uuid5(NAMESPACE, "|".join(parts))
