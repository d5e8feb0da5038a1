"""The finance PDF of the reconciliation: every funding source per month and quarter against its budget."""
from __future__ import annotations

from decimal import Decimal

from shared.audit.application.checkpoints import checkpoint_store
from shared.finance.application.reconciliation import reconciliation
from shared.kernel.periods import MONTHS_DE
from shared.presentation.pdf.document import figures_json, render_document
from shared.presentation.pdf.render import EmbeddedFile


def reconciliation_pdf(portal, year: int) -> bytes:
    digest = checkpoint_store(portal.settings)
    data = reconciliation(portal, year)
    sources = []
    for s in data["sources"]:
        sources.append({**s, "months_list": [(MONTHS_DE[int(p[5:]) - 1][:3], Decimal(v))
                                             for p, v in sorted(s["months"].items())],
                        "quarters_list": [(q[-2:], Decimal(v)) for q, v in sorted(s["quarters"].items())]})
    total_spent = sum((Decimal(s["spent"]) for s in data["sources"]), Decimal(0))
    document = {"kind": "reconciliation", "year": year}
    files = [EmbeddedFile("abstimmung.json", figures_json({"document": document, **data}),
                          "Die Zahlen dieser Abstimmung als JSON", "Data")]
    context = {"title": f"Finanzabstimmung {year}", "year": year, "sources": sources, "total_spent": total_spent,
               "months": [m[:3] for m in MONTHS_DE], "by_social_service": data["by_social_service"]}
    return render_document(portal, digest, "finance_report.html", context, files, document)
