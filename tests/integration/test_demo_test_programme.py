"""`ami demo`'s test programme through the real intake: the evaluation's default span comes alive, twice
run changes nothing."""
from __future__ import annotations

import pytest

from services.demo.test_programme import run_test_programme
from shared.evaluation.application.evaluation import evaluate, parse_query


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_test_programme_fills_the_span_once(portal):
    summary = run_test_programme(portal)
    assert summary.invoices == 81 and summary.capacity_reports == 81 and summary.approvals == 81
    heads = (portal.reporting.recorder.max_notification_id(), portal.supervision.recorder.max_notification_id())
    offerings = {o.code: o for o in portal.supervision.offerings("regiomech")}
    assert str(offerings["RM-IA"].valid_from) == "2022-10-17"
    first = portal.reporting.invoice_view(portal.reporting.invoices("regiomech", "2022-11")[0])
    assert first["edition"] == "2022/23 (Demo)" and first["totals"]["allowed"] != "0.00"  # billable, not zero

    data = evaluate(portal, parse_query(portal.supervision.catalogue()))
    ia = {r["provider"]: r for r in data["rows"] if r["programme"] == "integration-arbeit"}
    assert list(ia) == ["netzwerk-grenchen", "oltech", "regiomech", None]
    assert all(not r["suppressed"] and r["participants"] >= 30 for r in ia.values())
    assert ia[None]["exits_total"] > 50 and 0 < ia[None]["share_into_work"] < 1
    assert data["reconciliation"]["reconciles"] is True
    assert [q["quarter"] for q in data["quarters"] if q["programme"] == "integration-arbeit"][0] == "2022-Q4"

    again = run_test_programme(portal)
    assert again.invoices == 0 and again.documents_existing == 162 and again.approvals == 0
    assert heads == (portal.reporting.recorder.max_notification_id(),
                     portal.supervision.recorder.max_notification_id())
