"""The clocked side of two unit tests: the check's time per line as invoices grow (tests/unit/checks/test_api.py
proves the growth is linear by counting work) and how fast a zip bomb is refused
(tests/unit/submissions/parsers/test_parsers_limits.py proves it is refused before anything is inflated)."""
from __future__ import annotations

import time
import tracemalloc


def pro_rata_invoice(lines: int):
    """Two lines per participant, 22 days where 21.7 are a full month: every line gets a group finding."""
    from tests.unit.checks.factory import invoice, line

    return invoice(*(line(r + 2, participant=f"P-{r // 2}", unit="reduced_day" if r % 2 else "assignment_day",
                          quantity="12" if r % 2 else "10", unit_price="56.00" if r % 2 else "80.00")
                     for r in range(lines)))


def bench_check_scaling(sizes: tuple[int, ...] = (10_000, 20_000, 40_000), repeat: int = 3) -> dict:
    """The best of `repeat` check times per size; growth is the time of the largest over the smallest,
    divided by their size ratio (1.0 = linear; a loop over pairs of lines would make it grow with the size)."""
    from shared.checks import check_invoice
    from tests.unit.checks.factory import ctx

    seconds = {}
    for n in sizes:
        parsed = pro_rata_invoice(n)
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            checked = check_invoice(parsed, ctx())
            best = min(best, time.perf_counter() - t0)
        assert all(cl.findings for cl in checked.lines)
        seconds[n] = best
    growth = (seconds[sizes[-1]] / seconds[sizes[0]]) / (sizes[-1] / sizes[0])
    return {"seconds": seconds, "growth": growth}


def bench_zip_bomb(megabytes: int = 200) -> dict:
    """A workbook of `megabytes` MB of zeros (a few hundred KB on disk): time and peak memory of its refusal."""
    from shared.register.domain.catalogue import load_default_catalogue
    from shared.submissions.domain.documents import SubmissionRejected
    from shared.submissions.parsers import parse_invoice
    from tests.unit.submissions.parsers.test_parsers_limits import zip_with_zeros

    bomb = zip_with_zeros(megabytes * 1024 * 1024)
    catalogue = load_default_catalogue()
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        parse_invoice(bomb, catalogue=catalogue, filename="rechnung.xlsx")
    except SubmissionRejected as exc:
        message = exc.errors[0].message
    else:
        raise AssertionError("the zip bomb was accepted")
    finally:
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "Zip-Bombe" in message
    return {"megabytes": megabytes, "bytes": len(bomb), "refused_ms": elapsed * 1000, "peak_mb": peak / 2**20}
