"""The fee waivers and credit rules in force, read again only once the store moved (PortalApplication.while_unchanged),
on SQLite and PostgreSQL: asked twice they are read once; every decision (recorded, changed, revoked, a credit rule)
is in the next answer; and a caller changing its answer changes nothing of the next. The same for the lists the
finance page shows: every fee waiver, budget and recorded credit rule."""
from __future__ import annotations

from decimal import Decimal


def test_the_waivers_and_credit_rules_in_force_are_read_again_once_the_store_moved(portal, monkeypatch):
    sup = portal.supervision
    reads = {"waivers": 0, "rules": 0}
    waivers, rules = sup.fee_waivers, sup.credit_rule_records

    def counted_waivers(*args, **kwargs):
        reads["waivers"] += 1
        return waivers(*args, **kwargs)

    def counted_rules():
        reads["rules"] += 1
        return rules()

    monkeypatch.setattr(sup, "fee_waivers", counted_waivers)
    monkeypatch.setattr(sup, "credit_rule_records", counted_rules)

    assert sup.waiver_terms() == [] and len(sup.credit_rules()) == 1  # the built-in default
    assert sup.waiver_terms() == [] and reads == {"waivers": 1, "rules": 1}

    waiver = sup.record_fee_waiver("regiomech", "Q-01", "2025-01-01", None, "0.00", "test")
    found = sup.waiver_terms()
    assert [(t.id, t.participant, t.monthly_contribution) for t in found] == [(str(waiver.id), "Q-01", Decimal("0"))]
    found.clear()  # the caller's own list
    assert len(sup.waiver_terms()) == 1 and reads["waivers"] == 2

    sup.change_fee_waiver(waiver.id, "2025-02-01", None, "40.00", "test")
    assert [t.monthly_contribution for t in sup.waiver_terms()] == [Decimal("40.00")]
    sup.record_credit_rule("2025-07-01", ["qualifizierung"], False, "Ab Juli", "test")
    assert [r.label for r in sup.credit_rules()][-1] == "Ab Juli"
    sup.revoke_fee_waiver(waiver.id, "Fehlentscheid", "test")
    assert sup.waiver_terms() == []
    assert len(sup.credit_rules()) == 2  # read again: the store moved (the revocation)
    assert reads == {"waivers": 4, "rules": 3}
    assert sup.waiver_terms() == [] and len(sup.credit_rules()) == 2 and reads == {"waivers": 4, "rules": 3}


def test_the_finance_lists_are_read_again_once_the_store_moved(portal, monkeypatch):
    sup = portal.supervision
    reads: list[int] = []
    get_many = sup.get_many

    def counted(*ids):
        reads.append(len(ids))
        return get_many(*ids)

    monkeypatch.setattr(sup, "get_many", counted)
    assert (sup.fee_waivers(), sup.budgets(), sup.credit_rule_records()) == ([], [], [])
    asked = len(reads)
    assert (sup.fee_waivers(), sup.budgets(2025), sup.credit_rule_records()) == ([], [], [])
    assert len(reads) == asked  # nothing read again

    waiver = sup.record_fee_waiver("regiomech", "Q-01", "2025-01-01", None, "0.00", "test")
    sup.set_budget(2025, "canton_subsidy", "1000.00", "test")
    sup.record_credit_rule("2025-07-01", ["qualifizierung"], False, "Ab Juli", "test")
    listed = sup.fee_waivers()
    assert [w.id for w in listed] == [waiver.id] and [w.id for w in sup.fee_waivers("regiomech", "Q-01")] == [waiver.id]
    assert sup.fee_waivers("oltech") == []
    assert [(b.year, b.source) for b in sup.budgets(2025)] == [(2025, "canton_subsidy")] and sup.budgets(2024) == []
    assert [r.label for r in sup.credit_rule_records()] == ["Ab Juli"]
    asked = len(reads)
    listed.clear()  # the caller's own list
    assert len(sup.fee_waivers()) == 1 and len(reads) == asked

    sup.revoke_fee_waiver(waiver.id, "Fehlentscheid", "test")
    assert [w.active for w in sup.fee_waivers()] == [False]  # read again: the store moved
    sup.set_budget(2025, "canton_subsidy", "1200.00", "test")  # a budget revised: the directory as it was
    assert [b.amount for b in sup.budgets(2025)] == ["1200.00"]
