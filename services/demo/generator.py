"""`ami demo`: a realistic, deterministic demo year, sent through the real intake path.

Every document is a CSV file as the provider's Excel would write it, submitted with
`portal.reporting.submit_invoice` / `submit_capacity_report` / `correct_invoice` at its simulated time of
receipt (the reporting application's clock is set to it), so the checks, the events and the read models
are exactly what real uploads would give. The register gets its offerings through `register_offering`,
the supervisor's reviews go through `review_finding`, `approve` and `return_for_correction`.

Deterministic: one random stream per provider, seeded with the year and the provider's slug, so a run
for some providers or months gives those providers the same documents as a full run. Idempotent: the
intake recognises a document it already has by its content, and the register, reviews and accounts
are only written where they are missing, so a second run adds no event.
"""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from services.demo import cast as D
from shared.kernel.periods import Period, working_days
from shared.register.domain.catalogue import UNIT_NAMES_DE

TZ = ZoneInfo("Europe/Zurich")
SUPERVISOR = "user:demo-aufsicht"
DAY_TYPES = frozenset({"qualifizierung", "jugendprogramm", "beschaeftigung-1", "beschaeftigung-1-r",
                       "traumaprogramm", "beschaeftigung-2"})
NOT_BILLED = frozenset({"teillohn"})  # participants earn the programme costs themselves
REASONS_DE = {"job_first_labour_market": "Stelle 1. Arbeitsmarkt", "apprenticeship": "Lehre",
              "programme_change": "Programmwechsel", "dropout": "Abbruch", "no_show": "Nichterscheinen",
              "regular_end": "Regulärer Abschluss", "other": "Andere"}
FUNDING_DE = {"social_assistance": "Sozialhilfe", "self_payer": "Selbstzahler", "alv_iv": "ALV"}
INVOICE_HEADER = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;"
                  "Austrittsgrund;Leistung;Menge;Ansatz;Betrag;Flüchtling/VA")
CAPACITY_HEADER = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste"
CENT = Decimal("0.01")
QUARTER = Decimal("0.25")
FULL_MONTH = Decimal("21.7")
REDUCED = Decimal("0.70")
# how likely the provider sends a corrected version after an error was found
CORRECTION_RATE = {"cost_approval_missing": 1.0, "amount_mismatch": 0.7, "tariff_above_max": 0.5,
                   "tariff_above_agreed": 0.5, "quarter_hour": 0.5, "duplicate_line": 0.6,
                   "days_above_month": 0.4}
SPRINKLE = ("tariff_above_max", "amount_mismatch", "quarter_hour", "days_above_month",
            "cost_approval_missing", "duplicate_line", "days_above_working_days")
RETURN_REASON = ("Betrag stimmt nicht mit Menge × Ansatz überein; bitte die Rechnung korrigieren und "
                 "erneut einreichen.")
WAIVE_COMMENTS = ("Nachweis nachgereicht, Abweichung begründet", "Mit Sozialdienst geklärt",
                  "Einmalige Ausnahme gemäss Absprache mit dem AGS",
                  "Verspätung vorgängig gemeldet, Frist erstreckt")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the participants of the year ----------------------------------------------------------------
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


def _weekday(day: date) -> date:
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
                day = _weekday(date(year - 1, rng.randint(4, 12), rng.randint(1, 28)))
            else:
                day = _weekday(date(year, rng.randint(1, 5), rng.randint(1, 25)))
            while day <= year_end - timedelta(days=20) and (ends is None or day < ends):
                counter += 1
                reason = _reason(rng, off.programme_type)
                if reason == "no_show":
                    exit_ = _weekday(day + timedelta(days=rng.randint(0, 4)))
                else:
                    exit_ = _weekday(_add_months(day, rng.randint(2, 6) if short else rng.randint(3, 11)))
                if ends is not None and exit_ > ends:
                    exit_, reason = ends, "regular_end"
                if exit_ > year_end:
                    exit_, reason = None, None
                if exit_ is None or exit_ >= year_start:
                    people.append(_participant(plan, off, counter, day, exit_, reason, rng))
                if exit_ is None:
                    break
                day = _weekday(exit_ + timedelta(days=rng.randint(5, 60)))
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


