"""The projector's pieces that need no store: the fast decoders agree with the mapper, amounts, filters."""
from __future__ import annotations

import base64
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic

from shared.kernel.packing import pack
from shared.portal.reporting import ReportingApplication
from shared.privacy.keyless import KEYLESS
from shared.readmodels import statements as S
from shared.readmodels.centimes import amount, cents
from shared.readmodels.projector.decoding import fast_decoders
from shared.readmodels.queries import _where, months_of
from shared.readmodels.statements import in_list, with_in, with_span
from shared.readmodels.tables import EMPTIED, ddl
from shared.review.domain.status import status_of as invoice_status
from shared.submissions.domain.capacity_report import CapacityReport
from shared.submissions.domain.invoice import Invoice, stored_submission

RESULT = {"period": "2025-03", "edition": "2024/25",
          "totals": {"claimed": "1955.00", "allowed": "1736.00", "reduction": "219.00"},
          "lines": [{"row": 2, "participant": "Q-1", "programme": "qualifizierung", "offering": None,
                     "funding": "self_payer", "unit": "assignment_day", "quantity": "23",
                     "unit_price": "85.00",
                     "claimed": "1955.00", "allowed": "1736.00", "reduction": "219.00",
                     "findings": [{"code": "days_above_month", "severity": "error", "rule": "Regel 2",
                                   "message": "…", "figures": {"max_days": "21.7"}}],
                     "trace": ["23 × 85.00"]}]}
LINES = [{"row": 2, "period": "2025-03", "participant": "Q-1", "programme": "qualifizierung",
          "funding": "self_payer", "unit": "assignment_day", "quantity": "23", "unit_price": "85.00",
          "amount": "1955.00", "offering": None, "cost_approval": None, "entry_date": None,
          "exit_date": "2025-03-20", "exit_reason": "dropout", "refugee": False}]
SUBMISSION = {"version": 1, "sha256": "ab", "filename": "r.csv", "content_type": "text/csv",
              "original": b"x;y",
              "received_at": "2025-04-03T09:12:00+02:00", "actor": "t", "lines": LINES, "result": RESULT,
              "warnings": []}


@pytest.fixture(scope="module")
def app():
    application = ReportingApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def roundtrip(app, event):
    stored = app.mapper.to_stored_event(event)
    fast = fast_decoders()[get_topic(type(event))](stored.state)
    slow = app.mapper.to_domain_event(stored).__dict__
    return fast, slow


def same_fields(fast: dict, slow: dict) -> None:
    """Every field the fast decoder reads has the value the mapper gives."""
    for key, value in fast.items():
        if isinstance(value, dict) and "_type_" in value:  # packed bytes as stored: the mapper gives the bytes
            assert base64.b64decode(value["_data_"]) == slow[key], key
        elif isinstance(value, dict):
            same_fields(value, slow[key])
        elif isinstance(value, list):
            assert len(value) == len(slow[key])
            for a, b in zip(value, slow[key], strict=True):
                if isinstance(a, dict):
                    same_fields(a, b)
                else:
                    assert a == b, key
        else:
            assert value == slow[key], key


def test_the_fast_decoders_read_what_the_mapper_reads(app):
    invoice = Invoice(provider="regiomech", period="2025-03", submission=stored_submission(SUBMISSION))
    invoice.correct(submission=stored_submission({**SUBMISSION, "version": 2, "sha256": "cd"}))
    invoice.reevaluate(result_body=pack(RESULT), totals=RESULT["totals"], reason="Kapazitätsmeldung", actor="t")
    report = CapacityReport(provider="regiomech", period="2025-03", submission={
        "version": 1, "sha256": "ef", "received_at": "2025-04-04T10:00:00+02:00", "original": b"",
        "rows": [{"row": 2, "period": "2025-03", "programme": "qualifizierung", "offering": "RM-Q",
                  "places": 10, "occupied": 8, "entries": 1, "exits": 0, "waiting_list": None}]})
    events = [*invoice.collect_events(), *report.collect_events()]
    assert len(events) == 4
    for event in events:
        fast, slow = roundtrip(app, event)
        same_fields(fast, slow)
    fast, _ = roundtrip(app, events[0])
    assert KEYLESS.open_submission(fast["submission"])["lines"][0]["exit_reason"] == "dropout"
    assert KEYLESS.open_submission(fast["submission"])["result"] == RESULT


