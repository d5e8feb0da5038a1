"""The three cost_approval_* checks of domain-rules §4 against recorded Kostengutsprachen: each triggered, each
with its near miss, the effect on the allowed amount (only through allowed.py) and the calculation trace."""
from __future__ import annotations

from datetime import date

from shared.checks import check_invoice
from shared.costapprovals.domain.terms import ApprovalTerms, Usage

from .factory import D, ctx, invoice, line

SH = {"funding": "social_assistance", "participant": "S-0103", "programme": "beschaeftigung-1",
      "unit_price": "35.00"}


def terms(**over) -> ApprovalTerms:
    base = {"reference": "KGS-OL-2025-031", "social_service": "SD-OLTEN", "participant": "S-0103",
            "programme": "beschaeftigung-1", "valid_from": date(2025, 3, 1), "valid_to": date(2025, 8, 31),
            "quantity": None, "amount": None}
    base.update(over)
    return ApprovalTerms(**base)


def run(*lines, approvals=None, used=None):
    approvals = approvals if approvals is not None else {"kgs-ol-2025-031": terms()}
    return check_invoice(invoice(*lines), ctx(cost_approvals=approvals, approval_used=used or {}))


def sh(row=2, **over):
    return line(row, **{**SH, "cost_approval": "KGS-OL-2025-031", "quantity": "21.7", **over})


def codes_of(cl):
    return [f.code for f in cl.findings]


# --- cost_approval_unknown --------------------------------------------------------------------------------
def test_a_reference_not_recorded_is_a_warning_and_changes_nothing():
    cl = run(sh(cost_approval="KGS-OL-2025-999")).lines[0]
    assert codes_of(cl) == ["cost_approval_unknown"] and cl.allowed == cl.claimed == D("759.50")


def test_near_miss_the_same_reference_in_other_case_and_spaces_is_known():
    cl = run(sh(cost_approval=" kgs-ol-2025-031 ")).lines[0]
    assert codes_of(cl) == []


def test_near_miss_a_provider_without_recorded_approvals_gets_no_warning():
    assert codes_of(run(sh(cost_approval="KGS-X"), approvals={}).lines[0]) == []
    assert codes_of(check_invoice(invoice(sh(cost_approval="KGS-X")), ctx()).lines[0]) == []


def test_near_miss_a_self_payer_line_with_a_reference_is_not_checked():
    assert codes_of(run(sh(funding="self_payer", cost_approval="KGS-X")).lines[0]) == []


# --- cost_approval_not_valid ------------------------------------------------------------------------------
def test_a_month_outside_the_validity_zeroes_the_line():
    cl = run(sh(), approvals={"kgs-ol-2025-031": terms(valid_from=date(2025, 4, 1))}).lines[0]
    assert codes_of(cl) == ["cost_approval_not_valid"] and cl.allowed == D("0.00")
    assert "01.04.2025" in cl.findings[0].message
    assert cl.trace[-1] == "Zulässiger Betrag: CHF 0.00"


def test_near_miss_validity_starting_on_the_last_day_of_the_month_covers_it():
    cl = run(sh(), approvals={"kgs-ol-2025-031": terms(valid_from=date(2025, 3, 31))}).lines[0]
    assert codes_of(cl) == []


def test_another_participant_or_programme_zeroes_the_line_without_naming_the_other_participant():
    cl = run(sh(participant="S-0999")).lines[0]
    assert codes_of(cl) == ["cost_approval_not_valid"] and cl.allowed == D("0.00")
    assert "S-0103" not in cl.findings[0].message and "andere Teilnehmernummer" in cl.findings[0].message
    cl = run(sh(programme="qualifizierung", unit_price="80.00")).lines[0]
    assert codes_of(cl) == ["cost_approval_not_valid"]
    assert cl.findings[0].message.endswith("ist für eine andere Programmart (Beschäftigung I)")  # its name, no slug


