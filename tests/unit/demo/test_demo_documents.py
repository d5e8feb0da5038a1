"""The demo's documents: deterministic, readable by the real parsers, clean unless something is planted."""
from __future__ import annotations

from datetime import date

import pytest

from services.cli.demo import parse_months
from services.demo import cast as D
from services.demo.timeline import SPRINKLE, provider_year
from shared.checks import CheckContext, check_invoice
from shared.kernel.periods import Period
from shared.register.domain.catalogue import load_default_catalogue
from shared.submissions.parsers import Limits, parse_capacity_report, parse_invoice


@pytest.fixture(scope="module")
def catalogue():
    return load_default_catalogue()


def plan(slug: str) -> D.ProviderPlan:
    return next(p for p in D.PROVIDERS if p.slug == slug)


def test_the_cast_is_the_register():
    assert len(D.PROVIDERS) == 26 and len({p.prefix for p in D.PROVIDERS}) == 26
    ia = {p.slug for p in D.PROVIDERS if any(o.programme_type == "integration-arbeit" for o in p.offerings)}
    assert ia == {"regiomech", "oltech", "netzwerk-grenchen"}
    assert all(len({o.programme_type for o in p.offerings}) >= 2 for p in D.PROVIDERS)
    from services.demo.cost_approvals import PLANTED_APPROVALS
    from shared.checks.rules import CATALOGUE

    planted = {code for _, m, code in D.PLANTED if m <= 3} | {code for _, code in PLANTED_APPROVALS}
    # the warnings late_submission and capacity_report_missing come from habits and missing reports
    assert {r.code for r in CATALOGUE} - planted <= {"late_submission", "capacity_report_missing"}


def test_every_planted_irregularity_is_in_its_invoice(catalogue):
    for slug, month, code in D.PLANTED:
        if code in ("supplement", "capacity_exceeded"):
            continue  # a second invoice, and a capacity report
        invoices = [a for a in provider_year(plan(slug), 2025, [month], catalogue) if a.kind == "invoice"]
        assert invoices and code in (invoices[0].code or "").split(","), (slug, month, code)


def test_documents_are_deterministic(catalogue):
    a = provider_year(plan("regiomech"), 2025, [1, 2, 3], catalogue)
    b = provider_year(plan("regiomech"), 2025, [1, 2, 3], catalogue)
    assert [(x.at, x.kind, x.data) for x in a] == [(x.at, x.kind, x.data) for x in b]
    # a month does not depend on which other months are generated
    only_march = provider_year(plan("regiomech"), 2025, [3], catalogue)
    assert {x.data for x in only_march} <= {x.data for x in a}


@pytest.mark.parametrize("slug", ["dock-basel", "innopark", "oltech", "suchthilfe-ost"])
def test_every_document_reads_and_clean_months_have_no_errors(catalogue, slug):
    limits = Limits()
    planted_months = {m for s, m, _ in D.PLANTED if s == slug}
    for action in provider_year(plan(slug), 2025, range(1, 13), catalogue):
        assert action.at.year in (2025, 2026)
        if action.kind == "capacity":
            report = parse_capacity_report(action.data, catalogue=catalogue, limits=limits)
            assert report.period == action.period and report.rows
            continue
        parsed = parse_invoice(action.data, catalogue=catalogue, limits=limits)
        assert parsed.period == action.period
        if action.kind == "invoice" and action.period.month not in planted_months:
            checked = check_invoice(parsed, CheckContext(provider=slug, catalogue=catalogue,
                                                         today=date(2026, 1, 31)))
            errors = {f.code for _, f in checked.findings if f.severity == "error"}
            assert errors <= set(SPRINKLE), errors  # at most what the demo sprinkles over the year


def test_parse_months():
    assert parse_months("1-3") == [1, 2, 3] and parse_months("1, 6,2") == [1, 2, 6]
    assert parse_months("1-12") == list(range(1, 13))
    for bad in ("0-2", "3-1", "13", "x"):
        with pytest.raises(ValueError):
            parse_months(bad)
    assert Period(2025, 1).next() == Period(2025, 2)
