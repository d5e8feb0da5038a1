"""Exports and PDFs in a heavy process of their own (AMI_HEAVY_PROCESSES, what `ami serve` runs): the same
documents as on the threads, made by another process at a lower priority, on SQLite and on PostgreSQL."""
from __future__ import annotations

import asyncio
import gc
import io
import os
import signal

import openpyxl
import pytest

from services.common.heavy import close_pools, run_heavy
from shared.finance.application.reconciliation import Scope
from shared.kernel import collector
from tests.integration.finance_cases import upload_herr_b


def worker_facts(portal) -> tuple[int, int, tuple, int]:
    """Run in the heavy process: its process id, CPU priority and collector (thresholds, objects frozen)."""
    return os.getpid(), os.nice(0), gc.get_threshold(), gc.get_freeze_count()


def ignores_ctrl_c(portal) -> bool:
    """Run in the heavy process: whether Ctrl-C (SIGINT to the terminal's process group) passes it by."""
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _cells(xlsx: bytes) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    # row 2 says when it was made («Stand …»): the rest must be the same
    return {ws.title: [r for i, r in enumerate(ws.iter_rows(values_only=True)) if i != 1] for ws in wb}


@pytest.fixture
def in_processes(portal):
    """The same portal, its heavy work in one process of its own."""
    threads = portal.settings
    portal.settings = threads.with_(heavy_processes=1)
    yield portal
    close_pools()
    portal.settings = threads


def test_the_year_export_made_in_a_heavy_process_equals_the_one_made_on_a_thread(reporting, tokens, portal,
                                                                                  in_processes):
    upload_herr_b(reporting, tokens)  # not yet projected: the request brings the read models up to date first
    scope = Scope.whole_year(2025)
    target = "shared.presentation.funding_export:funding_export_xlsx"
    made = asyncio.run(run_heavy(in_processes, target, scope))
    worker, niceness, thresholds, frozen = asyncio.run(run_heavy(in_processes, __name__ + ":worker_facts"))
    quiet = asyncio.run(run_heavy(in_processes, __name__ + ":ignores_ctrl_c"))
    in_processes.settings = in_processes.settings.with_(heavy_processes=0)
    here = asyncio.run(run_heavy(in_processes, target, scope))
    assert worker != os.getpid() and niceness >= os.nice(0) + 10
    assert quiet  # Ctrl-C in the terminal passes it by: the service ends it, without a traceback
    assert thresholds == collector.THRESHOLDS and frozen > 10_000  # settled as the services are
    assert _cells(made) == _cells(here)
    rows = _cells(made)["Zeilen"]
    assert sum(1 for r in rows if "B-0017" in r) == 2  # January and February 2025 of Herr B.


def test_an_error_in_the_heavy_process_reaches_the_request_as_it_was(portal, in_processes):
    from shared.kernel.errors import NotFound

    with pytest.raises(NotFound):
        asyncio.run(run_heavy(in_processes, "shared.presentation.pdf.downloads:provider_year_download",
                              "gibt-es-nicht", 2025))


def _document_routes(app) -> list[tuple[str, object]]:
    """(path, handler) of every route that makes a document: a PDF, a ZIP, an export, a payer document."""
    marks = (".pdf", ".zip", "/export.", "/belege/{", "/statements/{")
    return [(route.path, handler) for route in app.routes for handler in getattr(route, "route_handlers", [])
            if any(mark in route.path for mark in marks) and handler.http_methods & {"GET", "POST"}]


def test_every_document_is_made_on_the_heavy_pool(reporting, supervision):
    """A handler that lays out a PDF or packs a ZIP or an export is async and hands the work to the heavy pool, on
    both services: a month's ZIP of payer documents on the provider's thread pool held the interpreter lock its
    pages need (found in the tenth pass of issue 16: the reporting service's ZIP and payer PDFs ran there)."""
    import inspect

    checked = []
    for client in (reporting, supervision):
        for path, handler in _document_routes(client.app):
            fn = getattr(handler.fn, "func", handler.fn)  # Litestar wraps a sync handler
            source = inspect.getsource(fn)
            # through run_heavy, or helpers that use the heavy pool (services/supervision/finance_exports.py,
            # the month's ZIP in services/reporting/statements_api.py)
            assert inspect.iscoroutinefunction(fn), path
            assert any(name in source for name in ("run_heavy(", "funding_xlsx_of(", "funding_csv_of(",
                                                   "month_zip_download(", "document_download(")), path
            checked.append(path)
    assert {"/meldungen/{period:str}/belege.zip", "/api/v1/statements.zip", "/jahresbericht.pdf",
            "/api/v1/invoices/{invoice_id:uuid}/statements/{document:str}"} <= set(checked)


