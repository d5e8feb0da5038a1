"""Seconds for the month's payer documents of the largest demo provider (`make bench`, issue 19: ≤ 3 s).

`bench_payer_documents(settings)` fills a scratch store with the demo for that provider alone (three months),
then times the month's ZIP: every social service's statement, the canton's claim and every participant's bill
with its QR payment part, each a sealed PDF/A, laid out by ``AMI_PDF_WORKERS`` forked processes (CPU seconds
count them too), and when its first document was written (the service sends the ZIP as it is written). Then, on
heavy processes as under `ami serve`, how long one of the provider's documents takes while that ZIP is being made
(the ZIP in its lane of processes, the document in the other)."""
from __future__ import annotations

import io
import resource
import time
import zipfile


def cpu_seconds() -> float:
    """CPU of this process and of its finished children (the forked PDF workers)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


class _Timed(io.BytesIO):
    """The ZIP in memory, and when its first bytes were handed on (flushed)."""

    first: float = 0.0

    def flush(self) -> None:
        if not self.first and self.tell():
            self.first = time.perf_counter()


def largest_provider() -> str:
    from services.demo import cast as D

    return max(D.PROVIDERS, key=lambda p: sum(o.places for o in p.offerings)).slug


def bench_payer_documents(settings, months: tuple[int, ...] = (1, 2, 3)) -> dict:
    from services.demo.generator import run_demo
    from services.demo.progress import Progress
    from shared.finance.application.payer_documents import month_documents
    from shared.portal import open_portal
    from shared.presentation.pdf.payer_documents import write_month_zip

    slug = largest_provider()
    portal = open_portal(settings)
    try:
        run_demo(portal, year=2025, providers=[slug], months=months, progress=Progress(), accounts=False,
                 project=False, workers=1)
        period = f"2025-{months[-1]:02d}"
        t0 = time.perf_counter()
        bundles = month_documents(portal, slug, period)
        t1, c1 = time.perf_counter(), cpu_seconds()
        out = _Timed()
        write_month_zip(portal, slug, period, out)
        t2, c2 = time.perf_counter(), cpu_seconds()
        during = single_during_zip(portal, slug, period, bundles[0].invoice)
        data = out.getvalue()
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        kinds = {k: sum(1 for n in names if f"-{k}-" in n) for k in ("social_service", "canton", "participant")}
        return {"provider": slug, "period": period, "invoices": len(bundles), "documents": len(names),
                **kinds, "lines": sum(len(d.lines) for b in bundles for d in b.documents if d.payer == "canton"),
                "split_s": t1 - t0, "zip_s": t2 - t1, "first_s": out.first - t1, "zip_cpu_s": c2 - c1, "megabytes": len(data) / 1e6,
                **during}
    finally:
        portal.close()


def single_during_zip(portal, slug: str, period: str, invoice: str) -> dict:
    """Seconds for the first payer document of `invoice` alone (median of three) and while the month's ZIP is being
    written, both on heavy processes; and how long the ZIP went on after that document was made."""
    import asyncio
    from uuid import UUID

    from services.common.heavy import close_pools, heavy_stream, run_heavy

    docs = "shared.presentation.pdf.payer_documents:"
    settings = portal.settings
    portal.settings = settings.with_(heavy_processes=1)

    async def single() -> float:
        t0 = time.perf_counter()
        await run_heavy(portal, docs + "invoice_document_pdf", slug, UUID(invoice), 1)
        return time.perf_counter() - t0

    async def measure() -> dict:
        async for _ in await heavy_stream(portal, docs + "write_month_zip", slug, period):
            pass  # both lanes' processes started before anything is timed
        alone = sorted([await single() for _ in range(3)])[1]
        chunks = await heavy_stream(portal, docs + "write_month_zip", slug, period)
        await anext(chunks)
        during = await single()
        t0 = time.perf_counter()
        async for _ in chunks:
            pass
        return {"single_alone_s": alone, "single_during_zip_s": during, "zip_went_on_s": time.perf_counter() - t0}

    try:
        return asyncio.run(measure())
    finally:
        close_pools()
        portal.settings = settings


if __name__ == "__main__":
    import tempfile

    from shared.config import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        print(bench_payer_documents(load_settings({"AMI_DATA_DIR": tmp})))
