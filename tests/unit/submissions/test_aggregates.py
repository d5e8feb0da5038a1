"""The event-sourced aggregates of submissions/domain: Invoice, CapacityReport, ProviderMonth, ProviderLedger.

Each is created and commanded, then replayed from its events (in memory, and through a real SQLite store with
the portal's transcodings) into the same state; ids are stable across versions; events keep the names
they were first stored under (shared.aggregates.*)."""
from __future__ import annotations

from uuid import UUID

import pytest

from shared.kernel.ids import NAMESPACE, stable_id
from shared.kernel.packing import pack, unpack
from shared.privacy.keyless import KEYLESS
from shared.submissions.domain.capacity_report import CapacityReport, capacity_report_id
from shared.submissions.domain.invoice import Invoice, invoice_id, stored_submission
from shared.submissions.domain.provider_month import (
    ProviderLedger,
    ProviderMonth,
    provider_ledger_id,
    provider_month_id,
)
from tests.unit.eventsourced import (
    assert_topics_kept,
    replay,
    sqlite_application,
    state,
    stored_states,
    stored_topics,
)

SHA_1, SHA_2 = "ab" * 32, "cd" * 32


def result(claimed: str, allowed: str) -> dict:
    reduction = f"{float(claimed) - float(allowed):.2f}"
    line = {"row": 2, "participant": "B-0017", "claimed": claimed, "allowed": allowed, "findings": [],
            "trace": []}
    return {"period": "2025-03", "edition": "2024/25", "lines": [line],
            "totals": {"claimed": claimed, "allowed": allowed, "reduction": reduction}}


def opened(version: int, sha: str, received_at: str, claimed: str = "1736.00", allowed: str = "1736.00") -> dict:
    """A version of an invoice as the application makes it, before it is packed into the event."""
    return {"version": version, "sha256": sha, "filename": "rechnung.csv", "content_type": "text/csv",
            "received_at": received_at, "actor": "token:regiomech", "warnings": [],
            "lines": [{"row": 2, "participant": "B-0017", "quantity": "21.7"}],
            "result": result(claimed, allowed)}


def make_invoice() -> Invoice:
    invoice = Invoice(provider="regiomech", period="2025-03",
                      submission=stored_submission(opened(1, SHA_1, "2025-04-03T09:12:00+02:00")))
    invoice.correct(stored_submission(opened(2, SHA_2, "2025-04-05T10:00:00+02:00", "1955.00", "1736.00")))
    invoice.reevaluate(pack(result("1955.00", "1800.00")), {"claimed": "1955.00"}, "neue Tarifausgabe",
                       "user:anna")
    invoice.attach_sealer(KEYLESS)  # what an Application without keys attaches: these versions are only packed
    return invoice


# --- stable ids -----------------------------------------------------------------------------------------

def test_ids_are_the_same_in_every_version_of_the_portal():
    """The stored events are addressed by these ids: they are computed, never stored, so they never change."""
    assert NAMESPACE == UUID("aa846f04-2e12-52c4-81bd-ec344023f613")
    assert invoice_id("regiomech", "2025-03", SHA_1) == UUID("245dde4b-7201-56f0-8f0b-25e83e9f8b0b")
    assert capacity_report_id("regiomech", "2025-03", SHA_1) == UUID("343758eb-73e7-5fd7-9306-3310bb986716")
    assert provider_month_id("regiomech", "2025-03") == UUID("1a37fd5d-052f-56fc-a273-474918f1cd40")
    assert provider_ledger_id("regiomech") == UUID("6a70276d-917e-54dd-89ab-707ac8073a64")


def test_ids_name_their_parts_and_nothing_else():
    assert invoice_id("regiomech", "2025-03", SHA_1) == stable_id("invoice", "regiomech", "2025-03", SHA_1)
    assert invoice_id("regiomech", "2025-03", SHA_1) != invoice_id("regiomech", "2025-03", SHA_2)
    assert invoice_id("regiomech", "2025-03", SHA_1) != invoice_id("regiomech", "2025-04", SHA_1)
    assert invoice_id("regiomech", "2025-03", SHA_1) != capacity_report_id("regiomech", "2025-03", SHA_1)
    assert provider_month_id("a", "2025-03") != provider_month_id("b", "2025-03")


