"""When the provider's home page warns about a Kostengutsprache (issue 19, point 2), and the XLSX upload format."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from shared.costapprovals.application.reads import approval_warning
from shared.costapprovals.domain.terms import ApprovalTerms, Usage
from shared.register.domain.catalogue import load_default_catalogue
from shared.submissions.domain.documents import SubmissionRejected
from shared.submissions.parsers.cost_approvals import parse_cost_approvals

D = Decimal
TODAY = date(2025, 6, 15)


def terms(valid_to=date(2025, 12, 31), quantity=None, amount=None) -> ApprovalTerms:
    return ApprovalTerms("KGS-1", "SD-OLTEN", "p:1", "qualifizierung", date(2025, 1, 1), valid_to, quantity, amount)


def test_an_approval_ending_within_a_month_warns_and_one_ended_long_ago_no_longer():
    assert approval_warning(terms(valid_to=date(2025, 7, 10)), Usage(), {}, TODAY) == "expires"
    assert approval_warning(terms(valid_to=date(2025, 6, 1)), Usage(), {}, TODAY) == "expired"
    assert approval_warning(terms(valid_to=date(2025, 3, 1)), Usage(), {}, TODAY) is None
    assert approval_warning(terms(valid_to=date(2025, 8, 1)), Usage(), {}, TODAY) is None  # near miss


def test_an_approval_that_a_month_at_the_usual_rate_would_exhaust_warns():
    used = {"2025-04": Usage(D("20"), D("1600")), "2025-05": Usage(D("20"), D("1600"))}
    assert approval_warning(terms(quantity=D("55")), Usage(D("40"), D("3200")), used, TODAY) == "runs_out"
    assert approval_warning(terms(quantity=D("60")), Usage(D("40"), D("3200")), used, TODAY) is None  # 20 left
    assert approval_warning(terms(amount=D("4000")), Usage(D("40"), D("3200")), used, TODAY) == "runs_out"


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Kostengutsprachen"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEAD = ["Kostengutsprache", "Sozialdienst", "Teilnehmer", "Programm", "Gültig ab", "Gültig bis", "Menge", "Betrag"]


def test_xlsx_with_typed_dates_and_numbers_reads():
    data = xlsx([HEAD, ["KGS-1", "SD-OLTEN", "S-1", "Qualifizierung", date(2025, 1, 1), date(2025, 6, 30), 60, None]])
    [a] = parse_cost_approvals(data, catalogue=load_default_catalogue())
    assert (a.reference, a.programme, a.valid_to, a.quantity, a.amount) == (
        "KGS-1", "qualifizierung", date(2025, 6, 30), D(60), None)


@pytest.mark.parametrize(("row", "column"), [
    (["KGS-1", "SD-OLTEN", "S-1", "Qualifizierung", "01.07.2025", "30.06.2025", None, None], "Gültig bis"),
    (["KGS-1", "SD-OLTEN", "S-1", "Qualifizierung", "01.01.2025", "30.06.2025", 10, 900], "Betrag"),
    (["KGS-1", "SD-OLTEN", "S-1", "Qualifizierung", "01.01.2025", "30.06.2025", 0, None], "Menge"),
    (["=KGS", "SD-OLTEN", "S-1", "Qualifizierung", "01.01.2025", "30.06.2025", None, None], "Kostengutsprache"),
    (["KGS-1", "SD-OLTEN", "756.1234.5678.97", "Qualifizierung", "01.01.2025", "30.06.2025", None, None],
     "Teilnehmer"),
])
def test_what_can_not_be_true_names_row_and_column(row, column):
    with pytest.raises(SubmissionRejected) as exc:
        parse_cost_approvals(xlsx([HEAD, row]), catalogue=load_default_catalogue())
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, column)]


def test_near_miss_an_amount_of_exactly_quantity_times_the_maximum_is_no_contradiction():
    row = ["KGS-1", "SD-OLTEN", "S-1", "Qualifizierung", "01.01.2025", "30.06.2025", 10, 800]
    assert parse_cost_approvals(xlsx([HEAD, row]), catalogue=load_default_catalogue())[0].amount == D(800)


def test_the_usage_of_every_approval_at_once_equals_the_usage_read_one_approval_at_a_time():
    from shared.costapprovals.domain.book import CostApprovalBook

    book = CostApprovalBook("regiomech")
    book.consume("inv-1", "2025-04", {"r:a": ["20", "1600.00"], "r:b": ["1", "80.00"]})
    book.consume("inv-2", "2025-05", {"r:a": ["20", "1600.00"]})
    book.consume("inv-3", "2025-05", {"r:a": ["2.5", "200.00"], "r:c": ["3", "240.00"]})
    book.consume("inv-2", "2025-05", {"r:a": ["10", "800.00"]})  # a new version replaces what it used
    totals, periods = book.usage_by_approval()
    assert set(totals) == set(periods) == {"r:a", "r:b", "r:c"}
    for key in totals:
        assert totals[key] == book.used(key) and periods[key] == book.usage_by_period(key)
    assert totals["r:a"] == Usage(D("32.5"), D("2600.00"))
    assert periods["r:a"] == {"2025-04": Usage(D("20"), D("1600.00")), "2025-05": Usage(D("12.5"), D("1000.00"))}


@given(st.lists(st.tuples(st.sampled_from(["inv-1", "inv-2", "inv-3", "inv-4"]), st.sampled_from(["2025-04", "2025-05"]),
                          st.dictionaries(st.sampled_from(["r:a", "r:b", "r:c"]),
                                          st.tuples(st.decimals("0", "40", places=1), st.decimals("0", "900", places=2)),
                                          max_size=3)), max_size=8),
       st.sampled_from([None, "inv-1", "inv-2", "inv-9"]))
def test_what_the_other_invoices_use_is_summed_digit_for_digit_as_one_usage_at_a_time(consumptions, invoice):
    from shared.costapprovals.domain.book import CostApprovalBook

    book = CostApprovalBook("regiomech")
    for iid, period, usage in consumptions:
        book.consume(iid, period, {k: [str(q), str(a)] for k, (q, a) in usage.items()})
    expected: dict[str, Usage] = {}  # the sum as it was written first: a Usage added per invoice
    for other, entry in book.usage.items():
        if other != invoice:
            for key, pair in entry["usage"].items():
                expected[key] = expected.get(key, Usage()) + Usage.of(pair)
    found = book.used_by_others(invoice)
    assert found == expected
    assert {k: u.as_list() for k, u in found.items()} == {k: u.as_list() for k, u in expected.items()}
