"""The history of a register entry: who changed what when, with old and new values."""
from __future__ import annotations

from uuid import UUID

from shared.kernel.errors import NotFound
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


def register_entry(app, aggregate_id: UUID, what: str, provider: str | None = None):
    """The register entry (of `provider`, if given); NotFound «{what} nicht gefunden» otherwise."""
    entry = app.get_or_none(aggregate_id)
    if entry is None or (provider is not None and getattr(entry, "provider", getattr(entry, "slug", None)) != provider):
        raise NotFound(f"{what} nicht gefunden")
    return entry


def provider_entry_history(app, slug: str, aggregate_id: UUID, what: str) -> dict:
    """provider, and the entries of one of its register entries newest first, each change as field, old and
    new value (the provider and the code, which never change, left out)."""
    provider = app.provider(slug)
    register_entry(app, aggregate_id, what, slug)
    entries = [{**h, "changes": [{"field": k, "old": c["old"], "new": c["new"]} for k, c in h["changes"].items()
                                 if k not in ("provider", "code")]}
               for h in entry_history(app, aggregate_id)]
    return {"provider": provider, "entries": list(reversed(entries))}