def test_a_new_aggregate_gets_its_stable_id():
    assert make_invoice().id == invoice_id("regiomech", "2025-03", SHA_1)
    report = CapacityReport(provider="regiomech", period="2025-03", submission={"sha256": SHA_1})
    assert report.id == capacity_report_id("regiomech", "2025-03", SHA_1)
    assert ProviderMonth(provider="regiomech", period="2025-03").id == provider_month_id("regiomech", "2025-03")
    assert ProviderLedger(provider="regiomech").id == provider_ledger_id("regiomech")


# --- commands -------------------------------------------------------------------------------------------

def test_an_invoice_keeps_every_version_and_its_current_result():
    invoice = make_invoice()
    assert invoice.document_version == 2
    assert [s["version"] for s in invoice.submissions] == [1, 2]
    assert invoice.latest["sha256"] == SHA_2 and invoice.latest["lines"][0]["participant"] == "B-0017"
    assert invoice.first_received_at == "2025-04-03T09:12:00+02:00"
    assert invoice.has_content(SHA_2) and not invoice.has_content(SHA_1)  # only the latest counts
    assert invoice.result["totals"]["allowed"] == "1800.00"  # the re-evaluation, not version 2's own result
    assert invoice.totals == {"claimed": "1955.00", "allowed": "1800.00", "reduction": "155.00"}
    assert invoice.reevaluations == [{"version": 2, "reason": "neue Tarifausgabe"}]


def test_an_invoice_opens_its_versions_only_through_an_opener():
    invoice = Invoice(provider="regiomech", period="2025-03",
                      submission=stored_submission(opened(1, SHA_1, "2025-04-03T09:12:00+02:00")))
    assert invoice.totals["claimed"] == "1736.00"  # readable beside the packed body
    with pytest.raises(RuntimeError):
        invoice.latest  # noqa: B018
    invoice.attach_sealer(KEYLESS)
    assert invoice.latest["result"]["totals"]["claimed"] == "1736.00"


def test_a_correction_ends_the_reevaluation():
    invoice = make_invoice()
    invoice.correct(stored_submission(opened(3, "ef" * 32, "2025-04-20T08:00:00+02:00", "1700.00", "1700.00")))
    assert invoice.result["totals"]["allowed"] == "1700.00"
    assert invoice.totals["allowed"] == "1700.00"
    assert invoice.reevaluations == [{"version": 2, "reason": "neue Tarifausgabe"}]  # the record stays


def test_stored_submissions_are_a_copy_and_packed():
    invoice = make_invoice()
    stored = invoice.stored_submissions
    stored.clear()
    assert invoice.document_version == 2
    body = invoice.stored_submissions[0]["body"]
    assert isinstance(body, bytes) and unpack(body)["result"]["totals"]["claimed"] == "1736.00"
    assert "lines" not in invoice.stored_submissions[0]  # the lines live only in the packed body


def test_capacity_report_and_provider_indexes():
    report = CapacityReport(provider="regiomech", period="2025-03", submission={"sha256": SHA_1, "rows": []})
    report.correct({"sha256": SHA_2, "rows": [{"row": 2}]})
    assert report.document_version == 2 and report.latest["sha256"] == SHA_2
    assert report.has_content(SHA_2) and not report.has_content(SHA_1)
    month = ProviderMonth(provider="regiomech", period="2025-03")
    month.file_invoice(invoice_id("regiomech", "2025-03", SHA_1))
    month.file_capacity_report(report.id)
    assert month.invoice_ids == [invoice_id("regiomech", "2025-03", SHA_1)]
    assert month.capacity_report_ids == [report.id]
    ledger = ProviderLedger(provider="regiomech")
    ledger.add_period("2025-02")
    ledger.add_period("2025-03")
    assert ledger.periods == ["2025-02", "2025-03"]


