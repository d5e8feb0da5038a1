"""Fixtures of the parser tests: the default catalogue and an XLSX builder (files are made in the tests)."""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import openpyxl
import pytest

from shared.register.domain.catalogue import Catalogue, load_default_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_default_catalogue()


def build_xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> bytes:
    """A workbook with these sheets (title, rows), in this order."""
    workbook = openpyxl.Workbook()
    first = True
    for title, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def make_xlsx() -> Callable[[Sequence[tuple[str, Sequence[Sequence[object]]]]], bytes]:
    return build_xlsx
