"""The demo's Kostengutsprachen: each provider records those of its social-assistance participants before its
first document (a reference two participants happen to share stays unrecorded), at the social service of the
offering's town. Three are planted so that a three-month demo shows every cost_approval_* check: one left out
(cost_approval_unknown), one that ends in January (cost_approval_not_valid from February), one of 30 days
(cost_approval_exceeded in February)."""
from __future__ import annotations

import random
from datetime import date

from services.demo import cast as D
from services.demo.participants import Participant, simulate
from shared.portal.reporting import Upload

PLANTED_APPROVALS: tuple[tuple[str, str], ...] = (
    ("oltech", "cost_approval_unknown"), ("netzwerk-grenchen", "cost_approval_not_valid"),
    ("regiomech", "cost_approval_exceeded"),
)
HEADER = "Kostengutsprache;Sozialdienst;Teilnehmer;Programm;Gültig ab;Gültig bis;Menge;Betrag"
DAY_PROGRAMMES = ("qualifizierung", "beschaeftigung-1", "beschaeftigung-2", "jugendprogramm")


def _whole_quarter(p: Participant, year: int) -> bool:
    return (p.entry <= date(year, 1, 1) and (p.exit is None or p.exit >= date(year, 3, 31))
            and p.offering.programme_type in DAY_PROGRAMMES and p.pensum == 1 and not p.reduced)


def approval_rows(plan: D.ProviderPlan, year: int) -> list[str]:
    """The CSV rows of the provider's Kostengutsprachen (the same people as provider_year simulates)."""
    people = simulate(plan, year, random.Random(f"ami-demo:{year}:{plan.slug}"))
    owners: dict[str, set[str]] = {}
    for p in people:
        if p.cost_approval:
            owners.setdefault(p.cost_approval, set()).add(p.pid)
    planted = {code for slug, code in PLANTED_APPROVALS if slug == plan.slug}
    target = next((p for p in people if p.cost_approval and len(owners[p.cost_approval]) == 1
                   and _whole_quarter(p, year)), None) if planted else None
    rows, seen = [], set()
    for p in people:
        ref = p.cost_approval
        if not ref or len(owners[ref]) > 1 or ref in seen:
            continue
        seen.add(ref)
        valid_to, quantity = (p.exit or date(year, 12, 31)), ""
        if p is target and "cost_approval_unknown" in planted:
            continue
        if p is target and "cost_approval_not_valid" in planted:
            valid_to = date(year, 1, 31)
        if p is target and "cost_approval_exceeded" in planted:
            quantity = "30"
        rows.append(f"{ref};SD-{p.offering.postcode};{p.pid};{p.offering.programme_type};"
                    f"{p.entry:%d.%m.%Y};{max(valid_to, p.entry):%d.%m.%Y};{quantity};")
    return rows


def record_cost_approvals(rep, plans, year: int) -> int:
    """Each provider's Kostengutsprachen (unchanged ones record nothing; a reference the provider recorded in an
    earlier demo year stays as it was); how many providers recorded any."""
    done = 0
    for plan in plans:
        rows = [r for r in approval_rows(plan, year) if rep.approval_for(plan.slug, r.split(";", 1)[0]) is None]
        if rows:
            body = ("\n".join([HEADER, *rows]) + "\n").encode()
            rep.record_cost_approvals(plan.slug, Upload(body, "text/csv", "kostengutsprachen.csv"), "system:demo")
            done += 1
    return done
