"""The monthly capacity report of one provider: places offered and occupied per offering."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names


def capacity_report_id(provider: str, period: str, sha256: str) -> UUID:
    return stable_id("capacity-report", provider, period, sha256)


class CapacityReport(Aggregate):
    @staticmethod
    def create_id(provider: str, period: str, submission: dict) -> UUID:
        return capacity_report_id(provider, period, submission["sha256"])

    @event("Received")
    def __init__(self, provider: str, period: str, submission: dict):
        self.provider = provider
        self.period = period
        self.submissions = [submission]

    @event("Corrected")
    def correct(self, submission: dict) -> None:
        self.submissions.append(submission)

    @property
    def document_version(self) -> int:
        return len(self.submissions)

    @property
    def latest(self) -> dict:
        return self.submissions[-1]

    def has_content(self, sha256: str) -> bool:
        return self.latest["sha256"] == sha256


keep_stored_names("shared.aggregates.capacity_report", CapacityReport)
