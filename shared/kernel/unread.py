"""A caller's argument for an aggregate it has not read: the callee reads it. Distinct from None, which says
the caller read it and there is none (a provider without Kostengutsprachen, an invoice not reviewed yet)."""
from __future__ import annotations

UNREAD = object()
