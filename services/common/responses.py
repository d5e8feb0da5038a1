"""Documented answers of the API beside the success case (for the OpenAPI documents)."""
from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.datastructures import ResponseSpec


@dataclass
class FormatErrorOut:
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass
class ErrorsOut:
    errors: list[FormatErrorOut]


@dataclass
class DetailOut:
    detail: str


UPLOAD_RESPONSES = {
    200: ResponseSpec(data_container=dict,
                      description="Dieselben Bytes wurden schon empfangen: das bestehende Dokument"),
    413: ResponseSpec(data_container=ErrorsOut, description="Datei zu gross"),
    422: ResponseSpec(data_container=ErrorsOut, description="Formatfehler: jede Zeile, Spalte und jeder Wert"),
}
READ_RESPONSES = {404: ResponseSpec(data_container=DetailOut, description="Nicht gefunden (oder nicht Ihr Dokument)")}
