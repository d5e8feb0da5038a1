"""Who receives which document from an invoice's splits (pure): social services by Kostengutsprache, the canton
with subsidy and waiver per participant, each self-payer their share; totals rounded to 0.05 only."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.finance.application.payer_documents import UNASSIGNED, payer_documents, social_service_key
from shared.finance.domain.payment_reference import creditor_reference, qr_reference, reference_digits
from shared.finance.domain.split import CreditRule, FundingLine, WaiverTerms, rule_shares, split_lines

D = Decimal


def fl(participant, allowed, funding="self_payer", programme="qualifizierung", row=1, kgs=None):
    return FundingLine(provider="regiomech", period="2024-11", participant=participant, programme=programme,
                       funding=funding, allowed=D(allowed), cost_approval=kgs, invoice="i", row=row)


def test_herr_b_entry_month_gives_the_cantons_claim_and_his_fifty_francs():
    waiver = WaiverTerms("w", "regiomech", "B-0017", date(2024, 11, 25), None, D("50.00"))
    docs = payer_documents(split_lines([fl("B-0017", "400.00")], [waiver], rules=()), {})
    assert [(d.payer, d.recipient, d.total) for d in docs] == [("canton", "canton", D("350.00")),
                                                               ("participant", "B-0017", D("50.00"))]
    [claim] = docs[0].participants
    assert (claim["canton_subsidy"], claim["fee_waiver"], claim["total"]) == ("200.00", "150.00", "350.00")


def test_statements_per_kostengutsprache_and_totals_rounded_to_five_rappen_only():
    lines = [fl("S-1", "100.02", "social_assistance", row=1, kgs="KGS-2540-1"),
             fl("S-2", "100.01", "social_assistance", row=2, kgs="KGS-4143-2"),
             fl("S-3", "50.00", "social_assistance", row=3, kgs=None),
             fl("A-1", "100.03", row=4)]
    docs = payer_documents(split_lines(lines, rules=()), {})
    assert [(d.payer, d.recipient) for d in docs] == [
        ("social_service", "KGS-2540-1"), ("social_service", "KGS-4143-2"), ("social_service", UNASSIGNED),
        ("canton", "canton"), ("participant", "A-1")]
    assert (docs[0].exact, docs[0].total) == (D("100.02"), D("100.00"))
    assert docs[0].lines[0]["amount"] == "100.02"  # lines stay exact
    assert (docs[3].exact, docs[3].total) == (D("50.02"), D("50.00"))  # 100.03 / 2 → 50.02 to the canton
    assert (docs[4].exact, docs[4].total) == (D("50.01"), D("50.00"))
    assert social_service_key(fl("S", "1", kgs="  KGS-1 ")) == "KGS-1"


def test_a_credit_share_leaves_the_social_service_only_its_part():
    rule = CreditRule(valid_from=date(2022, 10, 1), programmes=frozenset({"integration-arbeit"}), id="r",
                      shares=rule_shares({"social_assistance": "0.5"}))
    docs = payer_documents(split_lines([fl("S-1", "1000.00", "social_assistance", "integration-arbeit",
                                           kgs="KGS-1")], rules=[rule]), {})
    assert [(d.payer, d.total) for d in docs] == [("social_service", D("500.00")), ("canton", D("500.00"))]
    assert docs[1].participants[0]["federal_integration_credit"] == "500.00"


def test_a_full_waiver_leaves_no_bill_and_alv_iv_lines_none_at_all():
    waiver = WaiverTerms("w", "regiomech", "B-1", date(2024, 1, 1), None, D("0.00"))
    docs = payer_documents(split_lines([fl("B-1", "400.00"), fl("I-1", "300.00", "alv_iv", row=2)], [waiver],
                                       rules=()), {})
    assert [(d.payer, d.total) for d in docs] == [("canton", D("400.00"))]


def test_payment_references_are_valid_and_stable():
    from stdnum import iso11649
    from stdnum.ch import esr

    digits = reference_digits("3f1c", 2, 5, "2025-03")
    assert digits == reference_digits("3f1c", 2, 5, "2025-03") and len(digits) == 21
    assert digits != reference_digits("3f1c", 3, 5, "2025-03")
    assert esr.is_valid(qr_reference(digits)) and len(qr_reference(digits)) == 27
    assert iso11649.is_valid(creditor_reference(digits)) and len(creditor_reference(digits)) <= 25
