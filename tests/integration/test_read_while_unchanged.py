"""The fee waivers and credit rules in force, read again only once the store moved (PortalApplication.while_unchanged),
on SQLite and PostgreSQL: asked twice they are read once; every decision (recorded, changed, revoked, a credit rule)
is in the next answer; and a caller changing its answer changes nothing of the next."""
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
