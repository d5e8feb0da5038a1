"""`make bench` with AMI_BENCH_LOAD=1 (or `python -m tests.bench.load`): the portal while the canton works.

Issue 16's scenario, bounded and on 127.0.0.1 only: `ami serve` (default settings) on a PostgreSQL store with
three demo years (2023–2025, `ami demo --year`), then for each pace (without think time: the closed loop; with 1–5 s of reading between answer and
next request) and each crowd (20 and 40 simulated people) N seconds of traffic, each person a process of their
own with their own session:
  per 20: 8 supervisors (dashboard ?jahr=2025, a provider's page, an invoice page with findings),
          8 providers (a 100-line invoice through the API, then their home /meldungen),
          4 finance (the finance page ?jahr=2025, the year's XLSX).
Reported per request type: count, p50/p95/p99, errors (any answer other than the expected one, a timeout, a
request still unanswered when the crowd stops — counted with the time it had waited);
the portal's CPU (all its processes, 100 % = one core) and memory (summed RSS) from /proc, and the CPU the
simulated people themselves used (they share the two cores with the portal).

PostgreSQL's CPU (its processes on this machine) and how busy the machine's cores were are reported beside.

Environment: AMI_BENCH_LOAD_SECONDS (60), AMI_BENCH_LOAD_USERS ("20,40"), AMI_BENCH_LOAD_THINK ("1-5,0"),
AMI_BENCH_LOAD_WORKERS (1: `ami serve --workers`), AMI_BENCH_LOAD_DATABASE_URL and
AMI_BENCH_LOAD_DATA_DIR to reuse a store already filled with the demo years (else a private database is made,
filled and dropped). The clients run on the same machine and take CPU from the portal: the figures are a
floor for a dedicated server, and the ratios between runs matter more than the absolute values.
"""
from __future__ import annotations

import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

from tests.bench.generate import invoice_csv
from tests.bench.procfs import database_cpu, machine_busy, tree_usage

HOST = "127.0.0.1"  # never anything else: the bench must not reach beyond this machine
PASSWORD = "load-bench-passwort-2025"  # noqa: S105 - accounts of a private bench store
YEARS = (2023, 2024, 2025)
TIMEOUT = 60.0  # seconds a request may take before it counts as an error
MIX = {"supervisor": 8, "provider": 8, "finance": 4}  # per 20 people
REQUESTS = ("dashboard", "provider page", "invoice page", "upload 100 lines", "provider home", "finance page",
            "year XLSX")


# --- the store ----------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _env(data_dir: str, url: str) -> dict:
    return {**os.environ, "AMI_DATA_DIR": data_dir, "DATABASE_URL": url, "AMI_SECURE_COOKIES": "0"}


def fill(data_dir: str, url: str) -> None:
    """Three demo years through the real intake (`ami demo --year`), each as its own process."""
    for year in YEARS:
        subprocess.run([sys.executable, "-m", "services.cli", "demo", "--year", str(year), "--workers", "2"],
                       env=_env(data_dir, url), check=True, stdout=subprocess.DEVNULL)


