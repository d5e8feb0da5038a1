"""Capacity reports (mixed into the reporting Application): places offered and occupied per offering and month;
a report arriving re-evaluates the month's invoices (capacity checks), each change an event."""
from __future__ import annotations

from uuid import UUID

from shared.kernel.errors import NotFound
from shared.kernel.periods import Period
from shared.privacy.sealing import open_text
from shared.submissions.application.uploads import Stored, Upload, period_mismatch, safe_filename
from shared.submissions.domain.capacity_report import CapacityReport, capacity_report_id
from shared.submissions.domain.documents import (
    SubmissionRejected,
    capacity_row_to_dict,
)
from shared.submissions.domain.provider_month import (
    provider_month_id,
)
from shared.submissions.parsers import parse_capacity_report


class CapacityCommands:
    # --- capacity reports --------------------------------------------------------------------
    def submit_capacity_report(self, provider: str, upload: Upload, actor: str) -> Stored:
        parsed = parse_capacity_report(upload.data, catalogue=self._catalogue(), content_type=upload.content_type,
                                       filename=upload.filename, limits=self.limits)
        period = str(parsed.period)
        rid = capacity_report_id(provider, period, upload.sha256)

        def command() -> Stored:
            existing = self.get_or_none(rid)
            if existing is not None:
                return Stored(self.capacity_report_view(existing), False)
            month = self._month(provider, period)
            now = self.clock()
            report = CapacityReport(provider=provider, period=period, submission={
                "version": 1, "sha256": upload.sha256, "filename": self._sealed_name(upload.filename),
                "content_type": upload.content_type, "original": upload.data, "received_at": now.isoformat(),
                "actor": actor, "rows": [capacity_row_to_dict(r) for r in parsed.rows],
                "warnings": [w.as_dict() for w in parsed.warnings]})
            month.file_capacity_report(report.id)
            reevaluated = self._reevaluate_month(provider, month, now, actor, pending=report)
            self.save(report, month, *reevaluated, *self._ledger_if_new(provider, period))
            return Stored(self.capacity_report_view(report), True)

        return self.retrying(command)

    def correct_capacity_report(self, provider: str, rid: UUID, upload: Upload, actor: str) -> Stored:
        report = self.capacity_report(provider, rid)
        parsed = parse_capacity_report(upload.data, catalogue=self._catalogue(), content_type=upload.content_type,
                                       filename=upload.filename, limits=self.limits)
        if str(parsed.period) != report.period:
            raise SubmissionRejected([period_mismatch(parsed, report.period)])

        def command() -> Stored:
            current: CapacityReport = self.repository.get(rid)
            if current.has_content(upload.sha256):
                return Stored(self.capacity_report_view(current), False)
            now = self.clock()
            current.correct(submission={
                "version": current.document_version + 1, "sha256": upload.sha256,
                "filename": self._sealed_name(upload.filename), "content_type": upload.content_type,
                "original": upload.data, "received_at": now.isoformat(), "actor": actor,
                "rows": [capacity_row_to_dict(r) for r in parsed.rows],
                "warnings": [w.as_dict() for w in parsed.warnings]})
            month = self.repository.get(provider_month_id(provider, current.period))
            reevaluated = self._reevaluate_month(provider, month, now, actor, pending=current)
            self.save(current, *reevaluated)
            return Stored(self.capacity_report_view(current), True)

        return self.retrying(command)

    def capacity_report(self, provider: str | None, rid: UUID) -> CapacityReport:
        found = self.get_or_none(rid)
        if not isinstance(found, CapacityReport) or (provider is not None and found.provider != provider):
            raise NotFound("Kapazitätsmeldung nicht gefunden")
        return found

    def capacity_reports(self, provider: str, period: str | None = None) -> list[CapacityReport]:
        periods = [period] if period else self.periods(provider)
        result = []
        for p in periods:
            month = self.get_or_none(provider_month_id(provider, p))
            if month is not None:
                result.extend(self.repository.get(i) for i in month.capacity_report_ids)
        return result

    def capacity_report_view(self, report: CapacityReport) -> dict:
        sub = report.latest
        return capacity_report_dict(self, str(report.id), report.provider, report.period, sub["version"],
                                    report.submissions[0]["received_at"], sub["received_at"], sub.get("filename"),
                                    sub["rows"], sub.get("warnings") or [])

    def _sealed_name(self, filename: str | None) -> str | None:
        """A file may be named after a person: its name is sealed with a document key of its own."""
        name = safe_filename(filename)
        if not name:
            return None
        sealer = self.required_sealer()
        return sealer.seal_text(sealer.vault.new_document_subject(), name)


def capacity_report_dict(app, report_id: str, provider: str, period: str, version: int, first_received_at: str,
                         received_at: str, filename: str | None, rows: list, warnings: list) -> dict:
    """api.md's capacity report (latest version): late by its first receipt, the file name as stored opened.
    `app`: the reporting Application (its deadlines and sealer); the replay and the read model both make it here."""
    return {"id": report_id, "provider": provider, "period": period, "version": int(version),
            "received_at": received_at, "status": "received",
            "late": app.deadlines.is_late(Period.parse(period), first_received_at),
            "filename": open_text(filename, app.sealer), "rows": rows, "warnings": warnings}
