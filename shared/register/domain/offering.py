"""An offering as the checks see it: what a provider may run and bill, from the canton's register."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.kernel.periods import Period


@dataclass(frozen=True)
class OfferingTerms:
    provider: str
    programme_type: str
    code: str
    name: str
    places: int
    valid_from: date
    valid_to: date | None = None
    agreed_tariffs: Mapping[str, Decimal] = field(default_factory=dict)  # unit -> agreed price
    location: str = ""
    postcode: str = ""

    def covers(self, period: Period) -> bool:
        return self.valid_from <= period.last_day and (self.valid_to is None or self.valid_to >= period.first_day)
