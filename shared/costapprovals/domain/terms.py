"""A Kostengutsprache as the billing checks read it, and what is used of it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.kernel.periods import Period


def approval_key(reference: str | None) -> str:
    """How references compare: spaces collapsed, case ignored (KGS-OL-2025-031 = kgs-ol-2025-031 )."""
    return " ".join((reference or "").split()).casefold()


@dataclass(frozen=True)
class ApprovalTerms:
    """reference, the social service's code, the participant (as the checks compare it: the application gives
    the participant's pseudonym, never the number), programme type, validity (days) and, where the social
    service set one, the approved quantity (days or hours, in total) and/or amount."""

    reference: str
    social_service: str
    participant: str
    programme: str
    valid_from: date
    valid_to: date
    quantity: Decimal | None = None
    amount: Decimal | None = None

    def covers(self, period: Period) -> bool:
        """The month overlaps the validity."""
        return period.first_day <= self.valid_to and self.valid_from <= period.last_day


@dataclass(frozen=True)
class Usage:
    """Quantity and amount billed under one Kostengutsprache."""

    quantity: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.quantity + other.quantity, self.amount + other.amount)

    def as_list(self) -> list[str]:
        return [str(self.quantity), str(self.amount)]

    @classmethod
    def of(cls, pair) -> Usage:
        return cls(Decimal(pair[0]), Decimal(pair[1]))


NOTHING = Usage()