def prepare(data_dir: str, url: str, people: int) -> dict:
    """Accounts and tokens for the crowd, the providers and invoices it visits."""
    from shared.config import load_settings
    from shared.portal import open_portal

    portal = open_portal(load_settings(_env(data_dir, url)))
    try:
        sup = portal.supervision
        slugs = sup.provider_slugs()
        tag = uuid.uuid4().hex[:6]
        made: dict[str, list] = defaultdict(list)
        for role, n in MIX.items():
            for i in range(n * people // 20):
                provider = slugs[i % len(slugs)] if role == "provider" else None
                name = f"load-{role[:3]}-{tag}-{i}"
                sup.create_account(name, PASSWORD, role, provider, "bench")
                token = sup.issue_token("provider", provider, f"load {name}", "bench") if provider else None
                made[role].append((name, provider, token))
        portal.views.catch_up()
        with portal.views.store.read() as tx:
            invoices = [r[0] for r in tx.execute(
                "SELECT invoice_id FROM invoices WHERE findings > 0 AND period BETWEEN '2025-01' AND '2025-12'")]
    finally:
        portal.close()
    return {"accounts": made, "slugs": slugs, "invoices": invoices}


# --- the portal ---------------------------------------------------------------------------------------
class Portal:
    """`ami serve` on two free ports of 127.0.0.1; CPU and memory of its process tree sampled from /proc."""

    def __init__(self, data_dir: str, url: str):
        self.log = open(Path(data_dir) / "load-serve.log", "ab")  # noqa: SIM115 - kept open while it runs
        self.reporting = f"http://{HOST}:{_free_port()}"
        self.supervision = f"http://{HOST}:{_free_port()}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", "--host", HOST,
             "--reporting-port", self.reporting.rsplit(":", 1)[1],
             "--supervision-port", self.supervision.rsplit(":", 1)[1],
             "--workers", os.environ.get("AMI_BENCH_LOAD_WORKERS", "1")],
            env=_env(data_dir, url), stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if all(httpx.get(base + "/health", timeout=2).status_code == 200
                       for base in (self.reporting, self.supervision)):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("ami serve answered /health not within 60 s")

    def usage(self) -> tuple[float, float]:
        """(CPU seconds used so far, resident MB now) of the whole process tree of `ami serve`."""
        return tree_usage(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


# --- the crowd ----------------------------------------------------------------------------------------
def _login(base: str, name: str) -> httpx.Client:
    """A session of its own; logins (argon2) happen one after the other before the measured window, they are
    not the scenario."""
    client = httpx.Client(base_url=base, timeout=TIMEOUT, follow_redirects=False)
    for _ in range(3):
        client.get("/login")
        r = client.post("/login", data={"username": name, "password": PASSWORD, "next": "",
                                        "_csrf_token": client.cookies.get("ami_csrf") or ""})
        if r.status_code in (302, 303):
            return client
    raise RuntimeError(f"login {name}: {r.status_code}")


def _person(role: str, account: tuple, base: str, cookies: dict, plan: dict, start: float, until: float,
            seed: int, out, think: tuple[float, float] = (0.0, 0.0)) -> None:
    """One simulated person in a process of their own (the clients' own GIL must not add to the times):
    logs in, waits for the common start, then requests until `until`, after each answer reading it for a time
    drawn from `think` (seconds, uniform; (0, 0): none, the closed loop); sends its samples (kind, ms, ok) and
    its CPU seconds to `out`."""
    _name, provider, token = account
    rnd = random.Random(seed)
    steps = {"supervisor": ["dashboard", "provider page", "invoice page"],
             "provider": ["upload 100 lines", "provider home"],
             "finance": ["finance page", "year XLSX"]}[role]
    samples: list[tuple[str, float, bool]] = []
    client = httpx.Client(base_url=base, timeout=TIMEOUT, follow_redirects=False, cookies=cookies)
    time.sleep(max(0.0, start - time.time()))
    if think[1] > 0:  # people at work do not all click in the same millisecond
        time.sleep(rnd.uniform(0.0, think[1]))
    n = 0
    try:
        while time.time() < until:
            kind = steps[n % len(steps)]
            n += 1
            t0 = time.perf_counter()
            try:  # a request still unanswered TIMEOUT s after the crowd stops is an error, with the time it waited
                timeout = max(1.0, until + TIMEOUT - time.time())
                if kind == "dashboard":
                    ok = client.get("/dashboard?jahr=2025", timeout=timeout).status_code == 200
                elif kind == "provider page":
                    ok = client.get(f"/anbieter/{rnd.choice(plan['slugs'])}", timeout=timeout).status_code == 200
                elif kind == "invoice page":
                    ok = client.get(f"/rechnungen/{rnd.choice(plan['invoices'])}", timeout=timeout).status_code == 200
                elif kind == "upload 100 lines":
                    body = invoice_csv(100, f"{rnd.randint(1, 12):02d}.2025", seed=rnd.randrange(10**9),
                                       prefix=provider[:3].upper())
                    r = client.post("/api/v1/invoices", content=body, timeout=timeout,
                                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
                    ok = r.status_code in (200, 201)
                elif kind == "provider home":
                    ok = client.get("/meldungen", timeout=timeout).status_code == 200
                elif kind == "finance page":
                    ok = client.get("/finanzen?jahr=2025", timeout=timeout).status_code == 200
                else:
                    ok = client.get("/finanzen/export.xlsx?jahr=2025", timeout=timeout).status_code == 200
            except httpx.HTTPError:
                ok = False
            samples.append((kind, (time.perf_counter() - t0) * 1000, ok))
            if think[1] > 0:
                time.sleep(max(0.0, min(rnd.uniform(*think), until - time.time())))
    finally:
        client.close()
        out.put((samples, time.process_time()))


def run_crowd(portal: Portal, plan: dict, people: int, seconds: float,
              think: tuple[float, float] = (0.0, 0.0)) -> dict:
    import multiprocessing

    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    crowd = [(role, plan["accounts"][role][i], i) for role, n in MIX.items() for i in range(n * people // 20)]
    bases = [portal.reporting if role == "provider" else portal.supervision for role, _, _ in crowd]
    cookies = []
    for (_, account, _), base in zip(crowd, bases, strict=True):  # one after the other: the login throttle
        client = _login(base, account[0])
        cookies.append(dict(client.cookies))
        client.close()
    ctx = multiprocessing.get_context("fork")  # before any thread of this process runs
    out = ctx.Queue()
    start = time.time() + 3  # every person's process started before the measured window
    until = start + seconds
    procs = [ctx.Process(target=_person, daemon=True, args=(
        role, account, base, jar, plan, start, until, people * 1000 + i * 10 + len(role), out, think))
        for (role, account, i), base, jar in zip(crowd, bases, cookies, strict=True)]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start - time.time()))
    cpu0, _ = portal.usage()
    db0, (busy0, all0) = database_cpu(), machine_busy()
    rss_max = 0.0
    got, client_cpu = 0, 0.0
    while got < len(procs) and time.time() < until + TIMEOUT + 10:
        rss_max = max(rss_max, portal.usage()[1])
        try:
            found, cpu = out.get(timeout=0.5)
        except Exception:  # noqa: BLE001 - queue.Empty: nobody finished in this half second
            continue
        got += 1
        client_cpu += cpu
        for kind, ms, ok in found:
            samples[kind].append(ms)
            errors[kind] += 0 if ok else 1
    wall = time.time() - start
    cpu1, rss_end = portal.usage()
    db1, (busy1, all1) = database_cpu(), machine_busy()
    for p in procs:
        p.join(1)
        if p.is_alive():
            p.kill()
    rows = {}
    for kind in REQUESTS:
        s = sorted(samples.get(kind, []))
        if s:
            rows[kind] = {"n": len(s), "p50": statistics.median(s), "p95": _pct(s, 0.95), "p99": _pct(s, 0.99),
                          "errors": errors.get(kind, 0)}
    return {"people": people, "seconds": seconds, "think": think, "wall_s": wall, "requests": rows,
            "throughput": sum(r["n"] for r in rows.values()) / wall, "lost": len(procs) - got,
            "cpu_pct": 100 * (cpu1 - cpu0) / wall, "client_cpu_pct": 100 * client_cpu / wall,
            "db_cpu_pct": 100 * (db1 - db0) / wall, "busy_pct": 100 * (busy1 - busy0) / max(all1 - all0, 1e-9),
            "rss_max_mb": max(rss_max, rss_end)}


def _pct(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * q))]