# --- replay ---------------------------------------------------------------------------------------------

def aggregates() -> list:
    report = CapacityReport(provider="regiomech", period="2025-03", submission={"sha256": SHA_1, "rows": []})
    report.correct({"sha256": SHA_2, "rows": [{"row": 2, "places": 12}]})
    month = ProviderMonth(provider="regiomech", period="2025-03")
    month.file_invoice(invoice_id("regiomech", "2025-03", SHA_1))
    month.file_capacity_report(report.id)
    ledger = ProviderLedger(provider="regiomech")
    ledger.add_period("2025-03")
    return [make_invoice(), report, month, ledger]


@pytest.mark.parametrize("index", range(4), ids=["Invoice", "CapacityReport", "ProviderMonth", "ProviderLedger"])
def test_replay_in_memory_gives_the_same_state(index):
    aggregate = aggregates()[index]
    expected = state(aggregate)
    events = aggregate.collect_events()
    assert len(events) >= 2
    assert state(replay(events)) == expected


def test_replay_from_the_store_gives_the_same_state(tmp_path):
    app = sqlite_application(tmp_path)
    made = aggregates()
    expected = [state(a) for a in made]
    app.save(*made)
    for aggregate, before in zip(made, expected, strict=True):
        loaded = app.repository.get(aggregate.id)
        assert type(loaded) is type(aggregate)
        assert state(loaded) == before
    invoice = app.repository.get(made[0].id)
    assert invoice.result["totals"]["allowed"] == "1800.00"
    assert invoice.latest["lines"] == [{"row": 2, "participant": "B-0017", "quantity": "21.7"}]


def test_a_raw_reader_finds_the_packed_body_in_the_stored_json(tmp_path):
    """The projector reads events without the library: the packed body is base64 JSON it can unpack."""
    app = sqlite_application(tmp_path)
    invoice = make_invoice()
    app.save(invoice)
    received = stored_states(app, invoice.id)[0]
    body = received["submission"]["body"]
    assert body["_type_"] == "bytes_b64"
    assert unpack(body)["result"]["totals"]["claimed"] == "1736.00"
    assert received["submission"]["totals"]["claimed"] == "1736.00"  # readable without unpacking


# --- stored event names ---------------------------------------------------------------------------------

def test_every_event_class_keeps_its_first_stored_topic():
    assert_topics_kept("shared.aggregates.invoice", Invoice)
    assert_topics_kept("shared.aggregates.capacity_report", CapacityReport)
    assert_topics_kept("shared.aggregates.provider_month", ProviderMonth, ProviderLedger)


def test_the_store_holds_the_first_names(tmp_path):
    app = sqlite_application(tmp_path)
    made = aggregates()
    app.save(*made)
    invoice, report, month, ledger = made
    assert stored_topics(app, invoice.id) == ["shared.aggregates.invoice:Invoice.Received",
                                              "shared.aggregates.invoice:Invoice.Corrected",
                                              "shared.aggregates.invoice:Invoice.Reevaluated"]
    assert stored_topics(app, report.id) == ["shared.aggregates.capacity_report:CapacityReport.Received",
                                             "shared.aggregates.capacity_report:CapacityReport.Corrected"]
    assert stored_topics(app, month.id) == ["shared.aggregates.provider_month:ProviderMonth.Opened",
                                            "shared.aggregates.provider_month:ProviderMonth.InvoiceFiled",
                                            "shared.aggregates.provider_month:ProviderMonth.CapacityReportFiled"]
    assert stored_topics(app, ledger.id) == ["shared.aggregates.provider_month:ProviderLedger.Opened",
                                             "shared.aggregates.provider_month:ProviderLedger.PeriodAdded"]
    created = stored_states(app, invoice.id)[0]
    assert created["originator_topic"] == "shared.aggregates.invoice:Invoice"
