"""The history of a register entry: who changed what when, with old and new values."""
from __future__ import annotations

from uuid import UUID

from shared.store.history import read_history


def entry_history(app, aggregate_id: UUID) -> list[dict]:
    """Every event of a register aggregate (provider, offering, agreement, edition), with the values it changed."""
    history = []
    state: dict = {}
    for entry in read_history(app, aggregate_id):
        data = entry.data
        new_values = dict(data.get("terms") or data.get("changes") or data)
        changes = {}
        for key, value in new_values.items():
            old = state.get(key)
            if old != value:
                changes[key] = {"old": _plain(old), "new": _plain(value)}
        state.update(new_values)
        history.append({"type": entry.kind, "event": entry.event, "time": entry.time.isoformat(),
                        "actor": entry.actor, "version": entry.version, "changes": changes})
    return history


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