def warm_up(portal: Portal, plan: dict) -> None:
    """Each request once before anything is measured, as on a portal that has been running (templates compiled,
    connections open, the finance books read once); the crowd then measures the portal at work, not its start."""
    supervisor, provider, finance = (plan["accounts"][role][0] for role in ("supervisor", "provider", "finance"))
    sup, rep, fin = (_login(portal.supervision, supervisor[0]), _login(portal.reporting, provider[0]),
                     _login(portal.supervision, finance[0]))
    try:
        for client, path in ((sup, "/dashboard?jahr=2025"), (sup, f"/anbieter/{plan['slugs'][0]}"),
                             (sup, f"/rechnungen/{plan['invoices'][0]}"), (rep, "/meldungen"),
                             (fin, "/finanzen?jahr=2025"), (fin, "/finanzen/export.xlsx?jahr=2025")):
            client.get(path).raise_for_status()
    finally:
        for client in (sup, rep, fin):
            client.close()


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
                for people in crowds:  # a portal of its own for each run: no export of the run before still
                    portal = Portal(data_dir or tmp, url)  # busy in it, warmed up like one that has been running
                    try:
                        warm_up(portal, plan)
                        results.append(run_crowd(portal, plan, people, seconds, think))
                    finally:
                        portal.stop()
        finally:
            if made_db:
                drop_pg(made_db)
    return results


def markdown(results: list[dict]) -> list[str]:
    """The section of docs/benchmarks.md: one table per crowd."""
    out = ["## Load: the portal while the canton works (issue 16)", "",
           "`AMI_BENCH_LOAD=1 make bench` (or `python -m tests.bench.load`): `ami serve` with default settings on "
           "PostgreSQL, three demo years, simulated people on 127.0.0.1 (8 supervisors, 8 providers, "
           "4 finance per 20), each person a process of their own: without think time (the closed loop: each "
           "person asks again the moment an answer arrives — what the portal bears) and with 1–5 s of reading "
           "between answer and next request (people at work; `AMI_BENCH_LOAD_THINK`). The clients share the "
           "machine's cores with the portal.", ""]
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
