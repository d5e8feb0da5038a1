"""The monthly invoice of one provider: every version as received, with its check result."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.aggregates import stable_id


def invoice_id(provider: str, period: str, sha256: str) -> UUID:
    return stable_id("invoice", provider, period, sha256)


class Invoice(Aggregate):
    """A submission is a dict: version, sha256, filename, content_type, original (bytes), received_at,
    actor, lines (parsed, as dicts), result (the check result), warnings."""

    @staticmethod
    def create_id(provider: str, period: str, submission: dict) -> UUID:
        return invoice_id(provider, period, submission["sha256"])

    @event("Received")
    def __init__(self, provider: str, period: str, submission: dict):
        self.provider = provider
        self.period = period
        self.submissions = [submission]
        self.result = submission["result"]
        self.reevaluations: list[dict] = []

    @event("Corrected")
    def correct(self, submission: dict) -> None:
        self.submissions.append(submission)
        self.result = submission["result"]

    @event("Reevaluated")
    def reevaluate(self, result: dict, reason: str, actor: str) -> None:
        self.result = result
        self.reevaluations.append({"version": self.document_version, "reason": reason})

    @property
    def document_version(self) -> int:
        return len(self.submissions)

    @property
    def latest(self) -> dict:
        return self.submissions[-1]

    @property
    def first_received_at(self) -> str:
        return self.submissions[0]["received_at"]

    def submission(self, version: int) -> dict:
        return self.submissions[version - 1]

    def has_content(self, sha256: str) -> bool:
        return self.latest["sha256"] == sha256
