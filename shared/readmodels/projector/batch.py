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
    filename: str | None = None  # the latest version's file name as stored (a sealed token)
    sealed: dict | None = None  # the version's ciphertext per pseudonym (its lines' and result's personal fields)
    result_sealed: dict | None = None  # the latest result's ciphertext per pseudonym, set with the result
    warnings: str | None = None  # the latest version's parser warnings as JSON (None: there are none)


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
    filename: str | None = None  # the latest version's file name as stored (a sealed token)
    warnings: str | None = None  # the latest version's parser warnings as JSON (None: there are none)


class Batch:
    """The effects of one batch of notifications of one source, written at the end in bulk (writers.flush).

    The register's few events write at once, in order; documents and reviews are collected here."""

    def __init__(self, tx: Tx, *, decode_content: Callable, decode_result: Callable,
                 review_ids: dict[str, tuple[str, str, str]], funding=None):
        self.tx = tx
        self.funding = funding  # projector.funding.FundingContext: the credit rules in force, the key vault
        self.decode_content = decode_content  # a version's packed body -> {"lines", "result", "sealed"}
        self.decode_result = decode_result  # a re-evaluation's packed body -> {"result", "sealed"}
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
        self._keys: dict = {}  # originator UUID -> its text: a review's many events share one

    def key(self, n) -> str:
        """The notification's originator id as the views store it (str(UUID) once per aggregate and batch)."""
        uid = n.originator_id
        found = self._keys.get(uid)
        if found is None:
            found = self._keys[uid] = str(uid)
        return found

    def preload(self, notes: Iterable) -> None:
        """The stored state of documents that this batch corrects or re-evaluates but did not receive."""
        by_topic: dict[str, set] = {}
        for n in notes:  # the aggregates first: a review's thousands of decisions are one id
            by_topic.setdefault(n.topic, set()).add(n.originator_id)

        def ids(*topics: str) -> set[str]:
            return {str(uid) for t in topics for uid in by_topic.get(t, ())}

        received = ids(T.INVOICE_RECEIVED, T.REPORT_RECEIVED)
        invoices = ids(T.INVOICE_CORRECTED, T.INVOICE_REEVALUATED)
        reports = ids(T.REPORT_CORRECTED)
        for chunk in chunks(sorted(invoices - received)):
            for iid, *row, filename, warnings in self.tx.execute(S.with_in(S.SELECT_INVOICES_BY_ID, len(chunk)),
                                                                  chunk):
                self.invoices[iid] = InvoiceState(*row, new=False, filename=filename, warnings=warnings)
        for chunk in chunks(sorted(reports - received)):
            for rid, *row, filename in self.tx.execute(S.with_in(S.SELECT_REPORTS_BY_ID, len(chunk)), chunk):
                self.reports[rid] = ReportState(*row, new=False, filename=filename)
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
        found = self.review_ids.get(self.key(n))
        if found is None:
            raise LookupError(f"Prüfung {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        return found
