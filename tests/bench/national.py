"""The national-scale variant of `make bench`: a year for the canton's 26 providers plus N more
(AMI_BENCH_PROVIDERS, default 100) on PostgreSQL, with the resident memory after every month — it must
stay flat while a year streams in — the projector's rate over the whole year and the overview's p50/p95."""
from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from rich.progress import Progress

from shared.kernel.periods import Period
from tests.bench.generate import invoice_csv


def rss_mb() -> float:
    """The process's resident memory now (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def overview_samples(portal, periods: list[Period]) -> list[float]:
    """Milliseconds per overview, each read after a catch-up as the API does; sorted."""
    samples = []
    for period in periods:
        t0 = time.perf_counter()
        portal.views.catch_up()
        portal.views.overview(period)
        samples.append((time.perf_counter() - t0) * 1000)
    return sorted(samples)


def bench_national(settings, console, providers: int | None = None, lines: int | None = None) -> dict:
    from shared.portal import open_portal
    from shared.portal.reporting import Upload

    extra = providers if providers is not None else int(os.environ.get("AMI_BENCH_PROVIDERS", "100"))
    per_invoice = lines if lines is not None else int(os.environ.get("AMI_BENCH_LINES", "40"))
    portal = open_portal(settings)
    try:
        for i in range(extra):
            portal.supervision.register_provider(f"anbieter-{i:04d}", f"Anbieter {i:04d}", "", "bench")
        slugs = portal.supervision.provider_slugs()
        memory = [rss_mb()]
        t0 = time.perf_counter()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Ein Jahr für {len(slugs)} Anbieter", total=12 * len(slugs))
            for month in range(1, 13):
                for i, slug in enumerate(slugs):
                    data = invoice_csv(per_invoice, f"{month:02d}.2024", seed=month * 10_000 + i,
                                       prefix=f"N{i:04d}")
                    portal.reporting.submit_invoice(slug, Upload(data, "text/csv", None), "bench")
                    progress.advance(task)
                memory.append(rss_mb())
        intake_s = time.perf_counter() - t0
        events = (portal.reporting.recorder.max_notification_id() or 0) + (
            portal.supervision.recorder.max_notification_id() or 0)
        t0 = time.perf_counter()
        portal.views.catch_up()
        project_s = time.perf_counter() - t0
        samples = overview_samples(portal, [Period(2024, k % 12 + 1) for k in range(120)])
    finally:
        portal.close()
    return {
        "providers": len(slugs), "lines": 12 * len(slugs) * per_invoice, "intake_s": intake_s,
        "lines_per_s": 12 * len(slugs) * per_invoice / intake_s, "events": events, "project_s": project_s,
        "events_per_s": events / project_s, "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95)],
        # after the first month (imports, caches warm) against the end: a streamed year stays flat
        "rss_after_first_month_mb": memory[1], "rss_end_mb": memory[-1], "rss_max_mb": max(memory),
    }
