"""One provider's year as a timeline of submissions: invoices, corrections, supplements, capacity reports."""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.demo import cast as D
from services.demo.csv_documents import capacity_csv, invoice_csv
from services.demo.month_lines import month_lines
from services.demo.participants import simulate
from services.demo.planting import plant
from shared.kernel.periods import Period

TZ = ZoneInfo("Europe/Zurich")
# how likely the provider sends a corrected version after an error was found
CORRECTION_RATE = {"cost_approval_missing": 1.0, "amount_mismatch": 0.7, "tariff_above_max": 0.5,
                   "tariff_above_agreed": 0.5, "quarter_hour": 0.5, "duplicate_line": 0.6,
                   "days_above_month": 0.4}
SPRINKLE = ("tariff_above_max", "amount_mismatch", "quarter_hour", "days_above_month",
            "cost_approval_missing", "duplicate_line", "days_above_working_days")


@dataclass(order=True)
class Action:
    at: datetime
    seq: int
    kind: str = field(compare=False)  # invoice | capacity | correction | supplement
    provider: str = field(compare=False)
    period: Period = field(compare=False)
    data: bytes = field(compare=False, repr=False)
    original: bytes | None = field(default=None, compare=False, repr=False)  # of a correction
    code: str | None = field(default=None, compare=False)


def _received(rng: random.Random, period: Period, late: bool) -> datetime:
    nxt = period.next()
    day = rng.randint(11, 24) if late else rng.randint(2, 9)
    return datetime(nxt.year, nxt.month, day, rng.randint(7, 17), rng.randint(0, 59), tzinfo=TZ)


def provider_year(plan: D.ProviderPlan, year: int, months: Iterable[int], catalogue) -> list[Action]:
    """Every document one provider sends for the year's months, with its time of receipt."""
    rng = random.Random(f"ami-demo:{year}:{plan.slug}")
    people = simulate(plan, year, rng)
    planted = {(m, code) for slug, m, code in D.PLANTED if slug == plan.slug}
    actions: list[Action] = []
    seq = 0
    for m in sorted(set(months)):
        period = Period(year, m)
        month_rng = random.Random(f"ami-demo:{year}:{plan.slug}:{m}")
        chosen = sorted(code for mm, code in planted if mm == m)
        if month_rng.random() < 0.10 and "supplement" not in chosen:
            chosen.append(month_rng.choice(SPRINKLE))
        clean = month_lines(people, period, catalogue, month_rng)
        late = month_rng.random() < plan.late_rate
        at = _received(month_rng, period, late)
        billed: dict[str, set[str]] = {}
        if (plan.slug, m) not in D.MISSING_INVOICES and clean:
            supplement = "supplement" in chosen and len(clean) > 1
            if supplement:  # the first line forgotten, sent later with one line billed twice
                clean, forgotten = clean[1:], clean[0]
            lines = [replace(ln) for ln in clean]
            done = [code for code in chosen if code not in ("supplement", "capacity_exceeded")
                    and plant(code, lines, people, period, catalogue, month_rng, plan)]
            for ln in lines:
                if ln.offering_code != "":
                    billed.setdefault(ln.participant.offering.code, set()).add(ln.participant.pid)
            original = invoice_csv(lines, period, plan, catalogue)
            actions.append(Action(at, seq := seq + 1, "invoice", plan.slug, period, original,
                                  code=",".join(done) or None))
            # what is planted in the first quarter stays, so that a short demo shows every check code
            corrected = [c for c in done if month_rng.random() < CORRECTION_RATE.get(c, 0.3)
                         and (m > 3 or (plan.slug, m, c) not in D.PLANTED)]
            if corrected and (plan.slug, m) != D.RETURNED:
                fixed_at = at + timedelta(days=month_rng.randint(3, 12), hours=1)
                actions.append(Action(fixed_at, seq := seq + 1, "correction", plan.slug, period,
                                      invoice_csv(clean, period, plan, catalogue), original, corrected[0]))
            if supplement:
                data = invoice_csv([forgotten, clean[-1]], period, plan, catalogue)
                actions.append(Action(at + timedelta(days=month_rng.randint(5, 15)), seq := seq + 1,
                                      "supplement", plan.slug, period, data, code="duplicate_line"))
            if (plan.slug, m) in (D.RETURNED, D.CORRECTED_AFTER_APPROVAL):
                # after the supervisor's review (January): the returned invoice corrected, and an approved
                # one corrected with one day less after the attendance list was checked
                fixed = [replace(ln) for ln in clean]
                if (plan.slug, m) == D.CORRECTED_AFTER_APPROVAL:
                    fixed[0].quantity -= 1
                at_fix = datetime(year + 1, 1, 12 if (plan.slug, m) == D.RETURNED else 19, 10, 30, tzinfo=TZ)
                actions.append(Action(at_fix, seq := seq + 1, "late_correction", plan.slug, period,
                                      invoice_csv(fixed, period, plan, catalogue), original))
        if (plan.slug, m) not in D.MISSING_REPORTS:
            before = month_rng.random() < plan.report_first
            shift = timedelta(days=month_rng.randint(1, 3) if before else month_rng.randint(1, 5))
            floor = datetime(period.next().year, period.next().month, 1, 7, 5, tzinfo=TZ)
            report = capacity_csv(people, period, plan, catalogue, month_rng, billed,
                                  understate="capacity_exceeded" in chosen)
            actions.append(Action(max(at - shift if before else at + shift, floor), seq := seq + 1,
                                  "capacity", plan.slug, period, report))
    return actions
