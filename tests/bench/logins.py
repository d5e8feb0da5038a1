"""`make bench`: colleagues logging in at the same moment (eight o'clock) while one of them reads the dashboard.

`ami serve` on an embedded store in a folder of its own (127.0.0.1 only), PEOPLE supervisors' accounts; each
person fetches the login form first, then all post their password at once (argon2: ~90 ms of a core and 64 MiB
each). Reported: the logins' p50 and slowest, every answer's status (all must be let in: one address, below the
throttle's limit of 20), and the dashboard read over and over by an already logged-in colleague meanwhile."""
from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections import Counter

import httpx

from tests.bench.load_crowd import _login
from tests.bench.load_portal import PASSWORD, Portal

PEOPLE = 18


def bench_login_burst(people: int = PEOPLE) -> dict:
    from shared.config import load_settings
    from shared.portal import open_portal

    with tempfile.TemporaryDirectory() as data:
        portal = open_portal(load_settings({"AMI_DATA_DIR": data}))
        try:
            for i in range(people + 1):
                portal.supervision.create_account(f"burst-{i}", PASSWORD, "supervisor", None, "bench")
        finally:
            portal.close()
        serve = Portal(data, "")
        try:
            return _burst(serve.supervision, people)
        finally:
            serve.stop()


def _burst(base: str, people: int) -> dict:
    reader = _login(base, f"burst-{people}")
    for _ in range(5):
        reader.get("/dashboard")
    logins: list[tuple[float, int]] = []
    pages: list[float] = []
    go, stop = threading.Event(), threading.Event()

    def person(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/login")
            go.wait()
            t0 = time.perf_counter()
            r = client.post("/login", data={"username": f"burst-{i}", "password": PASSWORD, "next": "",
                                            "_csrf_token": client.cookies.get("ami_csrf") or ""})
            logins.append((time.perf_counter() - t0, r.status_code))

    def read() -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            reader.get("/dashboard")
            pages.append(time.perf_counter() - t0)

    crowd = [threading.Thread(target=person, args=(i,)) for i in range(people)]
    for t in crowd:
        t.start()
    time.sleep(1.0)  # every form fetched
    reading = threading.Thread(target=read)
    reading.start()
    time.sleep(0.5)
    pages.clear()
    go.set()
    for t in crowd:
        t.join()
    stop.set()
    reading.join()
    reader.close()
    times = sorted(s for s, _ in logins)
    pages.sort()
    return {"people": people, "statuses": dict(Counter(code for _, code in logins)),
            "p50_ms": statistics.median(times) * 1000, "max_ms": times[-1] * 1000,
            "pages": len(pages), "page_p50_ms": statistics.median(pages) * 1000,
            "page_p95_ms": pages[min(len(pages) - 1, int(len(pages) * 0.95))] * 1000}


def row(res: dict) -> tuple[str, str, str]:
    if "p50_ms" not in res:
        return ("logins at once", "skipped", str(res))
    statuses = ", ".join(f"{n}× {code}" for code, n in sorted(res["statuses"].items()))
    return (f"{res['people']} logins at once (ami serve, SQLite)", f"p50 {res['p50_ms']:,.0f} ms",
            f"slowest {res['max_ms']:,.0f} ms, answers {statuses} (all 303: let in); the dashboard read "
            f"{res['pages']} times meanwhile: p50 {res['page_p50_ms']:.0f} ms, p95 {res['page_p95_ms']:.0f} ms "
            "(before passwords were hashed at most one per core: logins p50 1.4–1.6 s, dashboard p95 150–250 ms)")


if __name__ == "__main__":
    print(row(bench_login_burst()))