def test_the_participant_compares_through_the_context_key():
    approvals = {"kgs-ol-2025-031": terms(participant="p:abc")}
    checked = check_invoice(invoice(sh()), ctx(cost_approvals=approvals,
                                               participant_key=lambda p: "p:abc" if p == "S-0103" else p))
    assert codes_of(checked.lines[0]) == []


# --- cost_approval_exceeded -------------------------------------------------------------------------------
def test_the_quantity_limit_takes_the_rest_and_the_trace_says_so():
    approvals = {"kgs-ol-2025-031": terms(quantity=D("25"))}
    checked = run(sh(quantity="10"), approvals=approvals, used={"kgs-ol-2025-031": Usage(D("20"), D("700.00"))})
    cl = checked.lines[0]
    assert codes_of(cl) == ["cost_approval_exceeded"] and cl.allowed == D("175.00")  # 5 × 35.00
    assert cl.findings[0].figures["remaining"] == "5"
    assert cl.trace[-1].endswith("5 × CHF 35.00 = CHF 175.00")
    assert checked.approval_usage["kgs-ol-2025-031"] == Usage(D("5"), D("175.00"))


def test_near_miss_exactly_what_remains_is_allowed_in_full():
    approvals = {"kgs-ol-2025-031": terms(quantity=D("30"))}
    cl = run(sh(quantity="10"), approvals=approvals, used={"kgs-ol-2025-031": Usage(D("20"), D("0"))}).lines[0]
    assert codes_of(cl) == [] and cl.allowed == D("350.00")


def test_an_amount_beyond_what_remains_is_capped_and_the_trace_ends_with_it():
    approvals = {"kgs-ol-2025-031": terms(amount=D("1000.00"))}
    checked = run(sh(quantity="21.7"), approvals=approvals, used={"kgs-ol-2025-031": Usage(D("0"), D("500.00"))})
    cl = checked.lines[0]
    assert codes_of(cl) == ["cost_approval_exceeded"] and cl.allowed == D("500.00")
    assert cl.trace[-1].endswith("CHF 500.00") and "Kostengutsprache: CHF 1’000.00 bewilligt" in cl.trace[-1]
    assert all("KGS" not in f.message and "KGS" not in str(f.figures) for f in cl.findings)  # personal
    assert checked.approval_usage["kgs-ol-2025-031"].amount == D("500.00")


def test_near_miss_an_amount_within_what_remains():
    approvals = {"kgs-ol-2025-031": terms(amount=D("1259.50"))}
    cl = run(sh(), approvals=approvals, used={"kgs-ol-2025-031": Usage(D("0"), D("500.00"))}).lines[0]
    assert codes_of(cl) == [] and cl.allowed == D("759.50")


def test_an_exhausted_approval_allows_nothing_more_and_lines_of_one_invoice_share_it():
    approvals = {"kgs-ol-2025-031": terms(amount=D("1000.00"))}
    other = line(3, **{**SH, "participant": "S-0103", "cost_approval": "KGS-OL-2025-031", "quantity": "10",
                       "offering": "X"})
    checked = run(sh(quantity="20"), other, approvals=approvals)
    first, second = checked.lines
    assert first.allowed == D("700.00") and codes_of(first) == []
    assert second.allowed == D("300.00") and "cost_approval_exceeded" in codes_of(second)
    assert checked.approval_usage["kgs-ol-2025-031"].amount == D("1000.00")


def test_a_line_zeroed_by_another_check_uses_nothing():
    approvals = {"kgs-ol-2025-031": terms(amount=D("100.00"))}
    checked = run(sh(programme="teillohn", unit="hour_worked"),
                  approvals={"kgs-ol-2025-031": terms(programme="teillohn", amount=D("100.00"))})
    assert checked.lines[0].allowed == D("0.00")
    assert checked.approval_usage["kgs-ol-2025-031"] == Usage(D("0"), D("0.00"))
    assert approvals  # the approval itself is unchanged
