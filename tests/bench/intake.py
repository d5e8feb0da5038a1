"""`make bench`: the intake. A 10,000-line upload answered over HTTP (with its lines, and with ?lines=none); a
canton year (26 providers × 12 months × 80 lines through `submit_invoice`) against the library's raw insert of
as many events, one per save. The machine is shared and noisy: the year and the raw insert are measured in turns,
ROUNDS times, each round in a store of its own, and the median ratio is reported with the lowest and highest."""
from __future__ import annotations

import statistics
import tempfile
import time

from eventsourcing.domain import Aggregate

from tests.bench.generate import invoice_csv
from tests.bench.stores import bench_settings, drop_pg

ROUNDS = 3


def bench_intake(backend: str) -> dict:
    answers = _answers(backend)
    rounds = sorted((_year_round(backend) for _ in range(ROUNDS)), key=lambda r: r["year_s"] / r["raw_s"])
    middle = rounds[len(rounds) // 2]  # the round with the median ratio (ROUNDS is odd)
    return {**answers, **middle, "ratio": middle["year_s"] / middle["raw_s"],
            "ratios": [r["year_s"] / r["raw_s"] for r in rounds],
            "year_lines_per_s": middle["year_lines"] / middle["year_s"]}


def _answers(backend: str) -> dict:
    """The first upload warms the service, then three answered with their lines, then three with ?lines=none."""
    from litestar.testing import TestClient

    from services.reporting.app import create_app
    from shared.portal import open_portal

    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(backend, tmp)
        portal = open_portal(settings)
        try:
            token = portal.supervision.issue_token("provider", "regiomech", "bench", "bench")
            answers, summaries = [], []
            with TestClient(create_app(settings, portal=portal)) as client:
                for month in range(1, 8):
                    body = invoice_csv(10_000, f"{month:02d}.2025", seed=month)
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/invoices" + ("?lines=none" if month > 4 else ""), content=body,
                                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
                    (answers if month <= 4 else summaries).append(time.perf_counter() - t0)
                    assert r.status_code == 201, r.text[:300]
        finally:
            portal.close()
            if settings.database_url:
                drop_pg(settings.database_url)
    return {"answer_10k_s": statistics.median(answers[1:]), "first_10k_s": answers[0],
            "summary_10k_s": statistics.median(summaries)}


def _year_round(backend: str) -> dict:
    """One canton year in a new store, then the raw insert of as many events into the same store; both in a
    process whose collector is settled as a service's is once it has started."""
    from shared.kernel import collector
    from shared.portal import open_portal
    from shared.portal.reporting import Upload

    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(backend, tmp)
        portal = open_portal(settings)
        collector.settle()
        try:
            slugs = portal.supervision.provider_slugs()
            files = [(slug, invoice_csv(80, f"{month:02d}.2024", seed=i * 100 + month, prefix=slug[:3].upper()))
                     for i, slug in enumerate(slugs) for month in range(1, 13)]
            events_before = portal.reporting.recorder.max_notification_id() or 0
            t0 = time.perf_counter()
            for slug, data in files:
                portal.reporting.submit_invoice(slug, Upload(data, "text/csv", None), "bench")
            year_s = time.perf_counter() - t0
            events = (portal.reporting.recorder.max_notification_id() or 0) - events_before
            raw_s = _raw_insert(portal, events)
        finally:
            portal.close()
            if settings.database_url:
                drop_pg(settings.database_url)
    return {"year_s": year_s, "year_lines": 80 * len(files), "year_events": events, "raw_s": raw_s}


class Dummy(Aggregate):
    """A minimal aggregate: the library's raw insert rate, one event per save."""

    def __init__(self, n: int):
        self.n = n


def _raw_insert(portal, events: int) -> float:
    """The same library saving as many small events (one per save), for the ratio intake / raw."""
    t0 = time.perf_counter()
    for i in range(events):
        portal.reporting.save(Dummy(i))
    return time.perf_counter() - t0
