"""`make bench` with AMI_BENCH_LOAD=1 (or `python -m tests.bench.load`): the portal while the canton works.

Issue 16's scenario, bounded and on 127.0.0.1 only: `ami serve` (default settings) on a PostgreSQL store with
three demo years (2023–2025, `ami demo --year`), then for each pace (without think time: the closed loop; with 1–5 s of reading between answer and
next request) and each crowd (20 and 40 simulated people) N seconds of traffic, each person a process of their
own with their own session:
  per 20: 8 supervisors (dashboard ?jahr=2025, a provider's page, an invoice page with findings, the evaluation
          of 2025, the work queue),
          8 providers (a 100-line invoice through the API, their home /meldungen, their invoices of all years
          through the API as their software lists them),
          4 finance (the finance page ?jahr=2025, the year's XLSX).
Reported per request type: count, p50/p95/p99, errors (any answer other than the expected one, a timeout, a
request still unanswered when the crowd stops — counted with the time it had waited);
the portal's CPU (all its processes, 100 % = one core) and memory (summed RSS) from /proc, and the CPU the
simulated people themselves used (they share the two cores with the portal).

PostgreSQL's CPU (its processes on this machine) and how busy the machine's cores were are reported beside.

Environment: AMI_BENCH_LOAD_SECONDS (60), AMI_BENCH_LOAD_USERS ("20,40"), AMI_BENCH_LOAD_THINK ("1-5,0"),
AMI_BENCH_LOAD_WORKERS (1: `ami serve --workers`), AMI_BENCH_LOAD_DATABASE_URL and
AMI_BENCH_LOAD_DATA_DIR to reuse a store already filled with the demo years (else a private database is made,
filled and dropped). Every run starts from a copy of that store (PostgreSQL's template copy), so the uploads
of one run do not grow the year the next run reads. The clients run on the same machine and take CPU from the
portal: the figures are a floor for a dedicated server, and the ratios between runs matter more than the
absolute values.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.bench.load_crowd import run_crowd, warm_up
from tests.bench.load_portal import Portal, fill, prepare


def think_times(text: str) -> list[tuple[float, float]]:
    """AMI_BENCH_LOAD_THINK: "1-5,0" = a run where each person reads an answer 1 to 5 s before the next request
    (people at work), then one without think time (the closed loop: how much the portal bears)."""
    found = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        found.append((float(lo), float(hi or lo)))
    return found


def bench_load(seconds: float | None = None, crowds: list[int] | None = None) -> list[dict]:
    seconds = seconds or float(os.environ.get("AMI_BENCH_LOAD_SECONDS", "60"))
    crowds = crowds or [int(x) for x in os.environ.get("AMI_BENCH_LOAD_USERS", "20,40").split(",")]
    thinks = think_times(os.environ.get("AMI_BENCH_LOAD_THINK", "1-5,0"))
    url = os.environ.get("AMI_BENCH_LOAD_DATABASE_URL")
    data_dir = os.environ.get("AMI_BENCH_LOAD_DATA_DIR")
    made_db = None
    with tempfile.TemporaryDirectory() as tmp:
        if not url:
            from tests.bench.stores import drop_pg, pg_database

            url = made_db = pg_database()
            data_dir = tmp
            fill(data_dir, url)
        results = []
        try:
            plan = prepare(data_dir or tmp, url, max(crowds))
            for think in thinks:
                for people in crowds:
                    results.append(_run(data_dir or tmp, url, plan, people, seconds, think))
        finally:
            if made_db:
                drop_pg(made_db)
    return results


def _run(data_dir: str, url: str, plan: dict, people: int, seconds: float, think: tuple[float, float]) -> dict:
    """One crowd on a copy of the prepared store (each run starts from the same three years: the uploads of the
    runs before — 100 lines each, ~500 a minute without think time — made 2025 ever larger, and a later run
    slower for it) and a portal of its own (no export of the run before still busy in it), warmed up like one
    that has been running."""
    from tests.bench.stores import drop_pg, pg_database

    copy = pg_database(template=url)
    try:
        portal = Portal(data_dir, copy)
        try:
            warm_up(portal, plan)
            return run_crowd(portal, plan, people, seconds, think)
        finally:
            portal.stop()
    finally:
        drop_pg(copy)


def markdown(results: list[dict]) -> list[str]:
    """The section of docs/benchmarks.md: one table per crowd."""
    out = ["## Load: the portal while the canton works (issue 16)", "",
           "`AMI_BENCH_LOAD=1 make bench` (or `python -m tests.bench.load`): `ami serve` with default settings on "
           "PostgreSQL, three demo years, simulated people on 127.0.0.1 (8 supervisors — since 5 December also "
           "on the evaluation page, since the twentieth pass on the work queue —, 8 providers — since the "
           "thirteenth pass also listing their invoices of all years through the API —, 4 finance per 20), each "
           "person a process of their own: without think time "
           "(the closed loop: each "
           "person asks again the moment an answer arrives — what the portal bears) and with 1–5 s of reading "
           "between answer and next request (people at work; `AMI_BENCH_LOAD_THINK`). Since the fourteenth pass "
           "every run starts from a copy of the same store (before, each run read a 2025 grown by the uploads of "
           "the runs before it). The clients share the machine's cores with the portal.", ""]
    for r in results:
        lo, hi = r.get("think", (0.0, 0.0))
        pace = "no think time" if hi <= 0 else f"think time {lo:g}–{hi:g} s"
        out += [f"**{r['people']} people, {pace}, {r['seconds']:.0f} s** — {r['throughput']:.1f} requests/s; portal CPU "
                f"{r['cpu_pct']:.0f} % of one core, memory at most {r['rss_max_mb']:.0f} MB (all its processes); "
                f"PostgreSQL {r.get('db_cpu_pct', 0):.0f} %; the simulated people's own CPU "
                f"{r['client_cpu_pct']:.0f} %; the machine's cores {r.get('busy_pct', 0):.0f} % busy", "",
                "| request | count | p50 | p95 | p99 | errors |", "|---|---:|---:|---:|---:|---:|"]
        out += [f"| {k} | {v['n']} | {v['p50']:,.0f} ms | {v['p95']:,.0f} ms | {v['p99']:,.0f} ms | {v['errors']} |"
                for k, v in r["requests"].items()]
        out.append("")
    return out


def existing_sections(path: Path = Path("docs/benchmarks.md")) -> str:
    """Every `## ` section of docs/benchmarks.md after the main table (the load figures, notes written by
    hand): `make bench` rewrites the table and keeps these."""
    text = path.read_text() if path.exists() else ""
    found = text.find("\n## ")
    return "" if found < 0 else text[found:]


def write_section(lines: list[str], path: Path = Path("docs/benchmarks.md")) -> None:
    """Replace (or add) the load section of docs/benchmarks.md, leaving the rest as it is."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head = lines[0]
    if head in text:
        before, _, rest = text.partition(head)
        after = rest.split("\n## ", 1)
        text = before + "\n".join(lines) + ("\n## " + after[1] if len(after) > 1 else "\n")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)


if __name__ == "__main__":
    found = bench_load()
    section = markdown(found)
    print("\n".join(section))
    write_section(section)
