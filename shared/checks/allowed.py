"""The allowed amount of an invoice line (domain-rules §4): the one formula the engine and the trace share.

    allowed = 0                                                  if a zeroing check hits
            = min(allowed quantity × allowed unit price, claimed,
                  the line's share of its monthly cap,
                  what its Kostengutsprache has left)            otherwise, half-up to the centime, never below 0

The quantity checks limit the quantity, the tariff checks the unit price; a line no check limits keeps its
own. So the tolerance of amount_mismatch never pays above quantity × unit price, and a unit price within the
tariff never above quantity × the tariff in force.
"""
from __future__ import annotations

from decimal import Decimal

from shared.checks.findings import Finding
from shared.kernel.money import ZERO, to_cents
from shared.submissions.domain.documents import InvoiceLine


def product(quantity: Decimal, price: Decimal) -> Decimal:
    """Quantity × unit price, half-up to the centime."""
    return to_cents(quantity * price)


def limited_amount(claimed: Decimal, quantity: Decimal, price: Decimal) -> tuple[Decimal, Decimal]:
    """(quantity × price to the centime, the lower of that and the claimed amount, not below 0)."""
    full = product(quantity, price)
    value = claimed if claimed < full else full
    return full, value if value > ZERO else ZERO


def allowed_amount(claimed: Decimal, quantity: Decimal, price: Decimal, *, zeroed: bool = False,
                   cap_share: Decimal | None = None, approval_left: Decimal | None = None) -> Decimal:
    """The allowed amount: claimed in centimes, the allowed quantity and unit price, the zeroing, the cap and
    what the line's Kostengutsprache has left of its approved amount."""
    if zeroed:
        return ZERO
    value = limited_amount(claimed, quantity, price)[1]
    value = cap_share if cap_share is not None and cap_share < value else value
    return approval_left if approval_left is not None and approval_left < value else value


class LineState:
    """The working state of a line with at least one finding (clean lines have none): its findings, and the
    factors the checks limited."""

    __slots__ = ("findings", "zeroed", "quantity", "price", "cap_share", "approval_left")

    def __init__(self, line: InvoiceLine):
        self.findings: list[Finding] = []
        self.zeroed = False
        self.quantity = line.quantity  # the allowed quantity
        self.price = line.unit_price  # the allowed unit price
        self.cap_share: Decimal | None = None  # the line's share of a monthly cap that was exceeded
        self.approval_left: Decimal | None = None  # what its Kostengutsprache had left, if less than the line

    def allowed(self, claimed: Decimal) -> Decimal:
        return allowed_amount(claimed, self.quantity, self.price, zeroed=self.zeroed, cap_share=self.cap_share,
                              approval_left=self.approval_left)
