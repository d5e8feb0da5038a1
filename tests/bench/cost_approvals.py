"""Bench (issue 19): an invoice of 200 social-assistance lines consuming 200 Kostengutsprachen, answered over
HTTP on SQLite (goal ≤ 150 ms); and the recording of the 200 approvals. `python -m tests.bench.cost_approvals`"""
from __future__ import annotations

import statistics
import tempfile
import time

from shared.config import load_settings

PARTICIPANTS = 200
HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"


def approvals_csv() -> bytes:
    rows = ["Kostengutsprache;Sozialdienst;Teilnehmer;Programm;Gültig ab;Gültig bis;Menge;Betrag"]
    rows += [f"KGS-4600-2025-{n:03d};SD-4600;S-{n:04d};Beschäftigung I;01.01.2025;31.12.2025;100;"
             for n in range(1, PARTICIPANTS + 1)]
    return ("\n".join(rows) + "\n").encode()


def invoice_csv(month: int) -> bytes:
    rows = [HEADER] + [f"{month:02d}.2025;S-{n:04d};Beschäftigung I;Sozialhilfe;KGS-4600-2025-{n:03d};Einsatztag;"
                       f"20;35.00;700.00" for n in range(1, PARTICIPANTS + 1)]
    return ("\n".join(rows) + "\n").encode()


def bench_cost_approvals(settings=None) -> dict:
    from litestar.testing import TestClient

    from services.reporting.app import create_app
    from shared.portal import open_portal

    with tempfile.TemporaryDirectory() as tmp:
        settings = settings or load_settings({"AMI_DATA_DIR": tmp})
        portal = open_portal(settings)
        try:
            portal.supervision.record_social_service({"code": "SD-4600", "name": "Sozialdienst Olten",
                                                      "valid_from": "2020-01-01"}, "bench")
            token = portal.supervision.issue_token("provider", "oltech", "bench", "bench")
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
            with TestClient(create_app(settings, portal=portal)) as client:
                t0 = time.perf_counter()
                r = client.post("/api/v1/cost-approvals", content=approvals_csv(), headers=headers)
                record_s = time.perf_counter() - t0
                assert r.status_code == 201, r.text
                samples = []
                for month in range(1, 6):  # 20 days a month of 100: each month uses a fifth of each approval
                    body = invoice_csv(month)
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/invoices", content=body, headers=headers)
                    samples.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 201, r.text
                last = r.json()
                assert last["totals"]["allowed"] == f"{PARTICIPANTS * 700}.00", last["totals"]
                over = client.post("/api/v1/invoices", content=invoice_csv(6), headers=headers).json()
                assert over["totals"]["allowed"] == "0.00"  # every approval used up: each line reduced to 0
        finally:
            portal.close()
    return {"record_200_ms": record_s * 1000, "p50_ms": statistics.median(samples), "max_ms": max(samples),
            "first_ms": samples[0]}


if __name__ == "__main__":
    print(bench_cost_approvals())  # noqa: T201
