"""The funding split as XLSX and CSV downloads, for the API and the finance page alike."""
from __future__ import annotations

from litestar import Response

from services.common.attachments import CSV, XLSX, attachment
from shared.finance.application.reconciliation import Scope, funding_report, funding_splits, social_service_of
from shared.portal import Portal
from shared.presentation.exports import funding_csv, funding_xlsx


def export_name(scope: Scope, ext: str) -> str:
    return f"finanzierung-{scope.label}.{ext}"


def funding_xlsx_of(portal: Portal, scope: Scope) -> Response:
    """The split of every line (provider, month, participant, the six sources) and the provider totals."""
    splits = funding_splits(portal, scope)
    return attachment(funding_xlsx(splits, funding_report(portal, scope, splits), social_service_of(portal)), XLSX,
                      export_name(scope, "xlsx"))


def funding_csv_of(portal: Portal, scope: Scope) -> Response:
    """The split of every line, for Swiss Excel."""
    return attachment(funding_csv(funding_splits(portal, scope), social_service_of(portal)), CSV,
                      export_name(scope, "csv"))
