"""Files as both services send them: always a download with a name, never shown in the browser."""
from __future__ import annotations

from collections.abc import AsyncIterator

from litestar import Response
from litestar.response import Stream

from shared.kernel.errors import NotFound

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"  # Litestar adds «; charset=utf-8» to every text/ type (naming it here sent it twice)


def original_type(data: bytes) -> tuple[str, str]:
    """(media type, extension) of a stored original by its bytes alone, never by what its uploader said: an
    upload declared «text/html» is sent back as the CSV it was read as."""
    from shared.submissions.domain.documents import SubmissionRejected
    from shared.submissions.parsers import detect_format

    try:
        kind = detect_format(data)
    except SubmissionRejected:
        return "application/octet-stream", "bin"
    return {"xlsx": (XLSX, "xlsx"), "json": ("application/json", "json"), "csv": ("text/csv", "csv")}[kind]


def download_name(kind: str, provider: str, period: str, version: int, ext: str) -> str:
    """rechnung-regiomech-2025-03-v2.csv"""
    return f"{kind}-{provider}-{period}-v{version}.{ext}"


def attachment(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def streamed_attachment(chunks: AsyncIterator[bytes], media_type: str, filename: str) -> Stream:
    """A download sent while it is made (its length unknown: chunked)."""
    return Stream(chunks, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def pdf_attachment(data: bytes, filename: str) -> Response:
    """An audit PDF: never cached, never sniffed."""
    return Response(content=data, media_type=PDF, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


def document_number(document: str) -> int:
    """«3.pdf» → 3 (NotFound for anything else: no hint what exists)."""
    stem = document[:-4] if document.endswith(".pdf") else ""
    if not stem.isdigit() or not 1 <= int(stem) <= 100000:
        raise NotFound("Beleg nicht gefunden")
    return int(stem)
