"""The clean lines of one month's invoice: full months at 21.7 days, entry and exit months effectively."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.demo import cast as D
from services.demo.participants import Participant
from shared.kernel.money import QUARTER
from shared.kernel.money import to_cents as money  # amounts and days: half-up to two decimals
from shared.kernel.periods import Period, working_days

DAY_TYPES = frozenset({"qualifizierung", "jugendprogramm", "beschaeftigung-1", "beschaeftigung-1-r",
                       "traumaprogramm", "beschaeftigung-2"})
NOT_BILLED = frozenset({"teillohn"})  # participants earn the programme costs themselves
FULL_MONTH = Decimal("21.7")
REDUCED = Decimal("0.70")


@dataclass
class Line:
    participant: Participant
    unit: str
    quantity: Decimal
    price: Decimal
    amount: Decimal | None = None  # None: quantity × price
    programme: str | None = None  # another programme type than the offering's (planted)
    offering_code: str | None = None  # None: the offering's code; "" for none
    funding: str | None = None
    cost_approval: str | None = None
    exit: date | None = None
    reason: str | None = None
    show_entry: bool = False
    show_exit: bool = False

    @property
    def total(self) -> Decimal:
        return self.amount if self.amount is not None else money(self.quantity * self.price)


def tariff(catalogue, off: D.OfferingPlan, unit: str, period: Period) -> Decimal:
    """What the provider bills per unit: the agreed tariff where there is one, else the maximum."""
    if unit == "reduced_day":
        return money(tariff(catalogue, off, "assignment_day", period) * REDUCED)
    if unit in off.agreed:
        return Decimal(off.agreed[unit])
    return catalogue.edition_for(period).tariff(off.programme_type, unit).max_price


def _hours(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(rng.randint(int(low * 4), int(high * 4))) * QUARTER


def month_lines(people: list[Participant], period: Period, catalogue, rng: random.Random) -> list[Line]:
    """The clean lines of one month: full months at 21.7 days, entry and exit months effectively."""
    first, last = period.first_day, period.last_day
    lines: list[Line] = []
    for p in people:
        off = p.offering
        pt = off.programme_type
        if pt in NOT_BILLED or not p.active(first, last):
            continue
        if off.valid_to and date.fromisoformat(off.valid_to) < first:
            continue
        entry_in, exit_in = first <= p.entry <= last, p.exit is not None and first <= p.exit <= last
        capped = exit_in and p.reason in ("dropout", "no_show")
        start, end = max(p.entry, first), min(p.exit or last, last)
        mark = {"show_entry": entry_in, "show_exit": exit_in}
        if pt in DAY_TYPES or pt == "integration-arbeit":
            if p.reason == "no_show" and exit_in:
                days = Decimal(min(3, max(1, working_days(start, end))))
            elif entry_in or exit_in:
                available = working_days(start, end)
                days = Decimal(max(1, round(available * float(p.pensum)) - rng.randint(0, 1)))
                days = min(days, money(FULL_MONTH * p.pensum))  # rule 2 holds in every month
            else:
                days = money(FULL_MONTH * p.pensum)
            if pt == "integration-arbeit":  # assignments in the first labour market are partial
                days = min(days, Decimal(rng.randint(8, 16)))
            unit = "reduced_day" if p.reduced else "assignment_day"
            lines.append(Line(p, unit, days, tariff(catalogue, off, unit, period), **mark))
        if pt in ("coaching", "integration-arbeit"):
            hours = _hours(rng, 0.5, 2) if capped else _hours(rng, 1, 5 if pt == "coaching" else 6)
            price = tariff(catalogue, off, "coaching_hour", period)
            lines.append(Line(p, "coaching_hour", hours, price, **mark))
        if pt == "suchthilfe-stundenlohn":
            hours = Decimal(rng.randint(30, 85))
            lines.append(Line(p, "hour_worked", hours, tariff(catalogue, off, "hour_worked", period), **mark))
    lines.sort(key=lambda ln: (ln.participant.pid, ln.unit))
    return lines
