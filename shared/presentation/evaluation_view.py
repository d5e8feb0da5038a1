"""The evaluation as people read it (page and PDF): German labels, «< 5» for a suppressed figure, the charts."""
from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from shared.finance.domain.sources import SOURCES
from shared.kernel.money import format_chf
from shared.presentation import labels
from shared.presentation.pdf import charts

SUPPRESSED = "< 5"
NONE = "–"


def count_text(value, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED
    return NONE if value is None else f"{value:,}".replace(",", "’")


def money_text(value: str | None, suppressed: bool, *, prefix: bool = False) -> str:
    if suppressed:
        return SUPPRESSED
    return NONE if value is None else format_chf(Decimal(value), prefix=prefix)


def months_text(value: float | None, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED
    return NONE if value is None else f"{value:.1f}"


def share_text(value: float | None, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED
    return NONE if value is None else f"{100 * value:.1f} %"


def _row_view(row: dict, reasons: list[str]) -> dict:
    """Every figure of a row as display text; a figure is «< 5» when the row or that count is suppressed."""
    hidden = set(row["suppressed_cells"]) | ({"row"} if row["suppressed"] else set())

    def h(key: str) -> bool:
        return "row" in hidden or key in hidden

    whole = row["suppressed"]
    return {
        "provider": row["provider"], "name": row["provider_name"] or "Total", "total": row["provider"] is None,
        "suppressed": whole,
        "participants": count_text(row["participants"], whole),
        "participant_months": count_text(row["participant_months"], whole),
        "mean_months": months_text(row["mean_months"], whole),
        "median_months": months_text(row["median_months"], whole),
        "exits": [count_text(row["exits"][r], h(r)) for r in reasons],
        "exits_total": count_text(row["exits_total"], h("exits_total")),
        "exits_into_work": count_text(row["exits_into_work"], h("exits_into_work")),
        "share_into_work": share_text(row["share_into_work"], h("exits_into_work") or h("exits_total")),
        "allowed": money_text(row["allowed"], whole),
        "per_participant": money_text(row["per_participant"], whole),
        "per_exit_into_work": money_text(row["per_exit_into_work"], whole or h("exits_into_work")),
        "by_source": [money_text(row["by_source"][s], whole) for s in SOURCES],
    }


def evaluation_view(data: dict, catalogue=None) -> dict:
    """What the page and the PDF show: per programme type its rows, quarters and totals; both charts."""
    reasons = data["reasons"]
    programmes = []
    for slug in (data["programme"], *data["compare"]):
        rows = [r for r in data["rows"] if r["programme"] == slug]
        quarters = [{"quarter": q["quarter"], "label": q["quarter"].replace("-Q", " Q"),
                     "participants": count_text(q["participants"], q["suppressed"]),
                     "participant_months": count_text(q["participant_months"], q["suppressed"]),
                     "allowed": money_text(q["allowed"], q["suppressed"]),
                     "by_source": [money_text(q["by_source"][s], q["suppressed"]) for s in SOURCES],
                     "suppressed": q["suppressed"]}
                    for q in data["quarters"] if q["programme"] == slug]
        total = next(r for r in rows if r["provider"] is None)
        programmes.append({"slug": slug, "name": labels.programme(slug, catalogue), "total_raw": total,
                           "rows": [_row_view(r, reasons) for r in rows], "quarters": quarters})
    return {
        "programmes": programmes, "reasons": [(r, labels.exit_reason(r)) for r in reasons],
        "sources": [(s, labels.source(s)) for s in SOURCES], "span": span_de(data["from"], data["to"]),
        "programme_name": programmes[0]["name"], "min_participants": data["min_participants"],
        "exits_chart": exits_chart(programmes, reasons), "cost_chart": cost_chart(programmes),
        "reconciliation": data["reconciliation"],
    }


def span_de(first: str, last: str) -> str:
    """10.2022–06.2025"""
    return f"{first[5:]}.{first[:4]}–{last[5:]}.{last[:4]}"


def exits_chart(programmes: list[dict], reasons: list[str]) -> Markup:
    """Exits by reason per programme type (shares of all exits); suppressed counts together as «< 5»."""
    rows = []
    for p in programmes:
        t = p["total_raw"]
        if t["suppressed"] or t["exits_total"] is None:
            rows.append((p["name"], []))
            continue
        parts = [(labels.exit_reason(r), t["exits"][r] or 0) for r in reasons]
        hidden = t["exits_total"] - sum(v for _, v in parts)
        parts.append(("weniger als 5 je Grund", hidden))
        rows.append((p["name"], parts))
    return charts.share_bars(rows, "Austritte nach Grund je Programmart")


def cost_chart(programmes: list[dict]) -> Markup:
    """Allowed costs per exit into work, per programme type (a suppressed figure is left out)."""
    items = [(p["name"], Decimal(p["total_raw"]["per_exit_into_work"])) for p in programmes
             if p["total_raw"]["per_exit_into_work"] is not None]
    return charts.hbar_chart(items, "Zulässige Kosten pro Austritt in Arbeit oder Lehre")
