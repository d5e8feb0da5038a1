"""Provider web pages: login, months, upload, findings, history (filled by the intake pages)."""
from __future__ import annotations

HANDLERS: list = []
