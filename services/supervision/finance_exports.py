"""The funding split as XLSX and CSV downloads for the API and the finance page, made on the heavy pool."""
# From the read model (shared.presentation.funding_export); the CSV streamed as it is written.
from __future__ import annotations

from litestar import Response
from litestar.response import Stream

from services.common.attachments import CSV, XLSX, attachment
from services.common.heavy import heavy_chunks, run_heavy
from shared.finance.application.reconciliation import Scope
from shared.portal import Portal


def export_name(scope: Scope, ext: str) -> str:
    return f"finanzierung-{scope.label}.{ext}"


async def funding_xlsx_of(portal: Portal, scope: Scope, ids: bool = False) -> Response:
    """The split of every line (provider, month, participant, the six sources) and the provider totals."""
    data = await run_heavy(portal, "shared.presentation.funding_export:funding_export_xlsx", scope, ids=ids)
    return attachment(data, XLSX, export_name(scope, "xlsx"))


def funding_csv_of(portal: Portal, scope: Scope, ids: bool = False) -> Stream:
    """The split of every line, for Swiss Excel, streamed."""
    from shared.presentation.funding_export import funding_export_csv

    return Stream(heavy_chunks(portal, lambda: funding_export_csv(portal, scope, ids=ids)), media_type=CSV,
                  headers={"Content-Disposition": f'attachment; filename="{export_name(scope, "csv")}"'})
