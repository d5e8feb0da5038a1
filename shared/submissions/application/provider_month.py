"""A provider's month (mixed into the reporting Application): the index of its documents, the context its
invoices are checked in (earlier lines, capacity), and the re-evaluation when a capacity report arrives."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.checks import CheckContext, check_invoice, line_key
from shared.costapprovals.domain.book import cost_approval_book_id
from shared.kernel.periods import Period
from shared.kernel.unread import UNREAD
from shared.submissions.domain.capacity_report import CapacityReport
from shared.submissions.domain.documents import (
    ParsedInvoice,
    capacity_row_from_dict,
    line_from_dict,
)
from shared.submissions.domain.invoice import Invoice
from shared.submissions.domain.provider_month import (
    ProviderLedger,
    ProviderMonth,
    provider_ledger_id,
    provider_month_id,
)


class ProviderMonthCommands:
    def _month(self, provider: str, period: str) -> ProviderMonth:
        return self._month_with(self.get_or_none(provider_month_id(provider, period)), provider, period)

    @staticmethod
    def _month_with(month: ProviderMonth | None, provider: str, period: str) -> ProviderMonth:
        """The month as loaded, or a new one if it has no document yet."""
        return month if month is not None else ProviderMonth(provider=provider, period=period)

    def _ledger_if_new(self, provider: str, period: str) -> list:
        return self._ledger_with(self.get_or_none(provider_ledger_id(provider)), provider, period)

    @staticmethod
    def _ledger_with(ledger: ProviderLedger | None, provider: str, period: str) -> list:
        """The ledger (as loaded: None if the provider has none yet) with this month, if it is new to it."""
        ledger = ledger or ProviderLedger(provider=provider)
        if period in ledger.periods:
            return []
        ledger.add_period(period)
        return [ledger]

    def _context(self, provider: str, period: Period, month: ProviderMonth, this: UUID | None,
                 received_at: datetime, pending_capacity: CapacityReport | None = None, *, book=UNREAD,
                 invoice_id: UUID | None = None, loaded: dict[UUID, Invoice] | None = None) -> CheckContext:
        """`book`: the provider's Kostengutsprachen as the command loaded them (None: it has none; read here
        if not given); `invoice_id`: the invoice checked, if it is not `this` (a new one); `loaded`: the month's
        invoices the command read already."""
        earlier: set = set()
        for other in month.invoice_ids:
            if other == this:
                break  # only invoices filed before this one count as earlier
            doc: Invoice = loaded[other] if loaded and other in loaded else self.repository.get(other)
            earlier.update(line_key(line_from_dict(d)) for d in doc.latest["lines"])
        return CheckContext(
            provider=provider, catalogue=self._catalogue(), offerings=self.register_app.offerings(provider),
            today=self.deadlines.local_date(self.clock()), received_at=received_at, deadline_day=self.deadline_day,
            timezone=self.deadlines.timezone,
            earlier_lines=frozenset(earlier), capacity=self._capacity(month, pending_capacity),
            **self._approval_context(provider, invoice_id or this, book),
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
        # the month's invoices and the book in one read each: every invoice's check reads those filed before it
        loaded = dict(zip(month.invoice_ids, self.get_many(*month.invoice_ids), strict=True))
        book = self.followed.fork(cost_approval_book_id(provider))
        for iid in month.invoice_ids:
            invoice: Invoice = loaded[iid]
            lines = tuple(line_from_dict(d) for d in invoice.latest["lines"])
            parsed = ParsedInvoice(Period.parse(invoice.period), lines)
            ctx = self._context(provider, parsed.period, month, iid,
                                datetime.fromisoformat(invoice.first_received_at), pending, book=book, loaded=loaded)
            result = check_invoice(parsed, ctx).as_dict()
            if result != invoice.result:
                invoice.reevaluate(result_body=self.required_sealer().seal_result(provider, result),
                                   totals=result["totals"], reason="Kapazitätsmeldung eingegangen", actor=actor)
                changed.append(invoice)
        return changed
