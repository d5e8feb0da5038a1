"""The load bench's crowd (tests/bench/load.py): simulated people, each in a process of their own with their own
session, asking the portal for what their role asks for; the times of their answers, their errors, the portal's and
the machine's CPU while they ask."""
from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict

import httpx

from tests.bench.generate import invoice_csv
from tests.bench.load_portal import MIX, PASSWORD, Portal
from tests.bench.procfs import database_cpu, machine_busy

TIMEOUT = 60.0  # seconds a request may take before it counts as an error
REQUESTS = ("dashboard", "provider page", "invoice page", "evaluation page", "work queue", "upload 100 lines",
            "provider home", "invoice list (API)", "finance page", "year XLSX")
EVALUATION = "/auswertung?von=2025-01&bis=2025-12"  # the year's lines of three programme types, compared


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
    steps = {"supervisor": ["dashboard", "provider page", "invoice page", "evaluation page", "work queue"],
             "provider": ["upload 100 lines", "provider home", "invoice list (API)"],
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
                elif kind == "evaluation page":
                    ok = client.get(EVALUATION, timeout=timeout).status_code == 200
                elif kind == "work queue":  # its default: the open findings of every year, the waiting invoices
                    ok = client.get("/arbeit", timeout=timeout).status_code == 200
                elif kind == "upload 100 lines":
                    body = invoice_csv(100, f"{rnd.randint(1, 12):02d}.2025", seed=rnd.randrange(10**9),
                                       prefix=provider[:3].upper())
                    r = client.post("/api/v1/invoices", content=body, timeout=timeout,
                                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
                    ok = r.status_code in (200, 201)
                elif kind == "provider home":
                    ok = client.get("/meldungen", timeout=timeout).status_code == 200
                elif kind == "invoice list (API)":  # the provider's software: every invoice of theirs, all years
                    ok = client.get("/api/v1/invoices", timeout=timeout,
                                    headers={"Authorization": f"Bearer {token}"}).status_code == 200
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
    for (_, account, _), base in zip(crowd, bases, strict=True):  # one after the other: 40 at once from one
        # address would pass the throttle's 20 attempts in flight (tests/bench/logins.py measures a burst)
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
                             (sup, f"/rechnungen/{plan['invoices'][0]}"), (sup, EVALUATION), (rep, "/meldungen"),
                             (fin, "/finanzen?jahr=2025"), (fin, "/finanzen/export.xlsx?jahr=2025")):
            client.get(path).raise_for_status()
    finally:
        for client in (sup, rep, fin):
            client.close()
