"""The providers' help page at /hilfe (open without a login): file format, templates, the checks explained."""
# The file format field by field, the templates to download, and every check explained with the brochure's examples;
# each finding on an invoice page links to its check here (#regel-<code>).
from __future__ import annotations

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from services.common.attachments import CSV, XLSX, attachment
from services.common.layout import page_context
from services.common.page_errors import page_router
from services.common.page_guard import LoginRequired, session_principal
from shared.presentation.submission_help import (
    CAPACITY_FIELDS,
    EXAMPLES,
    FILE_RULES,
    INVOICE_FIELDS,
    rules_help,
)
from shared.presentation.submission_templates import KINDS, template_csv, template_xlsx


async def _principal(request: Request):
    try:
        return await session_principal(request)
    except LoginRequired:
        return None


@get("/hilfe")
async def help_page(request: Request) -> Template:
    principal = await _principal(request)
    return Template("reporting_help.html", context=page_context(
        request, principal, active="hilfe", invoice_fields=INVOICE_FIELDS, capacity_fields=CAPACITY_FIELDS,
        file_rules=FILE_RULES, rules=rules_help(), examples=EXAMPLES))


@get("/hilfe/vorlagen/{kind:str}", sync_to_thread=False)
def template_file(kind: str) -> Response:
    """rechnung.csv | .xlsx, kapazitaet.csv | .xlsx: the header and one example line."""
    name, _, ext = kind.partition(".")
    if name not in KINDS or ext not in ("csv", "xlsx"):
        raise NotFoundException()
    if ext == "csv":
        return attachment(template_csv(name), CSV, f"vorlage-{name}.csv")
    return attachment(template_xlsx(name), XLSX, f"vorlage-{name}.xlsx")


HANDLERS = [page_router([help_page, template_file])]
