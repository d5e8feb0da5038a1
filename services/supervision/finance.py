"""Supervision routes: finance (filled by its own issue)."""
from __future__ import annotations

HANDLERS: list = []
