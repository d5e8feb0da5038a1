"""An invoice's page reads its review's events once (shared/store/history.read_with_history): the review and
its history from one read, the same as loading and reading them apart; on SQLite and on PostgreSQL."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID, uuid4

import pytest

from shared.kernel.errors import NotFound
from shared.review.application.invoice_file import invoice_file
from shared.review.domain.review import review_id
from shared.store.history import read_history, read_with_history
from tests.integration.projector_cases import csv

LINES = ("03.2025;RM-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;2;999;1998",
         "03.2025;RM-2;Qualifizierung;;Selbstzahler;;;;;Einsatztag;2;999;1998")


@contextmanager
def counted_reads(recorder) -> Iterator[Counter]:
    """How often each aggregate's events are read from `recorder` (by str(id)) while the block runs."""
    reads: Counter = Counter()
    real = recorder.select_events

    def counted(originator_id, *args, **kwargs):
        reads[str(originator_id)] += 1
        return real(originator_id, *args, **kwargs)

    recorder.select_events = counted
    try:
        yield reads
    finally:
        recorder.select_events = real


def reviewed_invoice(portal) -> UUID:
    stored = portal.reporting.submit_invoice("regiomech", csv(*LINES), "test")
    iid = UUID(stored.document["id"])
    first = next((ln["row"], f["code"]) for ln in stored.document["lines"] for f in ln["findings"])
    portal.supervision.review_finding(iid, *first, "waived", "Mit dem Amt so vereinbart", "user:sara")
    portal.supervision.review_finding(iid, *first, "confirmed", "", "user:sara")
    portal.supervision.approve(iid, "geprüft", "user:sara")
    return iid


def test_the_review_and_its_history_from_one_read_are_those_read_apart(portal):
    iid = reviewed_invoice(portal)
    review, entries = read_with_history(portal.supervision, review_id(iid))
    loaded = portal.supervision.review_of(iid)
    assert review is not loaded and review.__dict__.keys() == loaded.__dict__.keys()
    assert (review.version, review.approved_version) == (loaded.version, loaded.approved_version)
    assert review.decisions == loaded.decisions
    assert entries == read_history(portal.supervision, review_id(iid))
    assert [e.kind for e in entries][-2:] == ["FindingReviewed", "Approved"]
    assert read_with_history(portal.supervision, uuid4()) == (None, [])


def test_the_invoice_page_reads_the_reviews_events_once(portal):
    iid = reviewed_invoice(portal)
    with counted_reads(portal.supervision.recorder) as reads:
        found = invoice_file(portal, iid)
    assert reads[str(review_id(iid))] == 1
    assert found["approved_version"] == 1
    assert [h["event"].rsplit(".", 1)[-1] for h in found["history"] if h["kind"] == "review"][-1] == "Approved"
    decided = [f["review"] for ln in found["lines"] for f in ln["findings"] if f.get("review")]
    assert decided and decided[0]["decision"] == "confirmed"


def test_the_same_decision_on_several_rows_is_one_row_of_the_history(portal):
    stored = portal.reporting.submit_invoice("regiomech", csv(*LINES), "test")
    iid = UUID(stored.document["id"])
    found = [(ln["row"], f["code"]) for ln in stored.document["lines"] for f in ln["findings"]
             if f["code"] == "tariff_above_max"]
    assert [row for row, _ in found] == [2, 3]
    for row, code in found:
        portal.supervision.review_finding(iid, row, code, "confirmed", "Tarif überschritten", "user:sara")
    portal.supervision.review_finding(iid, 2, "tariff_above_max", "waived", "Mit dem Amt so vereinbart", "user:sara")
    decisions = [(h["decision"], h["rows"], h["detail"]) for h in invoice_file(portal, iid)["history"]
                 if h.get("decision")]
    assert decisions == [("confirmed", [2, 3], "Tarif überschritten"), ("waived", [2], "Mit dem Amt so vereinbart")]


def test_the_invoice_page_reads_the_invoices_own_events_once(portal):
    """The invoice and its history from one read of its events (`invoice_with_history`), the same as apart."""
    iid = reviewed_invoice(portal)
    portal.reporting.correct_invoice("regiomech", iid, csv(LINES[0]), "test")
    invoice, entries = portal.reporting.invoice_with_history("regiomech", iid)
    with counted_reads(portal.reporting.recorder) as reads:
        found = invoice_file(portal, iid, provider="regiomech", invoice=invoice, invoice_entries=entries)
    assert reads[str(iid)] == 0  # the page's one read was invoice_with_history's
    assert entries == read_history(portal.reporting, iid)
    assert invoice.document_version == portal.reporting.invoice("regiomech", iid).document_version == 2
    documents = [(h["version"], h["event"].rsplit(".", 1)[-1]) for h in found["history"] if h["kind"] == "document"]
    assert documents[0] == (1, "Received") and documents[-1][0] == 2
    assert found == invoice_file(portal, iid, provider="regiomech")  # read apart: the same page
    with pytest.raises(NotFound):
        portal.reporting.invoice_with_history("oltech", iid)  # another provider's: not found, never a hint
    with pytest.raises(NotFound):
        portal.reporting.invoice_with_history(None, uuid4())
