"""The funding read model against its oracle: the split replayed from every stored invoice of the demo year
(shared.finance.application.reconciliation.funding_splits), on SQLite and PostgreSQL — before and after fee
waivers are decided, changed and revoked and a credit rule is recorded, and after `ami project --rebuild`; the
evaluation read from it against the evaluation of the replayed split (what its PDF report computes)."""
from __future__ import annotations

from collections import Counter

from services.demo.generator import run_demo
from shared.evaluation.application.evaluation import EvaluationQuery, evaluate, evaluate_splits
from shared.finance.application.reconciliation import Scope, funding_report, funding_splits, reconciliation
from shared.finance.application.sums import sums_of
from shared.kernel.periods import Period

FUNDING_TABLES = ("funding_lines", "funding_month_sums", "funding_sealed", "funding_references", "funding_waivers")
AMOUNTS = ("allowed", "s_social_service", "s_canton_subsidy", "s_fee_waiver", "s_participant",
           "s_federal_integration_credit", "s_other")
KEPT = f"SELECT provider, period, reference_key, {', '.join(AMOUNTS)}, social_lines FROM funding_month_sums"
SUMMED = (f"SELECT provider, period, reference_key, {', '.join(f'SUM({a})' for a in AMOUNTS)}, "
          "SUM(CASE WHEN s_social_service <> 0 THEN 1 ELSE 0 END) FROM funding_lines "
          "GROUP BY provider, period, reference_key")


def lines(splits) -> list[tuple]:
    return sorted(((s.line, s.amounts, s.waiver, s.credit_rule) for s in splits),
                  key=lambda t: (t[0].invoice, t[0].row))


def assert_view_is_the_replay(portal, scopes) -> None:
    with portal.views.store.read() as tx:  # the sums the finance page reads are those of the lines
        kept, summed = (sorted(tuple(v if isinstance(v, str) else int(v) for v in r) for r in tx.execute(q))
                        for q in (KEPT, SUMMED))  # PostgreSQL sums BIGINT as NUMERIC
    assert kept and kept == summed
    for scope in scopes:
        replay = funding_splits(portal, scope)
        assert funding_report(portal, scope) == funding_report(portal, scope, replay), scope.label
        assert lines(portal.views.funding_splits([str(p) for p in scope.periods])) == lines(replay), scope.label
        if scope.kind == "year":
            assert reconciliation(portal, scope.year) == reconciliation(portal, scope.year, sums_of(replay))
        first, *others = sorted(portal.supervision.catalogue().programme_types)  # every programme type
        query = EvaluationQuery(first, scope.periods[0], scope.periods[-1], tuple(others))
        for minimum in (5, 1):  # protected as the page shows it, and every figure shown
            read = evaluate(portal, query, minimum)
            assert read == evaluate_splits(portal, query, replay, minimum), (scope.label, minimum)
        assert read["reconciliation"]["reconciles"] and any(r["participants"] for r in read["rows"])


def test_the_read_model_splits_the_demo_year_as_the_replay_does(portal):
    run_demo(portal, workers=4)
    year, quarter, month = Scope.whole_year(2025), Scope.quarter(2025, 2), Scope.month(Period(2025, 11))
    assert_view_is_the_replay(portal, [year, quarter, month])

    replay = funding_splits(portal, year)
    report = funding_report(portal, year)
    assert report["total"]["social_service"] != "0.00" and report["by_social_service"]
    # fee waivers for three self-paying participants (one full, one partial, one revoked), one changed,
    # and a credit rule from July that gives the federal credit every Qualifizierung line
    sup = portal.supervision
    payers = Counter((s.line.provider, s.line.participant) for s in replay if s.line.funding == "self_payer")
    (a, _), (b, _), (c, _) = payers.most_common(3)
    full = sup.record_fee_waiver(a[0], a[1], "2025-01-01", None, "0.00", "test")
    part = sup.record_fee_waiver(b[0], b[1], "2025-03-01", "2025-09-30", "80.00", "test")
    gone = sup.record_fee_waiver(c[0], c[1], "2025-01-01", "2025-12-31", "20.00", "test")
    assert_view_is_the_replay(portal, [year])
    sup.change_fee_waiver(part.id, "2025-02-01", "2025-10-31", "35.00", "test")
    sup.revoke_fee_waiver(gone.id, "Fehlentscheid", "test")
    sup.record_credit_rule("2025-07-01", ["qualifizierung", "integration-arbeit"], True, "Ab Juli", "test")
    assert_view_is_the_replay(portal, [year, quarter, month])
    waived = funding_report(portal, year)
    assert waived["total"]["participant"] != report["total"]["participant"]
    assert {s.waiver for s in portal.views.funding_splits(["2025-05"])} >= {str(full.id), str(part.id)}

    store = portal.views.store
    before = store.dump()
    portal.views.projector.rebuild()  # what `ami project --rebuild` does
    assert store.dump() == before
    assert_view_is_the_replay(portal, [year])

    # the views keep pseudonyms: no participant number and no Kostengutsprache reference in any funding table
    numbers = {s.line.participant for s in replay} | {s.line.cost_approval for s in replay if s.line.cost_approval}
    cells = {v for t in FUNDING_TABLES for row in before[t] for v in row if isinstance(v, str)}
    assert not [v for v in cells if v in numbers]
    assert not [n for n in numbers if any(n in v for v in cells)]
