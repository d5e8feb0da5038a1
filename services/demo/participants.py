"""Who takes part in which offering when: the participants of one provider's year."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.demo import cast as D


@dataclass
class Participant:
    pid: str
    offering: D.OfferingPlan
    funding: str
    cost_approval: str
    refugee: bool
    entry: date
    exit: date | None
    reason: str | None
    pensum: Decimal  # share of full days
    reduced: bool  # days under four hours (70 %)

    def active(self, first: date, last: date) -> bool:
        return self.entry <= last and (self.exit is None or self.exit >= first)


def weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def _reason(rng: random.Random, programme: str) -> str:
    weights = {"regular_end": 38, "job_first_labour_market": 17, "apprenticeship": 8, "programme_change": 12,
               "dropout": 15, "no_show": 3, "other": 7}
    if programme == "integration-arbeit":
        weights.update(job_first_labour_market=40, regular_end=18, apprenticeship=9)
    elif programme == "jugendprogramm":
        weights.update(apprenticeship=30, job_first_labour_market=8)
    return rng.choices(list(weights), list(weights.values()))[0]


def simulate(plan: D.ProviderPlan, year: int, rng: random.Random) -> list[Participant]:
    """Who takes part in which offering when: each place is taken by a sequence of participants."""
    people: list[Participant] = []
    counter = 100
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    for off in plan.offerings:
        ends = date.fromisoformat(off.valid_to) if off.valid_to else None
        occupancy = rng.uniform(0.7, 0.95)
        short = off.programme_type in ("coaching", "suchthilfe-stundenlohn")
        for _slot in range(off.places):
            if rng.random() < occupancy:
                day = weekday(date(year - 1, rng.randint(4, 12), rng.randint(1, 28)))
            else:
                day = weekday(date(year, rng.randint(1, 5), rng.randint(1, 25)))
            while day <= year_end - timedelta(days=20) and (ends is None or day < ends):
                counter += 1
                reason = _reason(rng, off.programme_type)
                if reason == "no_show":
                    exit_ = weekday(day + timedelta(days=rng.randint(0, 4)))
                else:
                    exit_ = weekday(_add_months(day, rng.randint(2, 6) if short else rng.randint(3, 11)))
                if ends is not None and exit_ > ends:
                    exit_, reason = ends, "regular_end"
                if exit_ > year_end:
                    exit_, reason = None, None
                if exit_ is None or exit_ >= year_start:
                    people.append(_participant(plan, off, counter, day, exit_, reason, rng))
                if exit_ is None:
                    break
                day = weekday(exit_ + timedelta(days=rng.randint(5, 60)))
    return people


def _participant(plan, off, n, entry, exit_, reason, rng) -> Participant:
    if off.programme_type in ("suchthilfe-stundenlohn", "teillohn"):
        funding = "social_assistance"
    else:
        funding = rng.choices(["social_assistance", "self_payer", "alv_iv"], [45, 35, 20])[0]
    approval = ""
    if funding == "social_assistance":
        approval = f"KGS-{off.postcode}-{entry.year}-{rng.randint(1, 899):03d}"
    refugee = rng.random() < (0.3 if off.programme_type in ("integration-arbeit", "coaching") else 0.1)
    pensum = Decimal(1) if rng.random() < 0.75 else Decimal("0.5")
    reduced = off.programme_type in ("traumaprogramm", "beschaeftigung-1-r") and rng.random() < 0.5
    return Participant(f"{plan.prefix}-{n:04d}", off, funding, approval, refugee, entry, exit_, reason,
                       pensum, reduced)
