"""Exports and PDFs in a heavy process of their own (AMI_HEAVY_PROCESSES, what `ami serve` runs): the same
documents as on the threads, made by another process at a lower priority, on SQLite and on PostgreSQL."""
from __future__ import annotations

import asyncio
import gc
import io
import os

import openpyxl
import pytest

from services.common.heavy import close_pools, run_heavy
from shared.finance.application.reconciliation import Scope
from shared.kernel import collector
from tests.integration.test_finance_api import upload_herr_b


def worker_facts(portal) -> tuple[int, int, tuple, int]:
    """Run in the heavy process: its process id, CPU priority and collector (thresholds, objects frozen)."""
    return os.getpid(), os.nice(0), gc.get_threshold(), gc.get_freeze_count()


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
    in_processes.settings = in_processes.settings.with_(heavy_processes=0)
    here = asyncio.run(run_heavy(in_processes, target, scope))
    assert worker != os.getpid() and niceness >= os.nice(0) + 10
    assert thresholds == collector.THRESHOLDS and frozen > 10_000  # settled as the services are
    assert _cells(made) == _cells(here)
    rows = _cells(made)["Zeilen"]
    assert sum(1 for r in rows if "B-0017" in r) == 2  # January and February 2025 of Herr B.


def test_an_error_in_the_heavy_process_reaches_the_request_as_it_was(portal, in_processes):
    from shared.kernel.errors import NotFound

    with pytest.raises(NotFound):
        asyncio.run(run_heavy(in_processes, "shared.presentation.pdf.downloads:provider_year_download",
                              "gibt-es-nicht", 2025))
