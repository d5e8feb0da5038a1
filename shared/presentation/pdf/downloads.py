"""Each PDF with the German name it is downloaded under (shared.presentation.file_names): one call for a
handler, which sends the pair as an attachment."""
from __future__ import annotations

from uuid import UUID

from shared.presentation import file_names, labels


def invoice_audit_download(portal, invoice_id: UUID) -> tuple[bytes, str]:
    from shared.presentation.pdf.invoice_audit import invoice_audit

    pdf, document = invoice_audit(portal, invoice_id)
    provider = portal.supervision.provider(document["provider"])
    return pdf, file_names.audit_pdf(provider.name, document["period"], document["version"])


def provider_year_download(portal, slug: str, year: int) -> tuple[bytes, str]:
    from shared.presentation.pdf.annual_reports import provider_report_pdf

    pdf = provider_report_pdf(portal, slug, year)
    return pdf, file_names.provider_year_pdf(portal.supervision.provider(slug).name, year)


def canton_year_download(portal, year: int) -> tuple[bytes, str]:
    from shared.presentation.pdf.annual_reports import canton_report_pdf

    return canton_report_pdf(portal, year), file_names.canton_year_pdf(year)


def reconciliation_download(portal, year: int) -> tuple[bytes, str]:
    from shared.presentation.pdf.finance_report import reconciliation_pdf

    return reconciliation_pdf(portal, year), file_names.reconciliation_pdf(year)


def evaluation_download(portal, query) -> tuple[bytes, str]:
    from shared.presentation.pdf.evaluation_report import evaluation_pdf

    name = labels.programme(query.programme, portal.supervision.catalogue())
    return evaluation_pdf(portal, query), file_names.evaluation_pdf(name, str(query.first), str(query.last))
