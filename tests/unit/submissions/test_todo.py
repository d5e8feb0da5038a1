"""What a provider has to do first: returned invoices with the reason, open errors, missing and late months by
the one deadline rule, and the deadlines ahead."""
from __future__ import annotations

from datetime import date

from shared.kernel.periods import Period
from shared.submissions.application.todo import provider_todo
from shared.submissions.domain.deadlines import Deadlines

DEADLINES = Deadlines()


def month(period: str, invoice_status: str, report_status: str, invoices=()) -> dict:
    return {"period": period, "deadline": DEADLINES.deadline(Period.parse(period)), "invoices": list(invoices),
            "invoice_status": invoice_status, "report_status": report_status}


def invoice(iid: str, status: str, open_errors: int = 0, reason: str | None = None) -> dict:
    return {"id": iid, "version": 2, "status": status, "open_errors": open_errors, "returned_reason": reason}


def test_returned_first_with_reason_then_open_errors_then_missing_and_late():
    months = [
        month("2026-10", "received", "missing", [invoice("a", "returned", 3, "Zeile 4 doppelt")]),
        month("2026-09", "late", "received", [invoice("b", "checked", 2), invoice("c", "approved", 5)]),
        month("2026-08", "missing", "missing"),
    ]
    todo = provider_todo(months, DEADLINES, date(2026, 11, 20))
    assert todo["returned"] == [{"id": "a", "period": "2026-10", "version": 2, "reason": "Zeile 4 doppelt"}]
    assert todo["to_fix"] == [{"id": "b", "period": "2026-09", "version": 2, "errors": 2}]  # approved: nothing to do
    assert [(m["period"], m["kind"]) for m in todo["missing"]] == [
        ("2026-08", "invoice"), ("2026-08", "capacity"), ("2026-10", "capacity")]
    assert todo["missing"][0]["deadline"] == date(2026, 9, 10)
    assert todo["late"] == [{"period": "2026-09", "kind": "invoice", "deadline": date(2026, 10, 10)}]


def test_deadlines_ahead_the_month_now_due_before_its_deadline_and_the_current_month():
    months = [month("2026-10", "pending", "received")]
    todo = provider_todo(months, DEADLINES, date(2026, 11, 5))
    assert todo["ahead"] == [{"period": "2026-10", "kinds": ["invoice"], "deadline": date(2026, 11, 10)},
                             {"period": "2026-11", "kinds": ["invoice", "capacity"], "deadline": date(2026, 12, 10)}]
    assert todo["missing"] == []


def test_nothing_to_do():
    months = [month("2026-10", "received", "received", [invoice("a", "approved")])]
    todo = provider_todo(months, DEADLINES, date(2026, 11, 20))
    assert todo["returned"] == todo["to_fix"] == todo["missing"] == todo["late"] == []
    assert todo["ahead"] == [{"period": "2026-11", "kinds": ["invoice", "capacity"], "deadline": date(2026, 12, 10)}]
