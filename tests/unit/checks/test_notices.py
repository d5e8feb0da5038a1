"""Notices about the whole document: raised once the deadline has passed, shown once per invoice.

capacity_report_missing: a capacity report is due on the 10th of the following month (as the invoice is);
before that it is pending, not missing. The lines keep the notices (the API's contract);
`invoice_notices` groups them with the rows they concern.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from shared.checks.notices import invoice_notices, line_findings

from .factory import D, capacity_row, check, codes, line

CEST = timezone(timedelta(hours=2))
LINES = (line(2, participant="A-1"), line(3, participant="B-2"),
         line(4, participant="C-3", programme="coaching", unit="coaching_hour", quantity="3", unit_price="200.00"))


def test_a_capacity_report_is_not_missing_on_the_deadline_day_and_missing_the_day_after():
    checked = check(*LINES, capacity={}, today=date(2025, 4, 10))
    assert [codes(cl) for cl in checked.lines] == [[], [], []]
    checked = check(*LINES, capacity={}, today=date(2025, 4, 11))
    assert [codes(cl) for cl in checked.lines] == [["capacity_report_missing"]] * 3
    assert [cl.allowed for cl in checked.lines] == [D("1736.00"), D("1736.00"), D("600.00")]


def test_an_offering_reported_is_never_missing_one_unreported_only_after_the_deadline():
    reported = {("qualifizierung", None): capacity_row()}
    before = check(*LINES, capacity=reported, today=date(2025, 4, 10))
    after = check(*LINES, capacity=reported, today=date(2025, 4, 11))
    assert [codes(cl) for cl in before.lines] == [[], [], []]
    assert [codes(cl) for cl in after.lines] == [[], [], ["capacity_report_missing"]]


def test_notices_are_grouped_once_per_invoice_with_their_rows():
    checked = check(*LINES, capacity={}, today=date(2025, 4, 20),
                    received_at=datetime(2025, 4, 11, 8, 0, tzinfo=CEST))
    lines = checked.as_dict()["lines"]
    assert all(codes(cl) == ["capacity_report_missing", "late_submission"] for cl in checked.lines)  # contract
    notices = invoice_notices(lines)
    assert [(n["code"], n["rows"]) for n in notices] == [
        ("capacity_report_missing", [2, 3]), ("capacity_report_missing", [4]), ("late_submission", [2, 3, 4])]
    assert notices[0]["message"] == "Keine Kapazitätsmeldung für Qualifizierung im März 2025"
    assert notices[1]["message"] == "Keine Kapazitätsmeldung für Coaching im März 2025"
    assert notices[2]["message"] == "Rechnung März 2025 am 11.04.2025 eingegangen, Frist 10.04.2025"
    assert notices[2]["figures"] == {"received": "2025-04-11", "deadline": "2025-04-10"}
    assert {n["severity"] for n in notices} == {"warning"}
    assert [line_findings(ln) for ln in lines] == [[], [], []]
    own = check(line(2, quantity="23"), capacity={}, today=date(2025, 4, 11)).as_dict()["lines"][0]
    assert [f["code"] for f in line_findings(own)] == ["days_above_month"]  # a line keeps its own findings
