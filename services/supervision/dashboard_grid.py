"""The dashboard's grid of receipts (providers × months) as HTML, made in Python rather than by Jinja."""
# 26 providers × 12 months, each cell a link with its German title and a screen-reader text: Jinja spent a
# third of the supervision service's time under load on these cells (profile of issue 16); each distinct
# label is escaped once here and every cell is one string format. The markup is the template's, unchanged.
from __future__ import annotations

from markupsafe import Markup, escape

from shared.presentation.format import period_de
from shared.presentation.labels import document_status
from shared.submissions.domain.deadlines import LATE, MISSING, PENDING, RECEIVED

SYMBOLS = {RECEIVED: "✓", LATE: "!", MISSING: "✗", PENDING: "○"}


def _pairs() -> dict[tuple[str, str], tuple[str, str]]:
    """For each (invoice, capacity report) status pair: the end of the title and the cell's inner markup (the
    letters R and K in a span of their own: a phone shows the symbols alone, the invoice's above the report's)."""
    pairs = {}
    for inv in SYMBOLS:
        for cap in SYMBOLS:
            text = f"Rechnung {escape(document_status(inv))}, Kapazitätsmeldung {escape(document_status(cap))}"
            pairs[(inv, cap)] = (text, f'<span class="gs gs-{inv}"><span class="gl">R</span>{SYMBOLS[inv]}</span>'
                                       f'<span class="gs gs-{cap}"><span class="gl">K</span>{SYMBOLS[cap]}</span>'
                                       f'\n            <span class="sr-only">{text}</span>')
    return pairs


def grid_legend() -> Markup:
    """The grid's legend: each status with its symbol, as the cells show them."""
    return Markup(" ".join(f'<span class="gs gs-{code}">{mark} {escape(document_status(code))}</span>'  # noqa: S704
                           for code, mark in SYMBOLS.items()))  # codes, symbols: this module's


def grid_body(grid_rows: list[dict], months: list, grid: dict, period) -> Markup:
    """The <tr> rows of the grid: one per provider (grid_rows: slug, name), a cell per month."""
    pairs = _pairs()
    columns = [(escape(str(m)), escape(period_de(m)), " sel" if period and m == period else "", str(m))
               for m in months]
    out = []
    for row in grid_rows:
        slug, name = escape(row["slug"]), escape(row["name"])
        cells = grid[row["slug"]]
        out.append(f'<tr>\n        <th scope="row" class="prov"><a href="/anbieter/{slug}">{name}</a></th>\n        ')
        for key, month, sel, raw in columns:
            cell = cells[raw]
            title, inner = pairs[(cell["invoice"], cell["capacity_report"])]
            out.append(f'<td class="gcell{sel}">\n          <a href="/anbieter/{slug}#monat-{key}" title="{name}, '
                       f'{month}: {title}">\n            {inner}\n          </a>\n        </td>\n        ')
        out.append("\n      </tr>\n    ")
    return Markup("".join(out))  # noqa: S704 - every value above is escaped
