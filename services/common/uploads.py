"""Uploads from a request: the API's raw body or multipart form, a page's upload form, a page's refusal."""
from __future__ import annotations

from litestar import Request
from litestar.datastructures import UploadFile

from shared.kernel.errors import Invalid
from shared.portal.reporting import Upload
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected, SubmissionTooLarge


async def read_upload(request: Request) -> Upload:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise SubmissionRejected([FormatIssue(None, "file", None, "Im Formular fehlt die Datei (Feld «file»).")])
        return Upload(await file.read(), file.content_type, file.filename)
    return Upload(await request.body(), content_type.split(";")[0].strip() or None, None)


async def form_upload(request: Request) -> Upload:
    """The file of a page's upload form: refused in German when none was chosen or it is empty."""
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise SubmissionRejected([FormatIssue(None, None, None, "Bitte wählen Sie eine Datei aus.")])
    data = await file.read()
    if not data:
        raise SubmissionRejected([FormatIssue(None, None, None, f"Die Datei «{file.filename}» ist leer.")])
    return Upload(data, file.content_type, file.filename)


REFUSED = (SubmissionRejected, SubmissionTooLarge, Invalid)  # what refuses an upload, nothing stored


def refusal(exc: Exception, filename: str | None) -> dict:
    """A refused upload as the pages show it: every problem with row, column, value and message."""
    if isinstance(exc, SubmissionRejected):
        errors = [e.as_dict() for e in exc.errors]
    elif isinstance(exc, SubmissionTooLarge):
        errors = [{"row": None, "column": None, "value": None, "message": exc.message}]
    else:  # Invalid
        errors = [{"row": None, "column": exc.field, "value": exc.value, "message": exc.message}]
    return {"filename": filename, "errors": errors}
