"""`make bench`: how fast the projector replays the demo year, and how fast the overview answers.

The store of `settings` is filled with the demo year (26 providers, twelve months, through the real
intake), then the views are projected from empty tables three times (best run counts) with the fast
decoders and once through the application's mapper alone; the overview is then read 200 times, each
read after a catch_up() as the API does.

Events per second depend on the mix: a demo in which the supervisor re-decided a notice on every line made many
cheap repeats (stop 27 ended that: a year went from 19,300 to ~2,000 review events). The work that stays is the
invoice's lines projected into the funding split, so the bench also reports invoice lines per second.
"""
from __future__ import annotations

import statistics
import time

from shared.config import Settings


def bench_projector(settings: Settings, *, months: list[int] | None = None, repeat: int = 3) -> dict:
    from services.demo.generator import run_demo
    from shared.portal import open_portal
    from shared.readmodels.projector import TOPICS, Projector

    portal = open_portal(settings)
    try:
        t0 = time.perf_counter()
        run_demo(portal, months=months, accounts=False, project=False)
        fill_s = time.perf_counter() - t0
        store = portal.views.store
        heads = Projector(portal, store).heads()
        apps = (("reporting", portal.reporting), ("supervision", portal.supervision))
        relevant = sum(len(app.recorder.select_notifications(1, 10_000_000, topics=TOPICS[name]))
                       for name, app in apps)
        runs = []
        for _ in range(repeat):
            store.reset(drop=True)  # as --rebuild does; the schema's DDL is not the projector's speed
            t0 = time.perf_counter()
            applied = Projector(portal, store).run()
            runs.append(time.perf_counter() - t0)
        with store.read() as tx:
            lines = tx.execute("SELECT COUNT(*) FROM funding_lines")[0][0]
        floor_s, view_rows = database_floor(store)
        store.reset()
        t0 = time.perf_counter()
        Projector(portal, store, fast=False).run()
        mapper_s = time.perf_counter() - t0

        views = portal.views
        latencies = []
        for i in range(200):
            t0 = time.perf_counter()
            views.catch_up()
            views.overview(f"2025-{i % 12 + 1:02d}")
            latencies.append((time.perf_counter() - t0) * 1000)
        latencies.sort()
        best = min(runs)
        log_events = sum(heads.values())
        return {
            "events_per_s": round(applied / best), "lines": lines, "lines_per_s": round(lines / best),
            "log_events_per_s": round(log_events / best),
            "mapper_events_per_s": round(applied / mapper_s),
            "events": applied, "relevant_events": relevant, "log_events": log_events,
            "rebuild_s": best, "fill_s": fill_s, "floor_s": floor_s, "view_rows": view_rows,
            "floor_events_per_s": round(applied / floor_s),
            "overview_p50_ms": statistics.median(latencies),
            "overview_p95_ms": latencies[int(len(latencies) * 0.95)],
            "note": (f"{applied} document/register/review events ({log_events} in the logs) rebuilt in "
                     f"{best:.2f} s = {round(log_events / best):,} log positions/s, {lines:,} invoice lines = "
                     f"{round(lines / best):,} lines/s; mapper only "
                     f"{round(applied / mapper_s):,} events/s; demo year filled in {fill_s:.0f} s; the "
                     f"database's floor (the {view_rows:,} finished view rows written again, nothing computed) "
                     f"{floor_s:.2f} s = at most {round(applied / floor_s):,} events/s "
                     "(goal ≥ 20,000 events/s)"),
        }
    finally:
        portal.close()


def database_floor(store, repeat: int = 3) -> tuple[float, int]:
    """The best of `repeat` writes of every view row as the rebuild left them into the emptied tables, one
    transaction as a rebuild's batch is (the projector's writer: COPY on PostgreSQL); (seconds, rows)."""
    from shared.readmodels.tables import VIEW_TABLES

    with store.read() as tx:
        tables = {t: (view_columns(tx, t), tx.execute("SELECT * FROM " + t)) for t in VIEW_TABLES}  # noqa: S608
    runs = []
    for _ in range(repeat):
        store.reset()
        t0 = time.perf_counter()
        with store.write() as tx:
            for table, (columns, rows) in tables.items():
                tx.insert(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {{values}}", rows)
        runs.append(time.perf_counter() - t0)
    return min(runs), sum(len(rows) for _, rows in tables.values())


def view_columns(tx, table: str) -> list[str]:
    """A view table's columns in their order (the cursor's description of an empty select)."""
    cursor = tx._cur  # the bench's look behind the transaction: the store's pages never need column names
    cursor.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608
    return [d[0] for d in cursor.description]
