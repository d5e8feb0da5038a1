"""`ami demo`'s second step: the test programme «integration.arbeit» from mid-October 2022, and Qualifizierung
beside it, at Regiomech, Oltech and Netzwerk Grenchen up to December 2024; the demo year (2025) carries on.

The press release of 27 September 2022: the test runs from mid-October 2022 to June 2025 and is evaluated
afterwards. This step sends every month of 2022-10 … 2024-12 of those three providers through the real intake
path, as the demo year does, so that `/auswertung` has the whole span. One continuous simulation per
provider and offering: each place is taken by a sequence of participants (numbers from 7001, apart from the
demo year's), and the demo year's participants who entered before 2025 are billed from their entry, so
nobody appears from nowhere in January 2025. Every history participant leaves before the place passes to
the demo year's. Deterministic (seeded by the provider) and idempotent (the intake knows a document it
has; offerings are only changed, invoices only approved, where that is still missing).
"""
from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta

from services.demo import cast as D
from services.demo.csv_documents import capacity_csv, invoice_csv
from services.demo.month_lines import month_lines
from services.demo.participants import Participant, _add_months, _participant, _reason, simulate, weekday
from services.demo.progress import Progress, Summary
from services.demo.timeline import TZ
from shared.kernel.periods import Period

PROVIDERS = ("regiomech", "oltech", "netzwerk-grenchen")
PROGRAMMES = ("integration-arbeit", "qualifizierung")
FIRST, LAST = Period(2022, 10), Period(2024, 12)
START = date(2022, 10, 17)  # «Mitte Oktober 2022»
VALID_FROM = {"integration-arbeit": START, "qualifizierung": date(2022, 1, 1)}
YEAR = 2025  # the demo year that follows
NUMBERS = 7000
SUPERVISOR = "user:demo-aufsicht"
EARLIER_EDITION = "2022/23 (Demo)"


def plans() -> list[D.ProviderPlan]:
    """The three providers with their integration.arbeit and Qualifizierung offerings only."""
    return [replace(p, offerings=tuple(o for o in p.offerings if o.programme_type in PROGRAMMES))
            for p in D.PROVIDERS if p.slug in PROVIDERS]


def months() -> list[Period]:
    found, p = [], FIRST
    while p <= LAST:
        found.append(p)
        p = p.next()
    return found


def carried_over(plan: D.ProviderPlan) -> list[Participant]:
    """The demo year's participants of these offerings who entered before it (the same random stream)."""
    full = next(p for p in D.PROVIDERS if p.slug == plan.slug)
    codes = {o.code for o in plan.offerings}
    people = simulate(full, YEAR, random.Random(f"ami-demo:{YEAR}:{full.slug}"))
    return [p for p in people if p.offering.code in codes and p.entry < date(YEAR, 1, 1)]


def simulate_span(plan: D.ProviderPlan, rng: random.Random) -> list[Participant]:
    """Who takes which place when, 2022-10 … 2024-12: each place ends free for the demo year's next person."""
    people: list[Participant] = []
    counter = NUMBERS
    carry = carried_over(plan)
    for off in plan.offerings:
        following = sorted(p.entry for p in carry if p.offering.code == off.code)
        ia = off.programme_type == "integration-arbeit"
        for slot in range(off.places):
            # the place's last day in this step: before the demo year's participant takes it, else year's end
            free_by = following[slot] - timedelta(days=7) if slot < len(following) else date(YEAR - 1, 12, 31)
            if ia:  # the new programme fills up over its first four months
                day = weekday(START + timedelta(days=rng.randint(0, 120)))
            else:  # Qualifizierung already runs: some entered before the span
                day = weekday(date(2022, rng.randint(3, 12), rng.randint(1, 28)))
            while day < free_by - timedelta(days=30):
                counter += 1
                reason = _reason(rng, off.programme_type)
                if reason == "no_show":
                    exit_ = weekday(day + timedelta(days=rng.randint(0, 4)))
                else:
                    exit_ = weekday(_add_months(day, rng.randint(3, 12 if ia else 11)))
                if exit_ >= free_by:  # leaves in time for the next one, for the reason drawn
                    exit_ = free_by - timedelta(days=rng.randint(1, 5))
                    while exit_.weekday() >= 5:
                        exit_ -= timedelta(days=1)
                if exit_ >= FIRST.first_day:
                    people.append(_participant(plan, off, counter, day, exit_, reason, rng))
                day = weekday(exit_ + timedelta(days=rng.randint(5, 45)))
    return people + carry


