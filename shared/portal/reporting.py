"""The providers' side: receive, check and correct invoices and capacity reports."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from shared.checks import CheckContext, check_invoice, line_key, offering_errors
from shared.kernel.errors import Gone, NotFound
from shared.kernel.periods import Period
from shared.portal.supervision import SupervisionApplication
from shared.review.domain.status import apply_review
from shared.store.application import PortalApplication
from shared.submissions.application.history import document_history
from shared.submissions.domain.capacity_report import CapacityReport, capacity_report_id
from shared.submissions.domain.deadlines import Deadlines
from shared.submissions.domain.documents import (
    ParsedInvoice,
    SubmissionRejected,
    capacity_row_from_dict,
    capacity_row_to_dict,
    line_from_dict,
    line_to_dict,
)
from shared.submissions.domain.invoice import Invoice, invoice_id
from shared.submissions.domain.provider_month import (
    ProviderLedger,
    ProviderMonth,
    provider_ledger_id,
    provider_month_id,
)
from shared.submissions.parsers import Limits, parse_capacity_report, parse_invoice


@dataclass(frozen=True)
class Upload:
    data: bytes
    content_type: str | None
    filename: str | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Stored:
    """The outcome of a submission: the document and whether this call created it (201) or found it (200)."""

    document: dict
    created: bool


class ReportingApplication(PortalApplication):
    name = "reporting"

    def __init__(self, env=None, *, register: SupervisionApplication | None = None, limits: Limits | None = None,
                 deadline_day: int = 10, timezone: str = "Europe/Zurich",
                 clock: Callable[[], datetime] | None = None, sealer=None) -> None:
        super().__init__(env, sealer=sealer)
        self.register_app = register
        self.limits = limits or Limits()
        self.deadlines = Deadlines(deadline_day, timezone)
        self.deadline_day = deadline_day
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))

    # --- invoices ----------------------------------------------------------------------------
    def submit_invoice(self, provider: str, upload: Upload, actor: str) -> Stored:
        parsed = self._parse_invoice(provider, upload)
        period = str(parsed.period)
        iid = invoice_id(provider, period, upload.sha256)

        def command() -> Stored:
            existing = self.get_or_none(iid)
            if existing is not None:
                return Stored(self.invoice_view(existing), False)
            month = self._month(provider, period)
            now = self.clock()
            checked = check_invoice(parsed, self._context(provider, parsed.period, month, None, now))
            opened = self._submission(1, upload, parsed, checked.as_dict(), actor, now)
            invoice = Invoice(provider=provider, period=period, submission=self._seal(provider, iid, opened))
            invoice.attach_sealer(self.sealer)
            invoice.remember(opened)
            month.file_invoice(invoice.id)
            self.save(invoice, month, *self._ledger_if_new(provider, period))
            return Stored(self.invoice_view(invoice), True)

        return self.retrying(command)

    def correct_invoice(self, provider: str, iid: UUID, upload: Upload, actor: str) -> Stored:
        invoice = self.invoice(provider, iid)
        parsed = self._parse_invoice(provider, upload)
        if str(parsed.period) != invoice.period:
            raise SubmissionRejected([_period_mismatch(parsed, invoice.period)])

        def command() -> Stored:
            current: Invoice = self.repository.get(iid)
            if current.has_content(upload.sha256):
                return Stored(self.invoice_view(current), False)
            month = self._month(provider, current.period)
            now = self.clock()
            received = datetime.fromisoformat(current.first_received_at)
            checked = check_invoice(parsed, self._context(provider, parsed.period, month, iid, received))
            opened = self._submission(current.document_version + 1, upload, parsed, checked.as_dict(), actor, now)
            current.correct(submission=self._seal(provider, iid, opened))
            current.remember(opened)
            self.save(current)
            return Stored(self.invoice_view(current), True)

        return self.retrying(command)

    def invoice(self, provider: str | None, iid: UUID) -> Invoice:
        """The invoice if it exists and (for a provider) is its own; otherwise NotFound, never a hint."""
        found = self.get_or_none(iid)
        if not isinstance(found, Invoice) or (provider is not None and found.provider != provider):
            raise NotFound("Rechnung nicht gefunden")
        return found

    def invoices(self, provider: str, period: str | None = None) -> list[Invoice]:
        periods = [period] if period else self.periods(provider)
        result = []
        for p in periods:
            month = self.get_or_none(provider_month_id(provider, p))
            if month is not None:
                result.extend(self.repository.get(i) for i in month.invoice_ids)
        return result

    def periods(self, provider: str) -> list[str]:
        ledger = self.get_or_none(provider_ledger_id(provider))
        return sorted(ledger.periods) if ledger else []

    def invoice_view(self, invoice: Invoice, version: int | None = None, with_lines: bool = True) -> dict:
        sub = invoice.submission(version) if version else invoice.latest
        result = invoice.result if version in (None, invoice.document_version) else sub["result"]
        view = {
            "id": str(invoice.id), "provider": invoice.provider, "period": invoice.period,
            "version": sub["version"], "received_at": sub["received_at"], "status": "checked",
            "edition": result.get("edition"), "filename": sub.get("filename"),
            "totals": result["totals"], "warnings": sub.get("warnings", []),
        }
        if with_lines:
            view["lines"] = result["lines"]
        return apply_review(view, self.register_app.review_of(invoice.id))

    def history(self, provider: str | None, iid: UUID) -> list[dict]:
        """api.md's history of an invoice: type, time, actor, version (and event, reason, totals)."""
        invoice = self.invoice(provider, iid)
        return document_history(self, invoice.id)

    def original(self, provider: str | None, iid: UUID, version: int | None = None) -> dict:
        invoice = self.invoice(provider, iid)
        sub = invoice.submission(version or invoice.document_version)
        if sub.get("original") is None:
            raise Gone("Die Originaldatei wurde nach Ablauf der Aufbewahrungsfrist gelöscht.")
        return sub

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
                "version": 1, "sha256": upload.sha256, "filename": safe_filename(upload.filename),
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
            raise SubmissionRejected([_period_mismatch(parsed, report.period)])

        def command() -> Stored:
            current: CapacityReport = self.repository.get(rid)
            if current.has_content(upload.sha256):
                return Stored(self.capacity_report_view(current), False)
            now = self.clock()
            current.correct(submission={
                "version": current.document_version + 1, "sha256": upload.sha256,
                "filename": safe_filename(upload.filename), "content_type": upload.content_type,
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
        return {"id": str(report.id), "provider": report.provider, "period": report.period,
                "version": sub["version"], "received_at": sub["received_at"], "status": "received",
                "late": self.deadlines.is_late(Period.parse(report.period), report.submissions[0]["received_at"]),
                "filename": sub.get("filename"), "rows": sub["rows"], "warnings": sub.get("warnings", [])}

    # --- internals -----------------------------------------------------------------------------
    def _catalogue(self):
        return self.register_app.catalogue()

    def _parse_invoice(self, provider: str, upload: Upload) -> ParsedInvoice:
        parsed = parse_invoice(upload.data, catalogue=self._catalogue(), content_type=upload.content_type,
                               filename=upload.filename, limits=self.limits)
        errors = offering_errors(parsed, self.register_app.offerings(provider), provider)
        if errors:
            raise SubmissionRejected(errors)
        return parsed

    def _month(self, provider: str, period: str) -> ProviderMonth:
        month = self.get_or_none(provider_month_id(provider, period))
        return month if month is not None else ProviderMonth(provider=provider, period=period)

    def _ledger_if_new(self, provider: str, period: str) -> list:
        ledger = self.get_or_none(provider_ledger_id(provider)) or ProviderLedger(provider=provider)
        if period in ledger.periods:
            return []
        ledger.add_period(period)
        return [ledger]

    def _context(self, provider: str, period: Period, month: ProviderMonth, this: UUID | None,
                 received_at: datetime, pending_capacity: CapacityReport | None = None) -> CheckContext:
        earlier: set = set()
        for other in month.invoice_ids:
            if other == this:
                break  # only invoices filed before this one count as earlier
            doc: Invoice = self.repository.get(other)
            earlier.update(line_key(line_from_dict(d)) for d in doc.latest["lines"])
        return CheckContext(
            provider=provider, catalogue=self._catalogue(), offerings=self.register_app.offerings(provider),
            today=self.clock().date(), received_at=received_at, deadline_day=self.deadline_day,
            timezone=self.deadlines.timezone,
            earlier_lines=frozenset(earlier), capacity=self._capacity(month, pending_capacity),
        )

    def _capacity(self, month: ProviderMonth, pending: CapacityReport | None = None):
        reports = [pending if pending is not None and pending.id == rid else self.repository.get(rid)
                   for rid in month.capacity_report_ids]
        if not reports:
            return {}
        rows = {}
        for report in reports:  # in filing order: a later report's row replaces an earlier one
            for d in report.latest["rows"]:
                row = capacity_row_from_dict(d)
                rows[(row.programme, row.offering)] = row
        return rows

    def _reevaluate_month(self, provider: str, month: ProviderMonth, now: datetime, actor: str,
                          pending: CapacityReport) -> list[Invoice]:
        """Cross-document checks again, now that a capacity report arrived; each change is an event."""
        changed = []
        for iid in month.invoice_ids:
            invoice: Invoice = self.repository.get(iid)
            lines = tuple(line_from_dict(d) for d in invoice.latest["lines"])
            parsed = ParsedInvoice(Period.parse(invoice.period), lines)
            ctx = self._context(provider, parsed.period, month, iid,
                                datetime.fromisoformat(invoice.first_received_at), pending)
            result = check_invoice(parsed, ctx).as_dict()
            if result != invoice.result:
                invoice.reevaluate(result_body=self.required_sealer().seal_result(provider, result),
                                   totals=result["totals"], reason="Kapazitätsmeldung eingegangen", actor=actor)
                changed.append(invoice)
        return changed

    def _seal(self, provider: str, iid: UUID, opened: dict) -> dict:
        return self.required_sealer().seal_submission(provider, str(iid), opened)

    def _submission(self, version: int, upload: Upload, parsed: ParsedInvoice, result: dict, actor: str,
                    now: datetime) -> dict:
        return {
            "version": version, "sha256": upload.sha256, "filename": safe_filename(upload.filename),
            "content_type": upload.content_type, "original": upload.data, "received_at": now.isoformat(),
            "actor": actor, "lines": [line_to_dict(line) for line in parsed.lines], "result": result,
            "warnings": [w.as_dict() for w in parsed.warnings],
        }


def _period_mismatch(parsed, period: str):
    from shared.submissions.domain.documents import FormatIssue

    return FormatIssue(None, "Monat", str(parsed.period),
                       f"Eine Korrektur muss denselben Monat haben wie das Original ({period})")


def safe_filename(name: str | None) -> str | None:
    """Only for display: never used as a path. Keeps the last path segment, printable, at most 120 chars."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable())
    return cleaned[:120] or None
