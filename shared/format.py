"""de-CH display for pages and PDFs: CHF 1’736.00, 25.03.2025, März 2025."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from shared.money import format_chf
from shared.periods import Period


def chf(value) -> str:
    if value is None or value == "":
        return ""
    return format_chf(Decimal(str(value)))


def chf_plain(value) -> str:
    if value is None or value == "":
        return ""
    return format_chf(Decimal(str(value)), prefix=False)


def date_de(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return value.strftime("%d.%m.%Y")


def period_de(value) -> str:
    if not value:
        return ""
    return Period.parse(str(value)).label_de()


def register_filters(filters: dict) -> None:
    filters.update({"chf": chf, "chf_plain": chf_plain, "date_de": date_de, "period_de": period_de})
