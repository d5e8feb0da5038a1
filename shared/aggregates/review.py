"""The supervisor's decisions on one invoice: findings confirmed or waived, approval, return for correction."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.aggregates import stable_id


def review_id(invoice_id: UUID) -> UUID:
    return stable_id("invoice-review", str(invoice_id))


class InvoiceReview(Aggregate):
    @staticmethod
    def create_id(invoice_id: UUID, **_: object) -> UUID:
        return review_id(invoice_id)

    @event("Opened")
    def __init__(self, invoice_id: UUID, provider: str, period: str):
        self.invoice_id = invoice_id
        self.provider = provider
        self.period = period
        self.decisions: dict[str, dict] = {}  # "row/code" -> decision
        self.approved_version: int | None = None
        self.returned: dict | None = None

    @event("FindingReviewed")
    def review_finding(self, row: int, code: str, decision: str, comment: str, actor: str, version: int) -> None:
        self.decisions[f"{row}/{code}"] = {"row": row, "code": code, "decision": decision, "comment": comment,
                                           "actor": actor, "version": version}

    @event("Approved")
    def approve(self, version: int, comment: str, actor: str) -> None:
        self.approved_version = version
        self.returned = None

    @event("ReturnedForCorrection")
    def return_for_correction(self, version: int, reason: str, actor: str) -> None:
        self.returned = {"version": version, "reason": reason, "actor": actor}
        self.approved_version = None

    def decision(self, row: int, code: str) -> dict | None:
        return self.decisions.get(f"{row}/{code}")
