"""Seconds for the finance page, the year's XLSX and the evaluation page on the demo year (`make bench`), before
and after issue 16.

Before: every request replayed and opened every invoice of the year (reconciliation.funding_splits) and the
XLSX was built with openpyxl's normal workbook. After: the funding read model (shared.readmodels.funding),
the XLSX from presentation/xlsx.py on the heavy pool; the evaluation from the same read model (pseudonyms
only), «before» its replay (evaluate_splits, what its PDF report still computes). Both measured here on the same scratch store: the page
over HTTP (logged in as finance) with the replay patched back in for «before», the XLSX as a function (before)
and as the API download (after). Best of three, warm; wall and CPU seconds of this process. The evaluation
«after» with nothing remembered (shared.readmodels.generations: its answer and its months' lines forgotten before
each request), and beside it asked again with its months unchanged (the remembered answer).
"""
from __future__ import annotations

import io
import time
from decimal import Decimal
from unittest import mock

PASSWORD = "ein-langes-passwort-123"


def best(make, runs: int = 3) -> tuple[float, float]:
    """(wall, cpu) seconds, the best of `runs` after one warm-up call."""
    make()
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        make()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def legacy_xlsx(splits, report) -> bytes:
    """The export as it was built before: openpyxl's normal workbook, cell by cell (for the ratio only)."""
    from openpyxl import Workbook

    from shared.finance.domain.sources import SOURCES

    wb = Workbook()
    ws = wb.active
    for r, s in enumerate(splits, start=2):
        ln = s.line
        values = [ln.provider, ln.period, ln.participant, ln.programme, ln.unit, ln.funding, ln.cost_approval,
                  ln.invoice, ln.row, ln.allowed, *(s.amounts[k] for k in SOURCES), s.waiver, s.credit_rule]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            cell.value = value
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
    totals = wb.create_sheet("Anbieter")
    for r, p in enumerate(report["providers"], start=2):
        for col, k in enumerate(("provider", *SOURCES), start=1):
            totals.cell(row=r, column=col).value = p[k]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bench_finance(settings, workers: int = 2) -> dict:
    """The demo year into a scratch store (`settings`), then the finance page and the year's XLSX."""
    from litestar.testing import TestClient

    from services.demo.generator import run_demo
    from services.supervision import evaluation_page as E
    from services.supervision.app import create_app
    from shared.evaluation.application.evaluation import evaluate_splits
    from shared.finance.application import reconciliation as R
    from shared.finance.application.sums import sums_of
    from shared.portal import open_portal

    portal = open_portal(settings)
    try:
        run_demo(portal, workers=workers)
        scope = R.Scope.whole_year(2025)
        portal.supervision.create_account("bench-finanzen", PASSWORD, "finance", None, "bench")
        token = portal.supervision.issue_token("finance", None, "bench", "bench")
        with TestClient(create_app(settings, portal=portal)) as client:
            client.get("/login")
            csrf = {"x-csrf-token": client.cookies.get("ami_csrf")}
            client.post("/login", data={"username": "bench-finanzen", "password": PASSWORD}, headers=csrf)

            def page() -> None:
                r = client.get("/finanzen?jahr=2025")
                assert r.status_code == 200, r.text[:300]

            def xlsx() -> None:
                r = client.get("/api/v1/funding/export.xlsx?year=2025", headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == 200 and r.content[:2] == b"PK"

            def evaluation() -> None:
                r = client.get("/auswertung?von=2025-01&bis=2025-12")
                assert r.status_code == 200 and "Evaluation" in r.text, r.text[:300]

            def evaluation_anew() -> None:  # nothing remembered: neither the answer nor a month's lines
                from shared.readmodels.generations import Remembered

                portal.views.remembered, portal.views.remembered_months = Remembered(), Remembered()
                evaluation()

            page_after = best(page)
            xlsx_after = best(xlsx)
            evaluation_after = best(evaluation_anew)
            evaluation_remembered = best(evaluation)
            replayed = lambda portal, scope: sums_of(R.funding_splits(portal, scope))  # noqa: E731
            with mock.patch.object(R, "funding_sums", replayed):
                page_before = best(page)
            replayed_evaluation = lambda portal, query, *_, **__: evaluate_splits(  # noqa: E731 (the page: copy=False)
                portal, query, R.funding_splits(portal, query.scope))
            with mock.patch.object(E, "evaluate", replayed_evaluation):
                evaluation_before = best(evaluation)

        def xlsx_old() -> None:
            splits = R.funding_splits(portal, scope)
            legacy_xlsx(splits, R.funding_report(portal, scope, splits))

        xlsx_before = best(xlsx_old)
        lines = len(portal.views.funding_splits([str(p) for p in scope.periods]))
    finally:
        portal.close()
    return {"lines": lines, "page_before": page_before, "page_after": page_after, "xlsx_before": xlsx_before,
            "xlsx_after": xlsx_after, "evaluation_before": evaluation_before, "evaluation_after": evaluation_after,
            "evaluation_remembered": evaluation_remembered}


def rows(backend: str, res: dict) -> list[tuple[str, str, str]]:
    """The bench table's rows: after, before, and the ratio (wall and CPU)."""
    out = []
    for key, what, goal in (("page", "finance page /finanzen?jahr=2025 alone", "goal ≤ 100 ms"),
                            ("xlsx", "year's XLSX export alone", "goal ≤ 1 s"),
                            ("evaluation", "evaluation page /auswertung for 2025 alone", "goal ≤ 200 ms")):
        (bw, bc), (aw, ac) = res[f"{key}_before"], res[f"{key}_after"]
        again = ""
        if key == "evaluation" and "evaluation_remembered" in res:
            again = (f"; asked again, its months unchanged: {res['evaluation_remembered'][0] * 1000:,.0f} ms "
                     "(remembered)")
        out.append((f"{what} ({backend}, demo year {res['lines']:,} lines)", f"{aw * 1000:,.0f} ms",
                    f"before {bw * 1000:,.0f} ms, {bw / aw:.1f}× faster; CPU {ac * 1000:,.0f} ms vs "
                    f"{bc * 1000:,.0f} ms ({bc / ac:.1f}×){again}; {goal}"))
    return out