@pytest.mark.parametrize("warnings", [[{"row": 1, "column": "Bemerkung", "value": "Bemerkung", "message": "…"}], [],
                                      None, "kaputt"])
def test_warnings_of_any_shape_are_decoded_and_kept_only_as_a_list(app, warnings):
    """The views keep a version's parser warnings: an event whose warnings are not the list the parser writes is
    projected all the same (its warnings left out), never set aside for them."""
    from shared.readmodels.projector.handlers import _warnings

    invoice = Invoice(provider="regiomech", period="2025-03",
                      submission=stored_submission({**SUBMISSION, "warnings": warnings}))
    fast, _ = roundtrip(app, invoice.collect_events()[0])
    kept = _warnings(fast["submission"])
    assert kept == ('[{"row":1,"column":"Bemerkung","value":"Bemerkung","message":"…"}]' if isinstance(warnings, list) and warnings else None)


def test_amounts_are_whole_centimes_and_back():
    assert cents("1736.00") == 173600 and cents("-0.05") == -5 and cents("0.00") == 0
    assert amount(173605) == "1736.05" and amount(None) == "0.00" and amount(-5) == "-0.05"
    assert amount(sum(cents(a) for a in ("0.10", "0.20"))) == "0.30"  # exact, unlike floats
    assert Decimal(amount(cents("123456789.99"))) == Decimal("123456789.99")


def test_filters_and_statuses():
    assert _where() == ("WHERE 1 = 1", [])
    assert _where(period="3.2025") == ("WHERE period = ?", ["2025-03"])
    clause, params = _where(year=2025, programme="coaching", prefix="f.")
    assert clause == "WHERE f.period BETWEEN ? AND ? AND f.programme = ?"
    assert params == ["2025-01", "2025-12", "coaching"]
    assert months_of(2025)[::11] == ["2025-01", "2025-12"]
    assert invoice_status(2, 2, None) == "approved"
    assert invoice_status(2, 1, None) == "changed_since_approval"
    assert invoice_status(1, None, 1) == "returned" and invoice_status(2, None, 1) == "checked"


def test_the_schema_and_the_placeholders():
    statements = ddl()
    assert sum("CREATE TABLE" in s for s in statements) == len(EMPTIED)  # every table is dropped on rebuild
    assert all("?" not in s for s in statements)
    assert in_list(3) == "(?,?,?)"
    assert with_in("SELECT 1 FROM t WHERE a IN {in}", 2) == "SELECT 1 FROM t WHERE a IN (?,?)"
    assert str(uuid4())  # ids are stored as their text


def test_a_span_fills_each_placeholder_with_its_values_in_order():
    """The decisions' join repeats the months and providers: each occurrence gets its own parameters."""
    sql, params = with_span("a IN {periods} AND b IN {providers} WHERE c IN {periods} AND d IN {providers}",
                            ["2025-03", "2025-04"], ["rm"])
    assert sql == "a IN (?,?) AND b IN (?) WHERE c IN (?,?) AND d IN (?)"
    assert params == ["2025-03", "2025-04", "rm", "2025-03", "2025-04", "rm"]
    assert with_span(S.SELECT_MONTH_INVOICES, ["2025-03"], ["rm", "ol"])[1] == ["2025-03", "rm", "ol"]


def test_every_join_of_the_decisions_is_narrowed_by_provider_and_month():
    """One home for the join (statements.DECIDED): no statement joins the decisions on the finding alone."""
    import inspect

    from shared.readmodels import document_lists, provider_view, queries, work_queue

    for module in (S, document_lists, provider_view, queries, work_queue):
        source = inspect.getsource(module)
        assert "JOIN decisions d ON d.invoice_id" not in source, module.__name__
    assert "d.provider = f.provider AND d.period = f.period" in S.DECIDED
