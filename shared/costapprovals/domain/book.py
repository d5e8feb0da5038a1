"""A provider's book of Kostengutsprachen: each one recorded and changed with its history, and what each invoice
uses of them. One aggregate per provider, saved with every invoice that uses one: two invoices consuming the
same approval at once can not both win (a version conflict makes the later one check again)."""
from __future__ import annotations

import copy
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.costapprovals.domain.terms import NOTHING, Usage
from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names


def cost_approval_book_id(provider: str) -> UUID:
    return stable_id("cost-approval-book", provider)


class CostApprovalBook(Aggregate):
    """approvals: key (approval_key of the reference) -> stored terms: reference, social_service, subject (the
    participant's pseudonym), sealed (the participant number, sealed), programme, valid_from, valid_to,
    quantity, amount (text or None). usage: invoice id -> {"period", "usage": {key: [quantity, amount]}}, in
    the order the invoices first used anything (a key with zeros: the invoice names the reference)."""

    @staticmethod
    def create_id(provider: str) -> UUID:
        return cost_approval_book_id(provider)

    @event("Opened")
    def __init__(self, provider: str):
        self.provider = provider
        self.approvals: dict[str, dict] = {}
        self.usage: dict[str, dict] = {}

    @event("Recorded")
    def record(self, key: str, terms: dict, actor: str) -> None:
        self.approvals[key] = terms

    @event("Changed")
    def change(self, key: str, terms: dict, actor: str) -> None:
        self.approvals[key] = terms

    @event("Consumed")
    def consume(self, invoice: str, period: str, usage: dict) -> None:
        """What one invoice (its current version and check) uses: replaces what it used before."""
        self.usage[invoice] = {"period": period, "usage": usage}

    def __deepcopy__(self, memo: dict) -> CostApprovalBook:
        """A copy for a command (store/followed.py, fork): the events replace an approval's terms and an invoice's
        usage whole and never change them in place, so the copy shares those with this book and has dicts and
        pending events of its own (a copy of everything: ~3 ms for a book of three years, half a replay)."""
        copied = copy.copy(self)
        copied.approvals = dict(self.approvals)
        copied.usage = dict(self.usage)
        copied._pending_events = []
        return copied

    # --- reads ---------------------------------------------------------------------------------------
    def used(self, key: str, *, besides: str | None = None) -> Usage:
        """What every invoice (but `besides`) uses of one approval."""
        total = NOTHING
        for invoice, entry in self.usage.items():
            pair = entry["usage"].get(key)
            if pair is not None and invoice != besides:
                total = total + Usage.of(pair)
        return total

    def used_by_others(self, invoice: str | None) -> dict[str, Usage]:
        """Per approval, what the invoices other than `invoice` use (summed as usage_by_approval sums: the same
        additions in the same order, a frozen Usage made once per approval; profile of issue 16: a Usage per
        addition was 8 % of a 100-line upload on the load store)."""
        totals: dict[str, list[Decimal]] = {}
        for other, entry in self.usage.items():
            if other == invoice:
                continue
            for key, (quantity, amount) in entry["usage"].items():
                _add(totals, key, Decimal(quantity), Decimal(amount))
        return {key: Usage(*pair) for key, pair in totals.items()}

    def invoices_naming(self, keys: set[str]) -> list[str]:
        """The invoices whose lines name one of these references, in the order they first used anything."""
        return [invoice for invoice, entry in self.usage.items() if keys & entry["usage"].keys()]

    def usage_by_approval(self) -> tuple[dict[str, Usage], dict[str, dict[str, Usage]]]:
        """For every approval at once: what all invoices use (as used(key)) and per period (as
        usage_by_period(key))."""
        # summed as Decimal pairs, made Usage once at the end (a frozen Usage per addition was most of a provider's
        # home page: ~1,200 uses in the load bench's three years, 3 ms)
        totals: dict[str, list[Decimal]] = {}
        periods: dict[str, dict[str, list[Decimal]]] = {}
        for entry in self.usage.values():
            period = entry["period"]
            for key, (quantity, amount) in entry["usage"].items():
                quantity, amount = Decimal(quantity), Decimal(amount)
                _add(totals, key, quantity, amount)
                _add(periods.setdefault(key, {}), period, quantity, amount)
        return ({key: Usage(*pair) for key, pair in totals.items()},
                {key: {month: Usage(*pair) for month, pair in per.items()} for key, per in periods.items()})

    def usage_by_period(self, key: str) -> dict[str, Usage]:
        periods: dict[str, Usage] = {}
        for entry in self.usage.values():
            pair = entry["usage"].get(key)
            if pair is not None:
                periods[entry["period"]] = periods.get(entry["period"], NOTHING) + Usage.of(pair)
        return periods


def _add(sums: dict[str, list[Decimal]], at: str, quantity: Decimal, amount: Decimal) -> None:
    found = sums.get(at)
    if found is None:
        sums[at] = [NOTHING.quantity + quantity, NOTHING.amount + amount]  # as NOTHING + use: the same digits
    else:
        found[0] += quantity
        found[1] += amount


keep_stored_names("shared.costapprovals.domain.book", CostApprovalBook)
