"""Irregularities planted in a month's lines, so that each check of the portal finds something in the demo."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from services.demo import cast as D
from services.demo.month_lines import DAY_TYPES, FULL_MONTH, Line, tariff
from services.demo.participants import Participant, weekday
from shared.kernel.periods import Period


def plant(code: str, lines: list[Line], people: list[Participant], period: Period, catalogue,
          rng: random.Random, plan: D.ProviderPlan) -> bool:
    """Change the month's lines so that the check `code` finds something; False where it can't here."""
    first = period.first_day

    def pick(pred: Callable[[Line], bool]) -> Line | None:
        found = [ln for ln in lines if pred(ln)]
        return rng.choice(found) if found else None

    full_day = pick(lambda ln: ln.unit == "assignment_day" and not ln.show_entry and not ln.show_exit
                    and ln.participant.offering.programme_type in DAY_TYPES)
    if code == "tariff_above_max" and full_day:
        max_price = catalogue.edition_for(period).tariff(full_day.participant.offering.programme_type,
                                                           "assignment_day").max_price
        full_day.price = max_price + Decimal(5)
        return True
    if code == "tariff_above_agreed":
        line = pick(lambda ln: ln.unit in ln.participant.offering.agreed)
        if line:
            line.price = catalogue.edition_for(period).tariff(line.participant.offering.programme_type,
                                                              line.unit).max_price
            return True
    if code == "unit_not_billable" and full_day:
        lines.append(Line(full_day.participant, "coaching_hour", Decimal(2), full_day.price))
        return True
    if code == "quarter_hour":
        line = pick(lambda ln: ln.unit == "coaching_hour")
        if line:
            line.quantity = line.quantity + Decimal("0.3")
            return True
    if code == "days_above_month" and full_day:
        full_day.quantity = Decimal(23)
        return True
    if code == "days_above_working_days":
        line = pick(lambda ln: ln.unit == "assignment_day" and ln.show_entry and not ln.show_exit
                    and ln.participant.entry.day > 5)
        if line:
            line.quantity = FULL_MONTH
            return True
        if full_day:  # nobody entered this month: someone who entered mid-month, billed as a full month
            p = replace(full_day.participant, pid=full_day.participant.pid + "E",
                        entry=weekday(first + timedelta(days=14)), exit=None, reason=None)
            lines.append(Line(p, "assignment_day", FULL_MONTH, full_day.price, show_entry=True))
            return True
    if code == "dropout_cap" and full_day:
        # a participant who did not show up at all, billed for eight days
        p = replace(full_day.participant, pid=full_day.participant.pid + "N", entry=weekday(first),
                    exit=weekday(first + timedelta(days=2)), reason="no_show")
        lines.append(Line(p, "assignment_day", Decimal(8), full_day.price, show_entry=True, show_exit=True))
        return True
    if code == "monthly_cap":
        line = pick(lambda ln: ln.unit == "hour_worked")
        if line:
            line.quantity = Decimal(95)
            return True
    if code == "social_assistance_only":
        line = pick(lambda ln: ln.unit == "hour_worked")
        if line:
            line.funding, line.cost_approval = "self_payer", ""
            return True
    if code == "cost_approval_missing":
        line = pick(lambda ln: ln.participant.funding == "social_assistance")
        if line:
            line.cost_approval = ""
            return True
    if code == "amount_mismatch":
        line = pick(lambda ln: ln.total > 100)
        if line:
            line.amount = line.total + Decimal(27)
            return True
    if code == "duplicate_line":
        line = pick(lambda ln: True)
        if line:
            lines.append(replace(line))
            return True
    if code == "period_not_billable":
        # billed again in the month after the participant left
        gone = [p for p in people if p.exit is not None and first - timedelta(days=40) <= p.exit < first
                and p.offering.programme_type in DAY_TYPES]
        if gone:
            p = rng.choice(gone)
            price = tariff(catalogue, p.offering, "assignment_day", period)
            lines.append(Line(p, "assignment_day", Decimal(5), price, exit=p.exit, reason=p.reason,
                              show_exit=True))
            return True
    if code == "offering_ended":
        ended = [o for o in plan.offerings if o.valid_to and date.fromisoformat(o.valid_to) < first]
        someone = next((p for p in people if p.offering in ended), None)
        if someone:
            off = someone.offering
            price = tariff(catalogue, off, "assignment_day", period)
            lines.append(Line(someone, "assignment_day", Decimal(10), price))
            return True
    if code == "offering_not_registered" and full_day:
        registered = {o.programme_type for o in plan.offerings}
        other = next(t for t in ("qualifizierung", "coaching", "jugendprogramm") if t not in registered)
        unit = "coaching_hour" if other == "coaching" else "assignment_day"
        price = catalogue.edition_for(period).tariff(other, unit).max_price
        lines.append(Line(full_day.participant, unit, Decimal(3), price, programme=other, offering_code=""))
        return True
    return False
