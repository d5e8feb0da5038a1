"""Amounts as the views keep them: whole centimes (integers). In from the events' two-decimal strings, out as the
contract's strings or as Decimal francs: the one place that converts either way."""
from __future__ import annotations

from decimal import Decimal

ZERO_CHF = Decimal("0.00")


def cents(amount: str) -> int:
    """"1736.05" → 173605 (amounts in events are strings with two decimals, as amount_str writes them)."""
    if len(amount) > 3 and amount[-3] == ".":
        return int(amount[:-3] + amount[-2:])
    return int(Decimal(amount).scaleb(2).to_integral_value())


def amount(centimes: int | None) -> str:
    """173605 → "1736.05", the contract's form (None: "0.00")."""
    return f"{Decimal(centimes or 0).scaleb(-2):.2f}"


def money(centimes) -> Decimal:
    """Centimes as francs with two decimals (most of a line's six sources are zero: no arithmetic for them)."""
    return Decimal(int(centimes)).scaleb(-2) if centimes else ZERO_CHF