# --- one month's documents -------------------------------------------------------------------------
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
                        entry=_weekday(first + timedelta(days=14)), exit=None, reason=None)
            lines.append(Line(p, "assignment_day", FULL_MONTH, full_day.price, show_entry=True))
            return True
    if code == "dropout_cap" and full_day:
        # a participant who did not show up at all, billed for eight days
        p = replace(full_day.participant, pid=full_day.participant.pid + "N", entry=_weekday(first),
                    exit=_weekday(first + timedelta(days=2)), reason="no_show")
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


def invoice_csv(lines: Iterable[Line], period: Period, plan: D.ProviderPlan, catalogue) -> bytes:
    names = {pt.slug: pt.name_de for pt in catalogue.programme_types.values()}
    out = [INVOICE_HEADER]
    for ln in sorted(lines, key=lambda x: (x.participant.pid, x.unit)):
        p = ln.participant
        programme = ln.programme or p.offering.programme_type
        funding = ln.funding or p.funding
        approval = p.cost_approval if ln.cost_approval is None else ln.cost_approval
        exit_ = ln.exit or (p.exit if ln.show_exit else None)
        reason = ln.reason or (p.reason if ln.show_exit else None)
        out.append(";".join([
            f"{period.month:02d}.{period.year}", p.pid, names.get(programme, programme),
            p.offering.code if ln.offering_code is None else ln.offering_code, FUNDING_DE[funding],
            approval if funding == "social_assistance" else "", _date(p.entry) if ln.show_entry else "",
            _date(exit_) if exit_ else "", REASONS_DE[reason] if reason and exit_ else "",
            UNIT_NAMES_DE[ln.unit], _number(ln.quantity, plan), _amount(ln.price, plan),
            _amount(ln.total, plan),
            "ja" if p.refugee else "",
        ]))
    return _encode(out, plan)


def capacity_csv(people: list[Participant], period: Period, plan: D.ProviderPlan, catalogue,
                 rng: random.Random, billed: dict[str, set[str]] | None = None,
                 understate: bool = False) -> bytes:
    """One row per offering; `billed` (offering code -> participants invoiced) counts planted extra people."""
    names = {pt.slug: pt.name_de for pt in catalogue.programme_types.values()}
    first, last = period.first_day, period.last_day
    out = [CAPACITY_HEADER]
    understated = False
    for off in plan.offerings:
        if off.valid_to and date.fromisoformat(off.valid_to) < first:
            continue
        active = [p for p in people if p.offering is off and p.active(first, last)]
        occupied = max(len(active), len((billed or {}).get(off.code, ())))
        if understate and not understated and off.programme_type not in NOT_BILLED and occupied > 3:
            occupied -= 2  # reported at month end, after two exits: fewer than billed
            understated = True
        entries = sum(1 for p in active if first <= p.entry <= last)
        exits = sum(1 for p in active if p.exit is not None and p.exit <= last)
        out.append(";".join([f"{period.month:02d}.{period.year}", names[off.programme_type], off.code,
                             str(off.places), str(occupied), str(entries), str(exits),
                             str(rng.randint(0, 4))]))
    return _encode(out, plan)


def _date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _number(value: Decimal, plan: D.ProviderPlan) -> str:
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",") if plan.decimal_comma else text


def _amount(value: Decimal, plan: D.ProviderPlan) -> str:
    text = f"{value:.2f}"
    if plan.decimal_comma:
        return text.replace(".", ",")
    whole, frac = text.split(".")
    if len(whole) > 3 and not whole.startswith("-"):
        whole = f"{whole[:-3]}'{whole[-3:]}"
    return f"{whole}.{frac}"