def documents(plan: D.ProviderPlan, catalogue) -> list[tuple[datetime, str, Period, bytes]]:
    """(received at, kind, month, CSV) of every invoice and capacity report, in the order they arrive."""
    rng = random.Random(f"ami-demo:test-programme:{plan.slug}")
    people = simulate_span(plan, rng)
    out = []
    for period in months():
        month_rng = random.Random(f"ami-demo:test-programme:{plan.slug}:{period}")
        lines = month_lines(people, period, catalogue, month_rng)
        nxt = period.next()
        late = month_rng.random() < plan.late_rate
        at = datetime(nxt.year, nxt.month, month_rng.randint(11, 24) if late else month_rng.randint(2, 9),
                      month_rng.randint(7, 17), month_rng.randint(0, 59), tzinfo=TZ)
        if lines:
            out.append((at, "invoice", period, invoice_csv(lines, period, plan, catalogue)))
        report_at = max(at - timedelta(days=month_rng.randint(1, 3)),
                        datetime(nxt.year, nxt.month, 1, 7, 5, tzinfo=TZ))
        out.append((report_at, "capacity", period, capacity_csv(people, period, plan, catalogue, month_rng)))
    return sorted(out, key=lambda d: (d[0], d[1]))


class _Clock(threading.local):
    now = datetime(FIRST.year, FIRST.month, 1, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


def run_test_programme(portal, progress: Progress | None = None, summary: Summary | None = None) -> Summary:
    """Fill 2022-10 … 2024-12 for the three providers of the test programme (after the demo year)."""
    from shared.portal.reporting import Upload

    progress = progress or Progress()
    summary = summary or Summary(providers=len(PROVIDERS))
    rep, sup = portal.reporting, portal.supervision
    _earlier_edition(sup)
    catalogue = sup.catalogue()
    chosen = plans()
    _extend_offerings(sup, chosen)
    docs = [(plan.slug, d) for plan in chosen for d in documents(plan, catalogue)]
    progress.start("test-programme", "Testprogramm 2022–2024", len(docs))
    clock, saved = _Clock(), rep.clock
    rep.clock = clock
    try:
        for slug, (at, kind, period, data) in docs:
            clock.now = at
            upload = Upload(data, "text/csv", f"{kind}-{slug}-{period}.csv")
            if kind == "invoice":
                stored = rep.submit_invoice(slug, upload, f"user:demo-{slug}")
                summary.count(invoices=stored.created)
            else:
                stored = rep.submit_capacity_report(slug, upload, f"user:demo-{slug}")
                summary.count(capacity_reports=stored.created)
            summary.count(documents_existing=not stored.created)
            progress.advance("test-programme", f"{slug} · {period}")
    finally:
        rep.clock = saved
    for plan in chosen:  # the supervisor approved each month of the test phase
        for period in months():
            for invoice in rep.invoices(plan.slug, str(period)):
                if sup.review_of(invoice.id) is None:
                    sup.approve(invoice.id, "Geprüft (Testphase)", SUPERVISOR)
                    summary.count(approvals=1)
    progress.finish("test-programme")
    portal.views.catch_up()
    return summary


def _earlier_edition(sup) -> None:
    """Tariffs for the test phase's first months: a month before the first edition is not billable (domain-rules
    §4), so the demo registers the edition of 2022/23 with the maxima of 2024/25 (demo data: the brochure
    prints only the 2024/25 edition)."""
    if sup.catalogue().in_force(FIRST) is None:
        first = sup.editions()[0]
        sup.publish_edition(EARLIER_EDITION, date(2022, 1, 1), first.rows, SUPERVISOR)


def _extend_offerings(sup, chosen: list[D.ProviderPlan]) -> None:
    """The offerings of the test phase are valid from its start (the demo year registers them from 2024)."""
    for plan in chosen:
        registered = {o.code: o for o in sup.offerings(plan.slug)}
        for off in plan.offerings:
            start = VALID_FROM[off.programme_type]
            found = registered.get(off.code)
            if found is None:
                sup.register_offering(plan.slug, off.code, {
                    "programme_type": off.programme_type, "name": off.name, "location": off.town,
                    "postcode": off.postcode, "places": off.places, "agreed_tariffs": dict(off.agreed),
                    "valid_from": start.isoformat(), "valid_to": off.valid_to}, SUPERVISOR)
            elif found.valid_from > start:
                sup.change_offering(plan.slug, off.code, {"valid_from": start.isoformat()}, SUPERVISOR)
