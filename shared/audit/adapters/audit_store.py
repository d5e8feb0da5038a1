"""Raw access to one service's store for the audit: its stored events and its two audit tables."""

from __future__ import annotations

from shared.audit.adapters.audit_tables import AuditTables
from shared.audit.adapters.stored_events import StoredEvents


class AuditStore(StoredEvents, AuditTables):
    """One service's store, opened with a connection of its own (never the Application's): `AuditStore.open`."""
