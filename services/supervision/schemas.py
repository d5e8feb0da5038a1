"""Request bodies of the supervision service's JSON API (plain dataclasses, decoded by Litestar; the application
validates them again and answers Invalid with a German message → 422)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReviewIn:
    decision: str
    comment: str | None = None


@dataclass
class ApprovalIn:
    comment: str | None = None


@dataclass
class ReturnIn:
    reason: str


@dataclass
class OfferingIn:
    code: str
    programme_type: str
    valid_from: str
    name: str | None = None
    location: str = ""
    postcode: str = ""
    places: int = 0
    valid_to: str | None = None
    agreed_tariffs: dict[str, str] = field(default_factory=dict)

    def terms(self) -> dict:
        return {"programme_type": self.programme_type, "name": self.name or self.code, "location": self.location,
                "postcode": self.postcode, "places": self.places, "valid_from": self.valid_from,
                "valid_to": self.valid_to, "agreed_tariffs": self.agreed_tariffs}


@dataclass
class FeeWaiverIn:
    provider: str
    participant: str
    valid_from: str
    monthly_contribution: str | int | float
    valid_to: str | None = None
    reference: str = ""  # the decision's reference number (optional)
    comment: str = ""


@dataclass
class FeeWaiverChangeIn:
    """PUT: the decision's terms as they now are (provider and participant can not change)."""

    valid_from: str
    monthly_contribution: str | int | float
    valid_to: str | None = None
    provider: str | None = None
    participant: str | None = None
    reference: str | None = None
    comment: str = ""


@dataclass
class RevokeIn:
    reason: str = ""


@dataclass
class BudgetIn:
    year: int
    source: str
    amount: str | int | float
    comment: str = ""


@dataclass
class FederalCreditRuleIn:
    valid_from: str  # YYYY-MM-01 or YYYY-MM
    programmes: list[str] = field(default_factory=list)
    refugees: bool = False
    label: str = ""
