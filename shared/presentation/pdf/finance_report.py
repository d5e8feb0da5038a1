"""The finance PDF of the reconciliation: every funding source per month and quarter against its budget.

The month and quarter tables are turned: one row per month (or quarter), one column per funding source and a
total column, so twelve months fit a portrait page with every amount in its own cell."""
from __future__ import annotations

from decimal import Decimal

from shared.audit.application.checkpoints import checkpoint_store
from shared.finance.application.reconciliation import reconciliation
from shared.kernel.periods import MONTHS_DE
from shared.presentation.pdf.document import figures_json, render_document
from shared.presentation.pdf.render import EmbeddedFile


def _by_row(sources: list[dict], key: str, names: dict[str, str]) -> list[dict]:
    """{period: amount} of every source → one row per period: its label, the sources' amounts, the total."""
    periods = sorted({p for s in sources for p in s[key]})
    rows = []
    for p in periods:
        amounts = [Decimal(s[key].get(p, "0")) for s in sources]
        rows.append({"label": names.get(p, p), "amounts": amounts, "total": sum(amounts, Decimal(0))})
    return rows


def _sum_row(rows: list[dict], width: int) -> dict:
    return {"amounts": [sum((r["amounts"][i] for r in rows), Decimal(0)) for i in range(width)],
            "total": sum((r["total"] for r in rows), Decimal(0))}


def reconciliation_pdf(portal, year: int) -> bytes:
    digest = checkpoint_store(portal.settings)
    data = reconciliation(portal, year)
    sources = data["sources"]
    month_names = {f"{year}-{m:02d}": name for m, name in enumerate(MONTHS_DE, start=1)}
    quarter_names = {f"{year}-Q{q}": f"{q}. Quartal" for q in range(1, 5)}
    months = _by_row(sources, "months", month_names)
    quarters = _by_row(sources, "quarters", quarter_names)
    total_spent = sum((Decimal(s["spent"]) for s in sources), Decimal(0))
    document = {"kind": "reconciliation", "year": year}
    files = [EmbeddedFile("abstimmung.json", figures_json({"document": document, **data}),
                          "Die Zahlen dieser Abstimmung als JSON", "Data")]
    context = {"title": f"Finanzabstimmung {year}", "year": year, "sources": sources, "total_spent": total_spent,
               "months": months, "month_sum": _sum_row(months, len(sources)),
               "quarters": quarters, "quarter_sum": _sum_row(quarters, len(sources)),
               "by_social_service": data["by_social_service"]}
    return render_document(portal, digest, "finance_report.html", context, files, document)
