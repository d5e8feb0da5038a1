"""Seconds for the PDFs (`make bench`): an invoice audit PDF of 60 lines, a provider's and the canton's year.

`bench_pdfs(portal)` files one 60-line invoice (and a capacity report) for a bench provider into the given
portal's store (the same bytes again are a no-op), then times each PDF. Use a scratch store.
"""

from __future__ import annotations

import time
from uuid import UUID

HEADER = (
    "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
    "Menge;Ansatz;Betrag"
)
PROGRAMMES = (
    ("Qualifizierung", "Einsatztag", "21.7", "80.00"),
    ("Beschäftigung I", "Einsatztag", "21.7", "35.00"),
    ("Coaching", "Coachingstunde", "3", "200.00"),
    ("Jugendprogramm", "Einsatztag", "23", "105.00"),
)


def bench_invoice(lines: int = 60, period: str = "01.2025") -> bytes:
    rows = [HEADER]
    for i in range(lines):
        name, unit, qty, price = PROGRAMMES[i % len(PROGRAMMES)]
        funding, kgs = ("Sozialhilfe", f"KGS-BENCH-{i:03d}") if i % 5 == 0 else ("Selbstzahler", "")
        amount = f"{float(qty.replace(',', '.')) * float(price):.2f}"
        rows.append(f"{period};B-{i + 1:04d};{name};{funding};{kgs};;;;{unit};{qty};{price};{amount}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def bench_pdfs(portal, provider: str = "oltech", lines: int = 60) -> dict:
    """Seconds (warm) for each PDF, after filing offerings, a capacity report and a 60-line invoice of the
    current month for `provider` (all idempotent). `portal` may also be Settings: a portal is opened then."""
    if not hasattr(portal, "reporting"):
        from shared.portal import open_portal

        opened = open_portal(portal)
        try:
            return bench_pdfs(opened, provider, lines)
        finally:
            opened.close()
    import io

    from pypdf import PdfReader

    from shared.kernel.errors import DomainError
    from shared.portal.reporting import Upload
    from shared.presentation.pdf.annual_reports import canton_report_pdf, provider_report_pdf
    from shared.presentation.pdf.invoice_audit import invoice_audit_pdf

    today = portal.reporting.clock()
    month = f"{today.month:02d}.{today.year}"
    for code, (name, *_rest) in zip(("Q", "B1", "C", "J"), PROGRAMMES, strict=True):
        slug = portal.supervision.catalogue().programme_slug(name)
        try:
            portal.supervision.register_offering(
                provider,
                f"BENCH-{code}",
                {"programme_type": slug, "name": f"Bench {name}", "places": 30, "valid_from": "2024-01-01"},
                "bench",
            )
        except DomainError:
            pass  # registered by an earlier run
    capacity = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n" + "".join(
        f"{month};{name};30;20;1;1\n" for name, *_rest in PROGRAMMES
    )
    portal.reporting.submit_capacity_report(
        provider, Upload(capacity.encode(), "text/csv", "kap.csv"), "bench"
    )
    stored = portal.reporting.submit_invoice(
        provider, Upload(bench_invoice(lines, month), "text/csv", "bench.csv"), "bench"
    )
    invoice_id = UUID(stored.document["id"])
    result: dict = {"lines": lines}
    for key, make in (
        ("invoice_audit_pdf", lambda: invoice_audit_pdf(portal, invoice_id)),
        ("provider_report_pdf", lambda: provider_report_pdf(portal, provider, today.year)),
        ("canton_report_pdf", lambda: canton_report_pdf(portal, today.year)),
    ):
        make()  # warm: fonts, templates, the first checkpoint
        times, cpu = [], []
        for _ in range(3):  # the best of three: a busy machine only ever adds time
            start, start_cpu = time.perf_counter(), time.process_time()
            pdf = make()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        result[f"{key}_s"] = round(min(times), 3)
        result[f"{key}_cpu_s"] = round(min(cpu), 3)  # CPU seconds of this process: less noisy than wall time
        result[f"{key}_pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
        result[f"{key}_bytes"] = len(pdf)
    return result


def bench_year_pdfs(settings, year: int = 2025) -> dict:
    """Seconds (best of three, warm) for the reconciliation PDF and the canton's annual report of the whole demo
    year (26 providers × 12 months), filed into the scratch store `settings` points at. Goal ≤ 2 s each."""
    from services.demo.generator import run_demo
    from shared.portal import open_portal
    from shared.presentation.pdf.annual_reports import canton_report_pdf
    from shared.presentation.pdf.finance_report import reconciliation_pdf

    portal = open_portal(settings)
    try:
        run_demo(portal, year=year, workers=2)
        result: dict = {}
        for key, make in (("reconciliation_year_pdf", reconciliation_pdf), ("canton_year_pdf", canton_report_pdf)):
            make(portal, year)  # warm: fonts, templates, the checkpoint of this store
            times, cpu = [], []
            for _ in range(3):
                start, start_cpu = time.perf_counter(), time.process_time()
                make(portal, year)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            result[f"{key}_s"] = round(min(times), 3)
            result[f"{key}_cpu_s"] = round(min(cpu), 3)
        return result
    finally:
        portal.close()
