"""A federal credit rule that covers social-assistance lines takes its share; the social service pays the rest."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.finance.domain.inputs import credit_categories, share_field
from shared.finance.domain.split import CreditRule, FundingLine, rule_shares, split_lines
from shared.kernel.errors import Invalid

D = Decimal
HALF_OF_SH = CreditRule(valid_from=date(2022, 10, 1), programmes=frozenset({"integration-arbeit"}), refugees=True,
                        id="r1", shares=rule_shares({"self_payer": "1", "social_assistance": "0.5"}))


def fl(allowed: str, funding: str = "social_assistance", programme: str = "integration-arbeit", **kw):
    return FundingLine(provider="regiomech", period="2025-01", participant="S-1", programme=programme,
                       funding=funding, allowed=D(allowed), cost_approval="KGS-2540-1", row=2, **kw)


def test_a_covered_social_assistance_line_is_shared_with_the_credit():
    [s] = split_lines([fl("1000.00")], rules=[HALF_OF_SH])
    assert s.amounts["federal_integration_credit"] == D("500.00")
    assert s.amounts["social_service"] == D("500.00")
    assert s.credit_rule == "r1"


def test_an_odd_centime_goes_to_the_credit_and_the_parts_add_up():
    [s] = split_lines([fl("100.01")], rules=[HALF_OF_SH])
    assert (s.amounts["federal_integration_credit"], s.amounts["social_service"]) == (D("50.01"), D("50.00"))


def test_a_line_of_another_programme_or_a_rule_without_the_category_stays_with_the_social_service():
    [s] = split_lines([fl("1000.00", programme="qualifizierung")], rules=[HALF_OF_SH])
    assert s.amounts["social_service"] == D("1000.00") and s.credit_rule is None
    old = CreditRule(valid_from=date(2022, 10, 1), programmes=frozenset({"integration-arbeit"}), id="old",
                     shares=rule_shares(None))
    [s] = split_lines([fl("1000.00")], rules=[old])
    assert s.amounts["social_service"] == D("1000.00") and s.amounts["federal_integration_credit"] == 0


def test_a_partial_share_of_a_self_payer_line_takes_part_of_subsidy_and_waiver():
    rule = CreditRule(valid_from=date(2022, 10, 1), programmes=frozenset({"integration-arbeit"}), id="r2",
                      shares=rule_shares({"self_payer": "0.5"}))
    [s] = split_lines([fl("400.00", funding="self_payer")], rules=[rule])
    assert s.amounts["federal_integration_credit"] == D("100.00")
    assert s.amounts["canton_subsidy"] == D("100.00") and s.amounts["participant"] == D("200.00")


@given(st.decimals(min_value=0, max_value=100000, places=2), st.sampled_from(["0.5", "0.3333", "1", "0.01"]))
def test_the_split_of_a_social_assistance_line_always_adds_up(allowed, share):
    rule = CreditRule(valid_from=date(2022, 10, 1), programmes=frozenset({"integration-arbeit"}), id="r",
                      shares=rule_shares({"social_assistance": share}))
    [s] = split_lines([fl(str(allowed))], rules=[rule])
    assert s.total == allowed
    assert s.amounts["social_service"] >= 0 and s.amounts["federal_integration_credit"] >= 0


def test_categories_and_shares_are_validated():
    assert credit_categories(None, None) == {"self_payer": "1"}
    assert credit_categories(["social_assistance", "self_payer"], "50 %") == {"self_payer": "0.5",
                                                                              "social_assistance": "0.5"}
    assert credit_categories({"social_assistance": "0.5", "self_payer": 1}, None) == {
        "self_payer": "1", "social_assistance": "0.5"}
    with pytest.raises(Invalid) as e:
        credit_categories(["sozialhilfe"], None)
    assert e.value.field == "categories" and e.value.value == "sozialhilfe"
    for bad in ("0", "1.5", "abc", "-0.5", "0.123456", True):
        with pytest.raises(Invalid):
            share_field(bad)
