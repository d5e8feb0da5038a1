"""The reporting API's answers beside the success case, as its OpenAPI document describes them."""
# The uploads themselves are raw CSV/XLSX/JSON bodies or a multipart form, read by services.common.uploads.
from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec

from services.common.errors import ErrorsOut

UPLOAD_RESPONSES = {
    200: ResponseSpec(data_container=dict, generate_examples=False,
                      description="Dieselben Bytes wurden schon empfangen: das bestehende Dokument"),
    413: ResponseSpec(data_container=ErrorsOut, generate_examples=False,
                      description="Datei zu gross"),
    422: ResponseSpec(data_container=ErrorsOut, generate_examples=False,
                      description="Formatfehler: jede Zeile, Spalte und jeder Wert"),
}
