"""The demo's fee waivers (Kostenerlasse, domain-rules §5): finance grants the first self-paying participant of each
provider's year who takes part for three months or more (not a refugee, not in integration.arbeit, which the federal
credit pays) a waiver for as long as they take part, in full (no monthly contribution) at every second provider and
in part (CHF 50.00 a month) at the others, so the finance page, the reconciliation and the participants' bills show
the canton's waiver share. Invented decisions, marked as demo data."""
from __future__ import annotations

import random
from datetime import date, timedelta

from services.demo import cast as D
from services.demo.participants import Participant, simulate
from services.demo.payment_details import FINANCE

CONTRIBUTIONS = ("0.00", "50.00")  # in full, in part
LONG_ENOUGH = timedelta(days=90)


def waived(plan: D.ProviderPlan, year: int) -> Participant | None:
    """Whom the provider's waiver is for: its first self-payer of the year (the people provider_year simulates)."""
    people = simulate(plan, year, random.Random(f"ami-demo:{year}:{plan.slug}"))
    first, last = date(year, 1, 1), date(year, 12, 31)
    return next((p for p in people if p.funding == "self_payer" and not p.refugee
                 and p.offering.programme_type != "integration-arbeit"
                 and min(p.exit or last, last) - max(p.entry, first) >= LONG_ENOUGH), None)


def record_fee_waivers(sup, plans: list[D.ProviderPlan], year: int) -> int:
    """One waiver a provider, once (a participant who has one from an earlier run or year keeps it as it is);
    how many were recorded."""
    recorded = 0
    for plan in plans:
        person = waived(plan, year)
        if person is None or sup.fee_waivers(plan.slug, person.pid):
            continue
        start, number = max(person.entry, date(year, 1, 1)), D.PROVIDERS.index(plan)  # not by the selection
        sup.record_fee_waiver(plan.slug, person.pid, start.isoformat(),
                              person.exit.isoformat() if person.exit else None, CONTRIBUTIONS[number % 2], FINANCE,
                              reference=f"KE-{year}-{number + 1:03d}", comment="Demo: Entscheid über den Kostenerlass")
        recorded += 1
    return recorded