def _encode(rows: list[str], plan: D.ProviderPlan) -> bytes:
    if plan.decimal_comma:  # Excel «CSV (Trennzeichen-getrennt)» on Swiss Windows
        return ("\r\n".join(rows) + "\r\n").encode("cp1252")
    return ("\ufeff" + "\n".join(rows) + "\n").encode("utf-8")


# --- the year as a timeline of submissions -----------------------------------------------------------
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


# --- running it ---------------------------------------------------------------------------------------
class Progress:
    """What the demo reports while it runs (the CLI shows it with rich; tests ignore it)."""

    def start(self, key: str, description: str, total: int) -> None: ...

    def advance(self, key: str, detail: str = "", steps: int = 1) -> None: ...

    def finish(self, key: str) -> None: ...


@dataclass
class Summary:
    providers: int = 0
    offerings_registered: int = 0
    invoices: int = 0
    corrections: int = 0
    capacity_reports: int = 0
    documents_existing: int = 0
    decisions: int = 0
    approvals: int = 0
    returns: int = 0
    accounts_created: list[str] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)
    projected: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, **increments: int) -> None:
        with self._lock:
            for name, n in increments.items():
                setattr(self, name, getattr(self, name) + int(n))


class _Clock(threading.local):
    """The reporting application's clock during the demo: each worker thread at its own simulated time."""

    now = datetime(2025, 1, 1, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


def _per_provider(items: list, key: Callable, work: Callable, workers: int) -> None:
    """Each provider's items in their order, providers side by side (their documents are independent).

    Threads help on PostgreSQL, where most of the intake's time is spent waiting for the server."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    if workers <= 1:
        for group in groups.values():
            work(group)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ami-demo") as pool:
        for future in [pool.submit(work, group) for group in groups.values()]:
            future.result()


def run_demo(portal, *, year: int = 2025, providers: Iterable[str] | None = None,
             months: Iterable[int] | None = None, progress: Progress | None = None,
             accounts: bool = True, project: bool = True, workers: int = 4) -> Summary:
    """Fill the store with the demo year (all 26 providers and twelve months unless narrowed)."""
    t0 = time.perf_counter()
    progress = progress or Progress()
    wanted = set(providers) if providers is not None else None
    plans = [p for p in D.PROVIDERS if wanted is None or p.slug in wanted]
    month_set = set(months) if months is not None else set(range(1, 13))
    summary = Summary(providers=len(plans))
    rep, sup = portal.reporting, portal.supervision
    catalogue = sup.catalogue()

    _register(sup, plans, year, progress, summary)

    actions = sorted(a for plan in plans for a in provider_year(plan, year, month_set, catalogue))
    progress.start("documents", f"Einreichungen {year}", len(actions))
    clock, saved_clock = _Clock(), rep.clock
    rep.clock = clock  # each document is received at its simulated time
    try:
        def submit(group: list[Action]) -> None:
            _submit(group, rep, clock, progress, summary)

        def provider(a: Action) -> str:
            return a.provider

        _per_provider([a for a in actions if a.kind != "late_correction"], provider, submit, workers)
        progress.finish("documents")
        _review(portal, plans, year, month_set, progress, summary, workers)
        _per_provider([a for a in actions if a.kind == "late_correction"], provider, submit, workers)
    finally:
        rep.clock = saved_clock

    if accounts:
        _accounts(sup, summary)
    summary.events = {"reporting": rep.recorder.max_notification_id() or 0,
                      "supervision": sup.recorder.max_notification_id() or 0}
    if project:
        heads = portal.views.projector.heads()
        total = sum(heads.values()) or 1
        progress.start("views", "Lesemodelle", total)
        done: dict[str, int] = {}

        def step(source: str, position: int, head: int) -> None:
            before = sum(done.values())
            done[source] = position
            progress.advance("views", f"{source} bis {position}", sum(done.values()) - before)

        summary.projected = portal.views.projector.run(progress=step)
        progress.finish("views")
    summary.seconds = time.perf_counter() - t0
    return summary


_KIND_DE = {"invoice": "Rechnung", "capacity": "Kapazitätsmeldung", "correction": "Korrektur",
            "supplement": "Nachtragsrechnung", "late_correction": "Korrektur nach Prüfung"}


def _submit(actions: list[Action], rep, clock: _Clock, progress: Progress, summary: Summary) -> None:
    from shared.portal.reporting import Upload
    from shared.submissions.domain.invoice import invoice_id

    for a in actions:
        clock.now = a.at
        upload = Upload(a.data, "text/csv", f"{a.kind}-{a.provider}-{a.period}.csv")
        actor = f"user:demo-{a.provider}"
        if a.kind in ("invoice", "supplement"):
            stored = rep.submit_invoice(a.provider, upload, actor)
            summary.count(invoices=stored.created)
        elif a.kind == "capacity":
            stored = rep.submit_capacity_report(a.provider, upload, actor)
            summary.count(capacity_reports=stored.created)
        else:
            iid = invoice_id(a.provider, str(a.period), Upload(a.original or b"", None, None).sha256)
            stored = rep.correct_invoice(a.provider, iid, upload, actor)
            summary.count(corrections=stored.created)
        summary.count(documents_existing=not stored.created)
        progress.advance("documents", f"{a.provider} · {a.period} · {_KIND_DE[a.kind]}")


def _register(sup, plans: list[D.ProviderPlan], year: int, progress: Progress, summary: Summary) -> None:
    total = sum(len(p.offerings) for p in plans)
    progress.start("register", "Register: Angebote", total)
    for plan in plans:
        existing = {o.code for o in sup.offerings(plan.slug)}
        for off in plan.offerings:
            if off.code not in existing:
                sup.register_offering(plan.slug, off.code, {
                    "programme_type": off.programme_type, "name": off.name, "location": off.town,
                    "postcode": off.postcode, "places": off.places, "agreed_tariffs": dict(off.agreed),
                    "valid_from": f"{year - 1}-01-01", "valid_to": off.valid_to,
                }, "user:demo-aufsicht")
                summary.offerings_registered += 1
            progress.advance("register", f"{plan.slug} · {off.code}")
    progress.finish("register")


def _review(portal, plans, year: int, months: set[int], progress: Progress, summary: Summary,
            workers: int = 1) -> None:
    """The supervisor's work: findings decided up to October, invoices approved up to September."""
    rep, sup = portal.reporting, portal.supervision
    todo = [(index, plan, m) for index, plan in enumerate(plans) for m in sorted(months) if m <= 10]
    progress.start("reviews", "Prüfungen der Aufsicht", len(todo))

    def work(group: list) -> None:
        for index, plan, m in group:
            period = str(Period(year, m))
            for invoice in rep.invoices(plan.slug, period):
                if sup.review_of(invoice.id) is not None:
                    continue  # reviewed by an earlier run (or by hand): leave it as it is
                if m == 10 and index % 2:
                    continue  # the backlog: October only half done
                rng = random.Random(f"ami-demo:{invoice.id}:review")
                for line in invoice.result["lines"]:
                    for f in line["findings"]:
                        decision, comment = _decide(f, rng)
                        if decision:
                            sup.review_finding(invoice.id, line["row"], f["code"], decision, comment, SUPERVISOR)
                            summary.count(decisions=1)
                if (plan.slug, m) == D.RETURNED:
                    sup.return_for_correction(invoice.id, RETURN_REASON, SUPERVISOR)
                    summary.count(returns=1)
                elif m <= 9:
                    sup.approve(invoice.id, "Geprüft", SUPERVISOR)
                    summary.count(approvals=1)
            progress.advance("reviews", f"{plan.slug} · {period}")

    _per_provider(todo, lambda item: item[1].slug, work, workers)
    progress.finish("reviews")


def _decide(finding: dict, rng: random.Random) -> tuple[str | None, str]:
    code, roll = finding["code"], rng.random()
    if finding["severity"] == "error":
        return ("waived", rng.choice(WAIVE_COMMENTS[:3])) if roll < 0.15 else ("confirmed", "")
    if code == "late_submission":
        return ("waived", WAIVE_COMMENTS[3]) if roll < 0.4 else ("confirmed", "")
    if code == "capacity_exceeded":
        return (("waived", "Austritte während des Monats; Belegung am Monatsende tiefer") if roll < 0.5
                else ("confirmed", ""))
    if code == "capacity_report_missing":
        return ("confirmed", "") if roll < 0.7 else (None, "")
    return "confirmed", ""


def _accounts(sup, summary: Summary) -> None:
    from shared.access.domain.accounts import account_id

    for username, role, provider in D.ACCOUNTS:
        if sup.get_or_none(account_id(username)) is None:
            sup.create_account(username, D.PASSWORD, role, provider, "cli:demo")
            summary.accounts_created.append(username)


class RichProgress(Progress):
    """The CLI's progress display: one bar per phase with count, rate, elapsed and remaining time."""

    def __init__(self, console=None) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichBars

        self.bars = RichBars(SpinnerColumn(), TextColumn("[bold]{task.description:<26}"), BarColumn(),
                             MofNCompleteColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                             TimeRemainingColumn(), TextColumn("[dim]{task.fields[detail]}"), console=console,
                             transient=False)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RichProgress:
        self.bars.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bars.__exit__(*exc)

    def start(self, key: str, description: str, total: int) -> None:
        self.tasks[key] = self.bars.add_task(description, total=max(total, 1), detail="")

    def advance(self, key: str, detail: str = "", steps: int = 1) -> None:
        self.bars.update(self.tasks[key], advance=steps, detail=detail)

    def finish(self, key: str) -> None:
        task = self.tasks[key]
        self.bars.update(task, completed=self.bars.tasks[task].total, detail="fertig")


def print_summary(summary: Summary, console=None) -> None:
    """What `ami demo` did, and the demo accounts for the web pages."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"Demo-Jahr: {summary.providers} Anbieter in {summary.seconds:.1f} s",
                  show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in (
            ("Angebote registriert", summary.offerings_registered), ("Rechnungen", summary.invoices),
            ("Korrekturen", summary.corrections), ("Kapazitätsmeldungen", summary.capacity_reports),
            ("schon vorhanden (unverändert)", summary.documents_existing),
            ("Befunde beurteilt", summary.decisions), ("Rechnungen freigegeben", summary.approvals),
            ("zur Korrektur zurückgewiesen", summary.returns),
            ("Ereignisse Meldungen / Aufsicht", f"{summary.events.get('reporting', 0)} / "
                                                f"{summary.events.get('supervision', 0)}"),
            ("in die Lesemodelle projiziert", summary.projected)):
        table.add_row(label, str(value))
    console.print(table)
    accounts = Table(title=f"Demo-Konten (Passwort «{D.PASSWORD}»)")
    for col in ("Benutzer", "Rolle", "Anbieter", ""):
        accounts.add_column(col)
    for username, role, provider in D.ACCOUNTS:
        accounts.add_row(username, role, provider or "–",
                         "neu" if username in summary.accounts_created else "bestand schon")
    console.print(accounts)


def parse_months(text: str) -> list[int]:
    """"1-12", "1-3", "1,2,6" → the months; ValueError for anything else."""
    months: set[int] = set()
    for part in text.replace(" ", "").split(","):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 12:
            raise ValueError(f"Monate «{text}»: 1 bis 12, z. B. 1-3 oder 1,2,6")
        months.update(range(first, last + 1))
    return sorted(months)
