"""The pure funding split (domain-rules §5, §6): exact to the centime, never negative, deterministic."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import (
    DEFAULT_CREDIT_RULE,
    CreditRule,
    FundingLine,
    WaiverTerms,
    add_up,
    rule_in_force,
    split_lines,
)
from shared.kernel.periods import Period

D = Decimal


def fl(allowed: str, funding: str = "self_payer", participant: str = "B-0017", period: str = "2025-01",
       programme: str = "qualifizierung", row: int = 2, **kw) -> FundingLine:
    return FundingLine(provider="regiomech", period=period, participant=participant, programme=programme,
                       funding=funding, allowed=D(allowed), row=row, **kw)


def waiver(contribution: str, valid_from=date(2024, 11, 25), valid_to=date(2025, 2, 28),
           participant="B-0017"):
    return WaiverTerms(id="w1", provider="regiomech", participant=participant, valid_from=valid_from,
                       valid_to=valid_to, monthly_contribution=D(contribution))


def test_herr_b_brochure_table():
    lines = [fl("400.00", period="2024-11"), fl("1736.00", period="2024-12"), fl("1736.00", period="2025-01"),
             fl("1200.00", period="2025-02")]
    splits = split_lines(lines, [waiver("50.00")])
    got = [(s.amounts["canton_subsidy"], s.amounts["fee_waiver"], s.amounts["participant"]) for s in splits]
    assert got == [(D("200.00"), D("150.00"), D("50.00")), (D("868.00"), D("818.00"), D("50.00")),
                   (D("868.00"), D("818.00"), D("50.00")), (D("600.00"), D("550.00"), D("50.00"))]
    assert all(s.waiver == "w1" for s in splits)


def test_frau_a_brochure_table():
    lines = [fl("600.00", period="2024-11", programme="coaching"), fl("200.00", period="2024-12",
                                                                     programme="coaching"),
             fl("400.00", period="2025-01", programme="coaching")]
    got = [(s.amounts["canton_subsidy"], s.amounts["participant"]) for s in split_lines(lines)]
    assert got == [(D("300.00"), D("300.00")), (D("100.00"), D("100.00")), (D("200.00"), D("200.00"))]
    assert add_up(split_lines(lines))["canton_subsidy"] == D("600.00")


def test_odd_centime_goes_to_the_canton_subsidy():
    s = split_lines([fl("759.55")])[0]
    assert s.amounts["canton_subsidy"] == D("379.78") and s.amounts["participant"] == D("379.77")


def test_full_waiver_and_months_outside_the_decision():
    lines = [fl("1736.00", period=p) for p in ("2024-10", "2024-11", "2025-03")]
    splits = split_lines(lines, [waiver("0.00")])
    assert splits[0].amounts["participant"] == D("868.00") and splits[0].waiver is None
    assert splits[1].amounts["participant"] == D("0") and splits[1].amounts["fee_waiver"] == D("868.00")
    assert splits[2].amounts["fee_waiver"] == D("0")


def test_contribution_is_per_participant_month_across_lines_and_invoices():
    lines = [fl("60.00", row=2, invoice="a", received_at="2025-02-01"),
             fl("800.00", row=3, invoice="a", received_at="2025-02-01"),
             fl("200.00", row=2, invoice="b", received_at="2025-02-05")]
    splits = split_lines(list(reversed(lines)), [waiver("50.00")])
    paid = [s.amounts["participant"] for s in splits]
    assert paid == [D("30.00"), D("20.00"), D("0.00")]  # first received, first row pays first
    assert sum(paid) == D("50.00")
    assert add_up(splits)["fee_waiver"] == D("480.00")


def test_contribution_above_the_share_means_no_waiver_money():
    s = split_lines([fl("60.00")], [waiver("50.00")])[0]
    assert s.amounts["participant"] == D("30.00") and s.amounts["fee_waiver"] == D("0.00")


def test_waiver_ignored_for_social_assistance_and_alv_iv_and_other_participants():
    lines = [fl("759.50", funding="social_assistance", cost_approval="KGS-1"), fl("800.00", funding="alv_iv"),
             fl("800.00", participant="X-1")]
    splits = split_lines(lines, [waiver("50.00")])
    by = {s.line.participant + s.line.funding: s for s in splits}
    assert by["B-0017social_assistance"].amounts["social_service"] == D("759.50")
    assert by["B-0017alv_iv"].amounts["other"] == D("800.00")
    assert by["X-1self_payer"].amounts["participant"] == D("400.00")
    assert all(s.waiver is None for s in splits)


def test_federal_credit_takes_subsidy_and_waiver_but_never_social_assistance():
    lines = [fl("500.00", programme="integration-arbeit"), fl("800.00", refugee=True, participant="R-1"),
             fl("500.00", programme="integration-arbeit", funding="social_assistance", participant="S-1",
                cost_approval="KGS-1")]
    splits = split_lines(lines, [waiver("50.00")])
    by = {s.line.participant: s for s in splits}
    assert by["B-0017"].amounts["federal_integration_credit"] == D("450.00")  # 250 subsidy + 200 waiver
    assert by["B-0017"].amounts["participant"] == D("50.00")
    assert by["B-0017"].amounts["canton_subsidy"] == by["B-0017"].amounts["fee_waiver"] == D("0")
    assert by["R-1"].amounts["federal_integration_credit"] == D("400.00")
    assert by["S-1"].amounts["social_service"] == D("500.00")
    assert by["S-1"].credit_rule is None


def test_rules_are_effective_dated():
    later = CreditRule(valid_from=date(2025, 2, 1), programmes=frozenset(), refugees=True, id="r2")
    rules = [DEFAULT_CREDIT_RULE, later]
    assert rule_in_force(rules, Period(2022, 9)) is None
    assert rule_in_force(rules, Period(2022, 10)) is DEFAULT_CREDIT_RULE
    assert rule_in_force(rules, Period(2025, 1)) is DEFAULT_CREDIT_RULE
    assert rule_in_force(rules, Period(2025, 2)) is later
    old = split_lines([fl("500.00", programme="integration-arbeit", period="2022-09")], rules=rules)[0]
    assert old.amounts["canton_subsidy"] == D("250.00")
    new = split_lines([fl("500.00", programme="integration-arbeit", period="2025-02")], rules=rules)[0]
    assert new.amounts["canton_subsidy"] == D("250.00") and new.credit_rule is None


# --- properties ------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
line_strategy = st.builds(
    fl, allowed=amounts.map(str), funding=st.sampled_from(["self_payer", "social_assistance", "alv_iv"]),
    participant=st.sampled_from(["B-1", "B-2", "B-3"]),
    period=st.sampled_from(["2024-09", "2025-01", "2025-02"]),
    programme=st.sampled_from(["qualifizierung", "coaching", "integration-arbeit"]),
    row=st.integers(min_value=2, max_value=50), refugee=st.booleans(),
    invoice=st.sampled_from(["i1", "i2"]))
waiver_strategy = st.builds(
    waiver, contribution=amounts.map(str), participant=st.sampled_from(["B-1", "B-2"]),
    valid_from=st.sampled_from([date(2024, 1, 1), date(2025, 1, 31)]),
    valid_to=st.sampled_from([None, date(2025, 1, 1)]))


@settings(max_examples=300, deadline=None)
@given(st.lists(line_strategy, max_size=12),
       st.lists(waiver_strategy, max_size=2, unique_by=lambda w: w.participant))
def test_property_sources_add_up_to_the_allowed_amount_and_none_is_negative(lines, waivers):
    splits = split_lines(lines, waivers)
    assert len(splits) == len(lines)
    for s in splits:
        assert set(s.amounts) == set(SOURCES)
        assert sum(s.amounts.values()) == s.line.allowed
        assert all(v >= 0 for v in s.amounts.values())
        assert all(v == v.quantize(D("0.01")) for v in s.amounts.values())
    # per participant-month, the participant pays at most the waiver's contribution
    for w in waivers:
        for period in ("2024-09", "2025-01", "2025-02"):
            if not w.covers(Period.parse(period)):
                continue
            paid = sum(s.amounts["participant"] for s in splits
                       if s.line.participant == w.participant and s.line.period == period)
            assert paid <= w.monthly_contribution
    # deterministic whatever the order the lines come in
    again = split_lines(list(reversed(lines)), waivers)
    assert sorted((s.line.order, tuple(s.amounts.values())) for s in again) == \
        sorted((s.line.order, tuple(s.amounts.values())) for s in splits)
