"""Index of a provider's documents per month and in all: saved with each document, in one transaction,
so two uploads of the same month can never both win (a version conflict makes the later one retry)."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names


def provider_month_id(provider: str, period: str) -> UUID:
    return stable_id("provider-month", provider, period)


def provider_ledger_id(provider: str) -> UUID:
    return stable_id("provider-ledger", provider)


class ProviderMonth(Aggregate):
    @staticmethod
    def create_id(provider: str, period: str) -> UUID:
        return provider_month_id(provider, period)

    @event("Opened")
    def __init__(self, provider: str, period: str):
        self.provider = provider
        self.period = period
        self.invoice_ids: list[UUID] = []
        self.capacity_report_ids: list[UUID] = []

    @event("InvoiceFiled")
    def file_invoice(self, invoice_id: UUID) -> None:
        self.invoice_ids.append(invoice_id)

    @event("CapacityReportFiled")
    def file_capacity_report(self, report_id: UUID) -> None:
        self.capacity_report_ids.append(report_id)


class ProviderLedger(Aggregate):
    """The months in which a provider has filed anything."""

    @staticmethod
    def create_id(provider: str) -> UUID:
        return provider_ledger_id(provider)

    @event("Opened")
    def __init__(self, provider: str):
        self.provider = provider
        self.periods: list[str] = []

    @event("PeriodAdded")
    def add_period(self, period: str) -> None:
        self.periods.append(period)


keep_stored_names("shared.aggregates.provider_month", ProviderMonth, ProviderLedger)
