"""Request bodies of the finance API (plain dataclasses, validated by the web layer's decoder and then by
the FinanceCommands, which raise ``Invalid`` with a German message)."""
from __future__ import annotations

from dataclasses import dataclass, field


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