def test_the_providers_payer_documents_are_made_in_the_heavy_process(reporting, supervision, tokens, portal,
                                                                     in_processes):
    """The month's ZIP (written there, sent from here while it grows) and a participant's bill printed with a name
    (sent to the process, used there, not kept)."""
    import zipfile

    from services.common import heavy
    from tests.integration.test_payer_documents import QR_IBAN, invoice_of, payment_details
    from tests.pdf_reading import pdf_text

    payment_details(supervision, tokens, "regiomech", QR_IBAN)
    upload_herr_b(reporting, tokens)
    h = tokens("regiomech")
    r = reporting.get("/api/v1/statements.zip", params={"period": "2024-11"}, headers=h)
    assert r.status_code == 200, r.text
    assert ("processes", in_processes.settings, heavy.LONG) in heavy._pools  # made by a heavy process
    assert "content-length" not in r.headers  # sent while it was made
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = z.namelist()
        assert len(names) >= 2 and all(n.endswith(".pdf") and z.read(n)[:5] == b"%PDF-" for n in names)
        assert z.testzip() is None and all(i.flag_bits & 0x08 for i in z.infolist())  # checksums after the data
    iid = invoice_of(reporting, h, "2024-11")
    bill = reporting.post(f"/api/v1/invoices/{iid}/statements/2.pdf", headers=h, json={
        "name": "Beat Beispiel", "street": "Hauptgasse 1", "postcode": "4500", "city": "Solothurn"})
    assert bill.status_code == 200, bill.text
    assert "Beat Beispiel" in pdf_text(bill.content)
    assert reporting.get(f"/api/v1/invoices/{iid}/statements/9.pdf", headers=h).status_code == 404


def held_download(portal, flag: str, out) -> None:
    """Run in the long lane: the first bytes, then nothing more until the test lets it go (or a minute passes)."""
    import time

    out.write(b"first ")
    out.flush()
    deadline = time.monotonic() + 60
    while not os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.02)
    out.write(str(os.getpid()).encode())


def test_a_single_document_waits_for_no_download_in_progress(portal, in_processes, tmp_path):
    """A month's ZIP goes to a lane of processes of its own: while one is being written (held here until the
    document is made), a PDF or an export in the other lane is made, by another process (one lane: it would wait
    for the whole download; here the minute this download is held for)."""
    from services.common.heavy import heavy_stream

    flag = tmp_path / "go"

    async def both() -> tuple[int, bytes]:
        chunks = await heavy_stream(in_processes, __name__ + ":held_download", str(flag))
        first = await anext(chunks)
        made = await asyncio.wait_for(run_heavy(in_processes, __name__ + ":worker_facts"), timeout=30)
        flag.touch()
        return made[0], first + b"".join([chunk async for chunk in chunks])

    document_pid, download = asyncio.run(both())
    assert download.startswith(b"first ")
    assert int(download.removeprefix(b"first ")) not in (document_pid, os.getpid())


def dies_in_a_heavy_process(portal, service: int, first: bytes, out) -> None:
    """In a heavy process: write `first`, then die (as if killed); here, in the service: the whole download."""
    out.write(first)
    out.flush()
    if os.getpid() != service:
        os._exit(1)
    out.write(b"whole")


@pytest.mark.parametrize("first", [b"", b"partial "], ids=["before its first bytes", "after them"])
def test_a_download_whose_heavy_process_dies_is_made_again_only_before_its_first_bytes(portal, in_processes,
                                                                                       first):
    """Made again in the service while nothing was sent; once bytes went out the download ends unfinished, never
    with other bytes written over those sent."""
    from concurrent.futures.process import BrokenProcessPool

    from services.common.heavy import heavy_stream

    async def download() -> bytes:
        chunks = await heavy_stream(in_processes, __name__ + ":dies_in_a_heavy_process", os.getpid(), first)
        return b"".join([chunk async for chunk in chunks])

    if first:
        with pytest.raises(BrokenProcessPool):
            asyncio.run(download())
    else:
        assert asyncio.run(download()) == b"whole"
