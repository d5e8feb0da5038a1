"""Invoices (mixed into the reporting Application): receive and check a provider's monthly invoice, correct it
as a new version, read it with its check result and review status."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.checks import check_invoice, offering_errors
from shared.checks.notices import invoice_notices
from shared.costapprovals.domain.book import cost_approval_book_id
from shared.kernel.collector import collector_paused
from shared.kernel.errors import Gone, NotFound
from shared.kernel.periods import Period
from shared.kernel.unread import UNREAD
from shared.register.application.moment import one_register
from shared.review.domain.status import apply_review
from shared.store.history import Entry, read_with_history
from shared.submissions.application.answer import invoice_dict
from shared.submissions.application.history import document_history_of
from shared.submissions.application.uploads import Stored, Upload, period_mismatch, safe_filename
from shared.submissions.domain.documents import (
    ParsedInvoice,
    SubmissionRejected,
    line_to_dict,
)
from shared.submissions.domain.invoice import Invoice, invoice_id
from shared.submissions.domain.provider_month import (
    provider_ledger_id,
    provider_month_id,
)
from shared.submissions.parsers import parse_invoice

MONTH_HAS_INVOICE = "month_has_invoice"  # a notice of the upload's answer, never a finding: no rule is broken


def month_has_invoice(other: Invoice) -> dict:
    """The answer's notice when the month already had an invoice (a supplementary invoice is allowed, but
    mostly a correction was meant): names the other invoice and its version."""
    label = Period.parse(other.period).label_de()
    return {"code": MONTH_HAS_INVOICE, "severity": "info", "rule": "", "rows": [], "figures": {},
            "invoice_id": str(other.id), "version": other.document_version,
            "message": f"Für {label} besteht schon eine Rechnung (Version {other.document_version}); eine "
                       f"Korrektur gehört als neue Version zu ihr (POST /api/v1/invoices/{other.id}/versions)."}


class InvoiceCommands:
    # --- invoices ----------------------------------------------------------------------------
    def submit_invoice(self, provider: str, upload: Upload, actor: str) -> Stored:
        with collector_paused(), one_register():  # a large invoice: parse, check, seal without heap walks;
            return self._submit_invoice(provider, upload, actor)  # the register read once for the upload

    def _submit_invoice(self, provider: str, upload: Upload, actor: str) -> Stored:
        parsed = self._parse_invoice(provider, upload)
        period = str(parsed.period)
        iid = invoice_id(provider, period, upload.sha256)

        def command() -> Stored:
            existing, month, ledger = self.get_many(  # one read of the store for the three
                iid, provider_month_id(provider, period), provider_ledger_id(provider))
            book = self.followed.fork(cost_approval_book_id(provider))  # kept: only its new events read
            if existing is not None:
                return Stored(self.invoice_view(existing), False)
            month = self._month_with(month, provider, period)
            now = self.clock()
            others = self.get_many(*month.invoice_ids)  # the month's invoices so far, in one read
            loaded = dict(zip(month.invoice_ids, others, strict=True))
            checked = check_invoice(parsed, self._context(provider, parsed.period, month, None, now, book=book,
                                                          invoice_id=iid, loaded=loaded))
            opened = self._submission(1, upload, parsed, checked.as_dict(), actor, now)
            invoice = Invoice(provider=provider, period=period, submission=self._seal(provider, opened))
            invoice.attach_sealer(self.sealer)
            invoice.remember(opened)
            month.file_invoice(invoice.id)
            self.save(invoice, month, *self._ledger_with(ledger, provider, period),
                      *self._consumption(provider, iid, period, checked, book))
            view = self.invoice_view(invoice, review=None)  # a new invoice has no review yet
            view["notices"] = [*view["notices"], *(month_has_invoice(o) for o in others)]
            return Stored(view, True)

        return self.retrying(command)

    def correct_invoice(self, provider: str, iid: UUID, upload: Upload, actor: str) -> Stored:
        with collector_paused(), one_register():
            return self._correct_invoice(provider, iid, upload, actor)

    def _correct_invoice(self, provider: str, iid: UUID, upload: Upload, actor: str) -> Stored:
        invoice = self.invoice(provider, iid)
        parsed = self._parse_invoice(provider, upload)
        if str(parsed.period) != invoice.period:
            raise SubmissionRejected([period_mismatch(parsed, invoice.period)])

        released: set[str] = set()

        def command() -> Stored:
            released.clear()
            current, month = self.get_many(iid, provider_month_id(provider, invoice.period))  # one read for both
            book = self.followed.fork(cost_approval_book_id(provider))
            if current.has_content(upload.sha256):
                return Stored(self.invoice_view(current), False)
            month = self._month_with(month, provider, current.period)
            now = self.clock()
            received = datetime.fromisoformat(current.first_received_at)
            others = [i for i in month.invoice_ids if i != iid]  # those filed before it, in one read
            loaded = dict(zip(others, self.get_many(*others), strict=True))
            checked = check_invoice(parsed, self._context(provider, parsed.period, month, iid, received, book=book,
                                                          loaded=loaded))
            opened = self._submission(current.document_version + 1, upload, parsed, checked.as_dict(), actor, now)
            current.correct(submission=self._seal(provider, opened))
            current.remember(opened)
            released.update(self._released(book, iid, checked))
            self.save(current, *self._consumption(provider, iid, current.period, checked, book))
            return Stored(self.invoice_view(current), True)

        stored = self.retrying(command)
        if released:  # what the correction no longer uses goes to the invoices after it (a second transaction)
            self.retrying(lambda: self._release_approvals(provider, released, actor))
            stored = Stored(self.invoice_view(self.invoice(provider, iid)), stored.created)
        return stored

    def invoices_for_upload(self, provider: str, upload: Upload) -> tuple[str, list[Invoice]]:
        """The month of a file (read and checked for its format: SubmissionRejected as for an upload) and the
        provider's other invoices of that month, newest first; the same bytes already received are no other."""
        parsed = self._parse_invoice(provider, upload)
        period = str(parsed.period)
        if self.get_or_none(invoice_id(provider, period, upload.sha256)) is not None:
            return period, []
        found = sorted(self.invoices(provider, period), key=lambda i: i.first_received_at, reverse=True)
        return period, found

    def invoice(self, provider: str | None, iid: UUID) -> Invoice:
        """The invoice if it exists and (for a provider) is its own; otherwise NotFound, never a hint."""
        return _own(self.get_or_none(iid), provider)

    def invoice_with_history(self, provider: str | None, iid: UUID) -> tuple[Invoice, list[Entry]]:
        """The invoice (as `invoice`) and its history's entries, from one read of its events (a page shows both)."""
        found, entries = read_with_history(self, iid)
        return _own(found, provider), entries

    def invoices(self, provider: str, period: str | None = None, *, without: UUID | None = None) -> list[Invoice]:
        """The provider's invoices (of one month); `without` one of them not loaded (the caller has it)."""
        periods = [period] if period else self.periods(provider)
        result = []
        for p in periods:
            month = self.get_or_none(provider_month_id(provider, p))
            if month is not None:
                result.extend(self.repository.get(i) for i in month.invoice_ids if i != without)
        return result

    def periods(self, provider: str) -> list[str]:
        ledger = self.get_or_none(provider_ledger_id(provider))
        return sorted(ledger.periods) if ledger else []

    def invoice_view(self, invoice: Invoice, version: int | None = None, with_lines: bool = True,
                     review=UNREAD) -> dict:
        """api.md's invoice; `review`: the supervisor's review when the caller loaded it already (or None)."""
        sub = invoice.submission(version) if version else invoice.latest
        result = invoice.result if version in (None, invoice.document_version) else sub["result"]
        view = invoice_dict(str(invoice.id), invoice.provider, invoice.period, sub["version"], sub["received_at"],
                            result.get("edition"), sub.get("filename"), result["totals"], sub.get("warnings", []),
                            invoice_notices(result["lines"]))
        if with_lines:
            view["lines"] = result["lines"]
        return apply_review(view, self.register_app.review_of(invoice.id) if review is UNREAD else review)

    def history(self, provider: str | None, iid: UUID) -> list[dict]:
        """api.md's history of an invoice: type, time, actor, version (and event, reason, totals)."""
        return document_history_of(self.invoice_with_history(provider, iid)[1])

    def original(self, provider: str | None, iid: UUID, version: int | None = None) -> dict:
        invoice = self.invoice(provider, iid)
        sub = invoice.submission(version or invoice.document_version)
        if sub.get("original") is None:
            raise Gone("Die Originaldatei wurde nach Ablauf der Aufbewahrungsfrist gelöscht.")
        return sub

    def _catalogue(self):
        return self.register_app.catalogue()

    def _parse_invoice(self, provider: str, upload: Upload) -> ParsedInvoice:
        catalogue = self._catalogue()
        parsed = parse_invoice(upload.data, catalogue=catalogue, content_type=upload.content_type,
                               filename=upload.filename, limits=self.limits)
        errors = offering_errors(parsed, self.register_app.offerings(provider), provider, catalogue.programme_types)
        if errors:
            raise SubmissionRejected(errors)
        return parsed

    def _seal(self, provider: str, opened: dict) -> dict:
        return self.required_sealer().seal_submission(provider, opened)

    def _submission(self, version: int, upload: Upload, parsed: ParsedInvoice, result: dict, actor: str,
                    now: datetime) -> dict:
        return {
            "version": version, "sha256": upload.sha256, "filename": safe_filename(upload.filename),
            "content_type": upload.content_type, "original": upload.data, "received_at": now.isoformat(),
            "actor": actor, "lines": [line_to_dict(line) for line in parsed.lines], "result": result,
            "warnings": [w.as_dict() for w in parsed.warnings],
        }


def _own(found, provider: str | None) -> Invoice:
    """`found` if it is an invoice and (for a provider) its own; otherwise NotFound, never a hint."""
    if not isinstance(found, Invoice) or (provider is not None and found.provider != provider):
        raise NotFound("Rechnung nicht gefunden")
    return found
