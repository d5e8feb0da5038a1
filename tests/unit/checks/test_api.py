"""The public shapes the services depend on: line_key, Finding/CheckedLine/CheckedInvoice.as_dict."""
from __future__ import annotations

import sys
from dataclasses import FrozenInstanceError

import pytest

from shared.checks import CheckContext, CheckedInvoice, CheckedLine, Finding, check_invoice, line_key
from shared.kernel.periods import Period

from .factory import CATALOGUE, D, check, ctx, invoice, line


def test_line_key_is_participant_programme_offering_unit_and_month():
    key = ("B-0017", "qualifizierung", "rm-q1", "assignment_day", "2025-03")  # codes compare without case
    assert line_key(line(offering="RM-Q1")) == key == line_key(line(offering=" rm-Q1 "))
    assert line_key(line()) == ("B-0017", "qualifizierung", "", "assignment_day", "2025-03")


def test_invoice_as_dict_has_the_contract_shape():
    checked = check(line(2, quantity="23", unit_price="85.00"), line(3, participant="X-9", quantity="5"))
    assert isinstance(checked, CheckedInvoice)
    d = checked.as_dict()
    assert d["period"] == "2025-03" and d["edition"] == "2024/25"
    assert d["totals"] == {"claimed": "2355.00", "allowed": "2136.00", "reduction": "219.00"}
    first = d["lines"][0]
    assert first == {
        "row": 2, "participant": "B-0017", "programme": "qualifizierung", "offering": None,
        "funding": "self_payer", "unit": "assignment_day", "quantity": "23", "unit_price": "85.00",
        "claimed": "1955.00", "allowed": "1736.00", "reduction": "219.00",
        "findings": [
            {"code": "tariff_above_max", "severity": "error", "rule": "§2",
             "message": "Ansatz CHF 85.00 über dem Höchsttarif CHF 80.00",
             "figures": {"unit_price": "85.00", "max_price": "80.00"}},
            {"code": "days_above_month", "severity": "error", "rule": "Regel 2",
             "message": "23 Einsatztage verrechnet, höchstens 21.7 pro Monat",
             "figures": {"billed_days": "23", "max_days": "21.7"}},
        ],
        "trace": list(checked.lines[0].trace),
    }
    assert d["lines"][1]["quantity"] == "5" and d["lines"][1]["findings"] == []
    assert d["lines"][1]["trace"] == ["5 Einsatztage × CHF 80.00 = CHF 400.00"]


def test_results_are_frozen_and_hashable():
    checked = check(line(quantity="23"))
    cl = checked.lines[0]
    assert isinstance(cl, CheckedLine) and isinstance(cl.findings[0], Finding)
    with pytest.raises(FrozenInstanceError):
        cl.allowed = D(0)  # type: ignore[misc]
    hash(cl.findings[0])
    assert cl == CheckedLine(cl.line, cl.claimed, cl.allowed, cl.findings, cl.trace)


def test_an_empty_invoice():
    checked = check_invoice(invoice(period=Period(2025, 3)), CheckContext(provider="x", catalogue=CATALOGUE))
    assert checked.lines == () and checked.totals == {"claimed": 0, "allowed": 0, "reduction": 0}
    assert checked.as_dict()["totals"] == {"claimed": "0.00", "allowed": "0.00", "reduction": "0.00"}


def test_one_german_trace_per_limit():
    cl = check(line(programme="coaching", unit="coaching_hour", quantity="1.3", unit_price="210.00")).lines[0]
    assert cl.allowed == D("250.00")
    assert cl.trace == (
        "Ansatz CHF 210.00 über dem Höchsttarif CHF 200.00 (§2)",
        "1.3 Coachingstunden sind kein Vielfaches von 0.25, abgerundet auf 1.25 (Regel 5): "
        "1.25 × CHF 200.00 = CHF 250.00",
    )


def pro_rata_lines(n: int):
    """n lines, two per participant: 10 days and 12 reduced days, 22 days where 21.7 are a full month."""
    return [line(r + 2, participant=f"P-{r // 2}", unit="reduced_day" if r % 2 else "assignment_day",
                 quantity="12" if r % 2 else "10", unit_price="56.00" if r % 2 else "80.00")
            for r in range(n)]


def lines_executed(func) -> int:
    """How many lines of Python func executes: a measure of work that no clock and no other load changes."""
    executed = 0

    def tracer(frame, event, arg):
        nonlocal executed
        if event == "line":
            executed += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        func()
    finally:
        sys.settrace(previous)
    return executed


def test_every_line_of_a_large_invoice_gets_its_group_finding():
    checked = check_invoice(invoice(*pro_rata_lines(4_000)), ctx())
    assert len(checked.lines) == 4_000
    assert all([f.code for f in cl.findings] == ["days_above_month"] for cl in checked.lines)
    # the 2,000th participant is cut exactly as the first: 22 days down to 21.7, shared by both lines
    assert {(cl.line.unit, cl.allowed) for cl in checked.lines} == {("assignment_day", D("788.80")),
                                                                    ("reduced_day", D("663.04"))}


def test_checking_grows_linearly_with_the_lines():
    """Four times the lines, four times the work: a loop over pairs of lines would make it sixteen.
    The time of a 40,000-line check is measured by `make bench` (tests/bench/scaling.py)."""
    small, large = invoice(*pro_rata_lines(1_000)), invoice(*pro_rata_lines(4_000))
    check_invoice(small, ctx())  # anything done once per process (imports, caches) is done before counting
    work_small = lines_executed(lambda: check_invoice(small, ctx()))
    work_large = lines_executed(lambda: check_invoice(large, ctx()))
    assert work_small > 1_000  # the tracer saw the engine's own lines
    assert work_large <= 4.2 * work_small, (work_small, work_large)
