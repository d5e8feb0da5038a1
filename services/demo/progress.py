"""What the demo reports while it runs (Progress) and what it did in the end (Summary)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


class Progress:
    """What the demo reports while it runs (the CLI shows it with rich; tests ignore it)."""

    def start(self, key: str, description: str, total: int) -> None: ...

    def advance(self, key: str, detail: str = "", steps: int = 1) -> None: ...

    def finish(self, key: str) -> None: ...


@dataclass
class Summary:
    """What a demo run did (counted from several threads)."""

    providers: int = 0
    offerings_registered: int = 0
    invoices: int = 0
    corrections: int = 0
    capacity_reports: int = 0
    documents_existing: int = 0
    decisions: int = 0
    approvals: int = 0
    returns: int = 0
    fee_waivers: int = 0
    accounts_created: list[str] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)
    projected: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def merge(self, other: Summary) -> Summary:
        """This run and a later one (another year) as one: counts added, the later run's event heads."""
        for name in ("offerings_registered", "invoices", "corrections", "capacity_reports", "documents_existing",
                     "decisions", "approvals", "returns", "fee_waivers", "projected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.providers = max(self.providers, other.providers)
        self.accounts_created += other.accounts_created
        self.events, self.seconds = other.events or self.events, self.seconds + other.seconds
        return self

    def count(self, **increments: int) -> None:
        with self._lock:
            for name, n in increments.items():
                setattr(self, name, getattr(self, name) + int(n))
