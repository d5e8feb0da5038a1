"""What one batch of notifications collects before it is written: the documents it touched, its months."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from shared.readmodels import statements as S
from shared.readmodels.projector import topics as T
from shared.readmodels.statements import chunks
from shared.readmodels.transactions import Tx


@dataclass
class InvoiceState:
    """An invoice as the views hold it, plus what this batch changed."""

    provider: str
    period: str
    ordinal: int
    first_received_at: str
    version: int
    received_at: str
    new: bool
    result: dict | None = None  # set when the result changed in this batch
    lines: list | None = None  # set when the submitted lines changed in this batch
    sealed: dict | None = None  # the version's sealed parts per pseudonym, with its lines


@dataclass
class ReportState:
    """A capacity report as the views hold it, plus its rows when this batch changed them."""

    provider: str
    period: str
    ordinal: int
    first_received_at: str
    version: int
    received_at: str
    new: bool
    rows: list = field(default_factory=list)


class Batch:
    """The effects of one batch of notifications of one source, written at the end in bulk (writers.flush).

    The register's few events write at once, in order; documents and reviews are collected here."""

    def __init__(self, tx: Tx, *, decode_content: Callable, decode_result: Callable,
                 review_ids: dict[str, tuple[str, str, str]], funding=None):
        self.tx = tx
        self.funding = funding  # projector.funding.FundingContext: the credit rules in force, the key vault
        self.decode_content = decode_content  # an invoice version's packed body -> {"lines", "result"}
        self.decode_result = decode_result  # a re-evaluation's packed body -> the result
        # review id -> (invoice, provider, period): immutable facts, remembered across batches
        self.review_ids = review_ids
        self.invoices: dict[str, InvoiceState] = {}
        self.reports: dict[str, ReportState] = {}
        self.dirty_months: set[tuple[str, str]] = set()
        self.dirty_capacity: set[tuple[str, str]] = set()
        # review id -> invoice, provider, period, approved version, returned version, reason
        self.new_reviews: dict[str, list] = {}
        self.review_states: dict[str, tuple] = {}  # the last three, for reviews stored earlier
        self.decisions: dict[tuple, tuple] = {}
        # the funding split (projector.funding): participants (provider, pseudonym) whose lines to split again,
        # or every line (a credit rule changed)
        self.funding_people: set[tuple[str, str]] = set()
        self.funding_months: set[tuple[str, str, str]] = set()  # (provider, pseudonym, period): one month of theirs
        self.funding_all = False

    def preload(self, notes: Iterable) -> None:
        """The stored state of documents that this batch corrects or re-evaluates but did not receive."""
        def ids(*topics: str) -> set[str]:
            return {str(n.originator_id) for n in notes if n.topic in topics}

        received = ids(T.INVOICE_RECEIVED, T.REPORT_RECEIVED)
        invoices = ids(T.INVOICE_CORRECTED, T.INVOICE_REEVALUATED)
        reports = ids(T.REPORT_CORRECTED)
        for chunk in chunks(sorted(invoices - received)):
            for iid, *row in self.tx.execute(S.with_in(S.SELECT_INVOICES_BY_ID, len(chunk)), chunk):
                self.invoices[iid] = InvoiceState(*row, new=False)
        for chunk in chunks(sorted(reports - received)):
            for rid, *row in self.tx.execute(S.with_in(S.SELECT_REPORTS_BY_ID, len(chunk)), chunk):
                self.reports[rid] = ReportState(*row, new=False)
        known = self.review_ids
        reviews = ids(*T.REVIEW_EVENTS) - ids(T.REVIEW_OPENED) - known.keys()
        for chunk in chunks(sorted(reviews)):
            for rid, *row in self.tx.execute(S.with_in(S.SELECT_REVIEWS_BY_ID, len(chunk)), chunk):
                known[rid] = tuple(row)

    # --- what the handlers look up (an event the views can't place stops the batch) ------------------
    def invoice(self, n) -> InvoiceState:
        found = self.invoices.get(str(n.originator_id))
        if found is None:
            raise LookupError(f"Rechnung {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        return found

    def report(self, n) -> ReportState:
        found = self.reports.get(str(n.originator_id))
        if found is None:
            raise LookupError(f"Kapazitätsmeldung {n.originator_id} (Ereignis {n.id}) fehlt")
        return found

    def review(self, n) -> tuple[str, str, str]:
        found = self.review_ids.get(str(n.originator_id))
        if found is None:
            raise LookupError(f"Prüfung {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        return found
