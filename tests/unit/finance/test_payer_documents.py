"""Who receives which document from an invoice's splits (pure): social services of the register, the canton
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


def register(code):
    from shared.socialservices.domain.entry import SocialServiceEntry

    names = {"SD-OLTEN": ("Sozialdienst Olten", "Baslerstrasse 1\n4600 Olten"),
             "SD-GRENCHEN": ("Sozialregion Grenchen", "2540 Grenchen")}
    return SocialServiceEntry(code, *names[code], "2020-01-01", None) if code in names else None


RECORDED = {"KGS-2540-1": "SD-GRENCHEN", "KGS-OL-1": "SD-OLTEN", "KGS-OL-2": "SD-OLTEN"}


def resolve(provider, reference):
    return RECORDED.get(reference) if provider == "regiomech" else None


def test_statements_per_social_service_of_the_register_unrecorded_references_each_nicht_zugeordnet():
    lines = [fl("S-1", "100.02", "social_assistance", row=1, kgs="KGS-OL-1"),
             fl("S-2", "100.01", "social_assistance", row=2, kgs="KGS-OL-2"),
             fl("S-4", "80.00", "social_assistance", row=3, kgs="KGS-2540-1"),
             fl("S-3", "50.00", "social_assistance", row=4, kgs="KGS-GR-7"),
             fl("S-5", "20.00", "social_assistance", row=5, kgs="KGS-GR-9"),
             fl("A-1", "100.03", row=6)]
    docs = payer_documents(split_lines(lines, rules=()), {}, resolve, register)
    assert [(d.payer, d.recipient) for d in docs] == [  # by the register's name, the unrecorded last
        ("social_service", "SD-OLTEN"), ("social_service", "SD-GRENCHEN"),
        ("social_service", "KGS-GR-7"), ("social_service", "KGS-GR-9"),
        ("canton", "canton"), ("participant", "A-1")]
    olten = next(d for d in docs if d.recipient == "SD-OLTEN")  # two references, ONE statement
    assert olten.social_service == {"code": "SD-OLTEN", "name": "Sozialdienst Olten",
                                    "address": "Baslerstrasse 1\n4600 Olten", "reference": ""}
    assert olten.participants == [{"participant": "S-1", "cost_approvals": ["KGS-OL-1"]},
                                  {"participant": "S-2", "cost_approvals": ["KGS-OL-2"]}]
    assert [ln["row"] for ln in olten.lines] == [1, 2]
    assert (olten.exact, olten.total) == (D("200.03"), D("200.05"))
    assert olten.lines[0]["amount"] == "100.02"  # lines stay exact
    unrecorded = [d for d in docs if d.payer == "social_service" and d.social_service["code"] == UNASSIGNED]
    assert [(d.recipient, d.social_service["name"], d.total) for d in unrecorded] == [
        ("KGS-GR-7", "nicht zugeordnet", D("50.00")), ("KGS-GR-9", "nicht zugeordnet", D("20.00"))]
    canton, bill = docs[-2:]
    assert (canton.exact, canton.total) == (D("50.02"), D("50.00"))  # 100.03 / 2 → 50.02 to the canton
    assert (bill.exact, bill.total) == (D("50.01"), D("50.00"))
    assert social_service_key(fl("S", "1", kgs="  KGS-OL-1 "), resolve) == ("SD-OLTEN", "")
    assert social_service_key(fl("S", "1", kgs="KGS-OL-1")) == (UNASSIGNED, "KGS-OL-1")  # no book: unrecorded
    assert social_service_key(fl("S", "1", kgs=None), resolve) == (UNASSIGNED, "")


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
