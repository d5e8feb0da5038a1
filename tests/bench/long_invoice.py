"""`make bench`: a 10,000-line invoice as supervisors read it: its page (as the handler builds it: the invoice,
one page of its lines, the «Belege») and its audit PDF (the lines with findings printed, every line attached).

The page is measured with the collector as a service runs it (`shared.kernel.collector.settle`), restored after;
the median of five after one warm build. The PDF once, warm (fonts, templates, the store's checkpoint).
"""
from __future__ import annotations

import gc
import io
import statistics
import tempfile
import time
from uuid import UUID

from tests.bench.generate import invoice_csv
from tests.bench.stores import bench_settings, drop_pg


def bench_long_invoice(backend: str, lines: int = 10_000, *, pdf: bool = False) -> dict:
    from pypdf import PdfReader

    from shared.finance.application.payer_documents import statements_page
    from shared.kernel import collector
    from shared.portal import open_portal
    from shared.portal.reporting import Upload
    from shared.presentation.pdf.invoice_audit import invoice_audit_pdf
    from shared.review.application.invoice_file import invoice_file

    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(backend, tmp)
        portal = open_portal(settings)
        thresholds = gc.get_threshold()
        try:
            stored = portal.reporting.submit_invoice(
                "regiomech", Upload(invoice_csv(lines, "03.2025", seed=3), "text/csv", None), "bench")
            iid = UUID(stored.document["id"])

            def page() -> dict:
                invoice, entries = portal.reporting.invoice_with_history(None, iid)
                found = invoice_file(portal, iid, invoice=invoice, invoice_entries=entries)
                found.update(statements_page(portal, None, iid, found["invoice"]["version"], invoice=invoice))
                return found

            collector.settle()
            page()
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                found = page()
                times.append(time.perf_counter() - t0)
            result = {"page_s": statistics.median(times), "page_max_s": max(times), "lines": lines,
                      "shown": len(found["lines"]), "statements_shown": len(found["statements"]),
                      "statements": found["statements_paging"]["total"]}
            if pdf:
                invoice_audit_pdf(portal, iid)  # warm
                t0 = time.perf_counter()
                made = invoice_audit_pdf(portal, iid)
                result.update(pdf_s=time.perf_counter() - t0, pdf_pages=len(PdfReader(io.BytesIO(made)).pages))
            return result
        finally:
            gc.unfreeze()
            gc.set_threshold(*thresholds)
            portal.close()
            if settings.database_url:
                drop_pg(settings.database_url)


def rows(backend: str, res: dict) -> list[tuple[str, str, str]]:
    out = [(f"invoice page, {res['lines']:,} lines ({backend})", f"{res['page_s']:.2f} s",
            f"median of five, at most {res['page_max_s']:.2f} s: {res['shown']} lines and {res['statements_shown']} "
            f"of {res['statements']:,} payer documents shown (issue 16: 0.75–0.9 s before the ninth pass)")]
    if "pdf_s" in res:
        out.append((f"audit PDF of that invoice ({backend})", f"{res['pdf_s']:.1f} s",
                    f"{res['pdf_pages']} pages: the lines with findings (at most 1,000) printed, every line "
                    "attached (printed in full: 1,011 pages, 133 s, 3.2 GB)"))
    return out
