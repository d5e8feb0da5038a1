"""`ami demo`'s test programme 2022-10 … 2024-12: deterministic, consistent with the demo year that follows."""
from __future__ import annotations

from datetime import date

from services.demo import test_programme as T
from shared.register.domain.catalogue import load_default_catalogue


def test_the_documents_are_the_same_on_every_run_and_cover_the_span():
    catalogue = load_default_catalogue()
    plan = T.plans()[0]
    first, again = T.documents(plan, catalogue), T.documents(plan, catalogue)
    assert first == again
    invoices = [d for d in first if d[1] == "invoice"]
    assert [str(d[2]) for d in invoices][0] == "2022-10" and str(invoices[-1][2]) == "2024-12"
    assert len({d[2] for d in invoices}) == 27
    assert all(d[0].date() > d[2].last_day for d in first)  # sent after the month, as providers do


def test_the_participants_start_mid_october_and_hand_their_places_to_the_demo_year():
    for plan in T.plans():
        people = T.simulate_span(plan, __import__("random").Random(f"ami-demo:test-programme:{plan.slug}"))
        carry = T.carried_over(plan)
        history = [p for p in people if p not in carry]
        ia = [p for p in history if p.offering.programme_type == "integration-arbeit"]
        assert ia and min(p.entry for p in ia) >= T.START
        assert all(p.exit is not None and p.exit <= date(2024, 12, 31) for p in history)
        assert all(p.reason for p in history)  # every participation of the test phase ends with a reason
        numbers = [p.pid for p in people]
        assert len(numbers) == len(set(numbers))  # nobody twice, the demo year's numbers apart
        for off in plan.offerings:  # never more people at once than places
            for day in (date(2023, 6, 15), date(2024, 11, 15)):
                present = [p for p in people if p.offering is off and p.active(day, day)]
                assert len(present) <= off.places, (off.code, day)
