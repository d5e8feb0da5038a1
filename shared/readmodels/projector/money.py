"""Amounts as the views keep them: whole centimes (integers), read from the events' two-decimal strings."""
from __future__ import annotations

from decimal import Decimal


def cents(amount: str) -> int:
    """"1736.05" → 173605 (amounts in events are strings with two decimals, as amount_str writes them)."""
    if len(amount) > 3 and amount[-3] == ".":
        return int(amount[:-3] + amount[-2:])
    return int(Decimal(amount).scaleb(2).to_integral_value())
