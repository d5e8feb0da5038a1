"""Several aggregates from one read of the store (shared/store/many): the same aggregates as read one by one; an
upload and a correction read their invoice, month and ledger at once and the provider's Kostengutsprachen from the
book kept per process (shared/store/followed: one read of its newer events), and a provider without
Kostengutsprachen is not asked for them a second time by the checks. On SQLite and on PostgreSQL."""
from __future__ import annotations

from uuid import UUID, uuid4

import pytest

import shared.store.many as many
from shared.costapprovals.domain.book import cost_approval_book_id
from shared.submissions.domain.provider_month import provider_ledger_id, provider_month_id
from tests.integration.projector_cases import CAPACITY, csv
from tests.integration.test_invoice_file_reads import counted_reads

LINE = "03.2025;RM-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;2;100;200"


@pytest.fixture
def one_reads(monkeypatch) -> list:
    """The calls of select_many (each one read of the store), with the number of aggregates asked for."""
    calls: list[int] = []
    real = many.select_many

    def counted(recorder, ids):
        calls.append(len(ids))
        return real(recorder, ids)

    monkeypatch.setattr(many, "select_many", counted)
    return calls


def test_aggregates_read_at_once_are_those_read_one_by_one(portal):
    rep = portal.reporting
    iid = UUID(rep.submit_invoice("regiomech", csv(LINE), "test").document["id"])
    rep.submit_invoice("regiomech", csv(LINE.replace("03.2025", "04.2025")), "test")
    ids = [provider_ledger_id("regiomech"), uuid4(), iid, provider_month_id("regiomech", "2025-03")]
    found = rep.get_many(*ids)
    assert found[1] is None
    for aggregate_id, got in zip(ids, found, strict=True):
        alone = rep.get_or_none(aggregate_id)
        if alone is None:
            assert got is None
            continue
        assert got is not alone and type(got) is type(alone) and got.id == aggregate_id
        assert got.version == alone.version and got.__dict__.keys() == alone.__dict__.keys()
    ledger, _, invoice, month = found
    assert sorted(ledger.periods) == ["2025-03", "2025-04"]
    assert month.invoice_ids == [iid] and invoice.latest["lines"][0]["participant"] == "RM-1"  # opened
    assert rep.get_many() == []


def test_an_upload_reads_its_invoice_month_and_ledger_in_one_read_and_the_book_kept(portal, one_reads):
    rep = portal.reporting
    first = rep.submit_invoice("regiomech", csv(LINE), "test").document["id"]  # the ledger and March exist
    one_reads.clear()
    asked = [provider_month_id("regiomech", "2025-03"), provider_ledger_id("regiomech"), first]
    with counted_reads(rep.recorder) as reads:
        stored = rep.submit_invoice("regiomech", csv(LINE, LINE.replace("RM-1", "RM-2")), "test")
    assert stored.created and one_reads == [3, 1]  # then the month's earlier invoice, once
    assert not any(reads[str(i)] for i in asked), reads  # nor again one by one
    assert reads[str(cost_approval_book_id("regiomech"))] == 1  # the book's newer events, once (there is none)
    assert [n["code"] for n in stored.document["notices"]].count("month_has_invoice") == 1
    rm1 = next(ln for ln in stored.document["lines"] if ln["participant"] == "RM-1")
    assert "duplicate_line" in [f["code"] for f in rm1["findings"]]  # the earlier invoice's line was seen


def test_a_correction_reads_its_month_with_the_invoice_and_the_book_kept(portal, one_reads):
    rep = portal.reporting
    iid = UUID(rep.submit_invoice("regiomech", csv(LINE), "test").document["id"])
    one_reads.clear()
    with counted_reads(rep.recorder) as reads:
        stored = rep.correct_invoice("regiomech", iid, csv(LINE.replace(";2;100;200", ";3;100;300")), "test")
    assert stored.created and stored.document["version"] == 2 and one_reads == [2]
    assert reads[str(iid)] == 1  # whether it is the provider's own, before the command
    assert not reads[str(provider_month_id("regiomech", "2025-03"))]
    assert reads[str(cost_approval_book_id("regiomech"))] == 1  # the book's newer events, once


def test_a_capacity_report_reads_the_months_invoices_once_for_all_their_checks(portal, one_reads):
    rep = portal.reporting
    portal.supervision.register_offering("regiomech", "RM-Q", {"programme_type": "qualifizierung", "places": 10,
                                                                "valid_from": "2025-01-01"}, "user:sara")
    first = rep.submit_invoice("regiomech", csv(LINE), "test").document["id"]
    second = rep.submit_invoice("regiomech", csv(LINE.replace("RM-1", "RM-2")), "test").document["id"]
    one_reads.clear()
    with counted_reads(rep.recorder) as reads:
        stored = rep.submit_capacity_report("regiomech", csv("03.2025;Qualifizierung;RM-Q;10;2;0;0;0",
                                                              header=CAPACITY), "test")
    assert stored.created and 2 in one_reads  # the month's two invoices, in one read
    assert not reads[first] and not reads[second], reads  # not again for the second invoice's earlier lines
    assert reads[str(cost_approval_book_id("regiomech"))] == 1  # once, not for each invoice
