"""Read an upload from a request: raw CSV/XLSX/JSON bodies or a multipart form with the field `file`."""
from __future__ import annotations

from litestar import Request
from litestar.datastructures import UploadFile

from shared.portal.reporting import Upload
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected


async def read_upload(request: Request) -> Upload:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise SubmissionRejected([FormatIssue(None, "file", None, "Im Formular fehlt die Datei (Feld «file»).")])
        return Upload(await file.read(), file.content_type, file.filename)
    return Upload(await request.body(), content_type.split(";")[0].strip() or None, None)
