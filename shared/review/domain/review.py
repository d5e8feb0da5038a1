"""The supervisor's decisions on one invoice: findings confirmed or waived, approval, return for correction."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Conflict
from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names


def review_id(invoice_id: UUID) -> UUID:
    return stable_id("invoice-review", str(invoice_id))


class InvoiceReview(Aggregate):
    """Comments and reasons are stored sealed with the invoice's document key (they may name a participant);
    the application attaches its Sealer when it loads a review, and they read opened."""

    _sealer = None

    def attach_sealer(self, sealer) -> None:
        self._sealer = sealer

    def _open(self, text):
        from shared.privacy.sealing import open_text

        return open_text(text, self._sealer)

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

    @event("FindingsReviewed")
    def review_findings(self, rows: list[int], code: str, decision: str, comment: str, actor: str,
                        version: int) -> None:
        """One decision on the finding `code` of several rows (a notice about the whole invoice on every row it
        concerns, or warnings confirmed together): one event, each row decided as by review_finding."""
        for row in rows:
            self.decisions[f"{row}/{code}"] = {"row": row, "code": code, "decision": decision, "comment": comment,
                                               "actor": actor, "version": version}

    def decide(self, rows: list[int], code: str, decision: str, comment: str, actor: str, version: int) -> None:
        """The decision on `rows`: one FindingReviewed for one row, one FindingsReviewed for several."""
        if len(rows) == 1:
            self.review_finding(row=rows[0], code=code, decision=decision, comment=comment, actor=actor,
                                version=version)
        elif rows:
            self.review_findings(rows=list(rows), code=code, decision=decision, comment=comment, actor=actor,
                                 version=version)

    def approve_once(self, version: int, comment: str, actor: str) -> None:
        """Approve `version`; Conflict if it is approved already (a second approval is refused, not recorded)."""
        if self.approved_version == version:
            raise Conflict(f"Version {version} ist bereits freigegeben; eine zweite Freigabe wird nicht erfasst.")
        self.approve(version=version, comment=comment, actor=actor)

    @event("Approved")
    def approve(self, version: int, comment: str, actor: str) -> None:
        self.approved_version = version
        self.returned = None

    @event("ReturnedForCorrection")
    def return_for_correction(self, version: int, reason: str, actor: str) -> None:
        self.returned = {"version": version, "reason": reason, "actor": actor}
        self.approved_version = None

    def decision(self, row: int, code: str) -> dict | None:
        found = self.decisions.get(f"{row}/{code}")
        return None if found is None else {**found, "comment": self._open(found["comment"])}

    def opened_decisions(self) -> list[dict]:
        return [{**d, "comment": self._open(d["comment"])} for d in self.decisions.values()]

    @property
    def returned_reason(self) -> str | None:
        return None if self.returned is None else self._open(self.returned["reason"])


keep_stored_names("shared.aggregates.review", InvoiceReview)
