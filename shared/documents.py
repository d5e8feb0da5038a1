"""What a provider submits, once parsed: invoice lines and capacity-report rows, and format errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.periods import Period

FUNDINGS = ("social_assistance", "self_payer", "alv_iv")
EXIT_REASONS = ("job_first_labour_market", "apprenticeship", "programme_change", "dropout", "no_show",
                "regular_end", "other")


@dataclass(frozen=True)
class FormatIssue:
    """One problem in a submission: row as Excel numbers it (header = 1), column, value, German message."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


class SubmissionRejected(Exception):
    """The whole document is refused (HTTP 422): every problem found, nothing stored."""

    def __init__(self, errors: list[FormatIssue]):
        super().__init__(f"{len(errors)} Fehler")
        self.errors = errors


class SubmissionTooLarge(Exception):
    """The document is over a size limit (HTTP 413)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InvoiceLine:
    row: int
    period: Period
    participant: str
    programme: str  # programme type slug
    funding: str  # one of FUNDINGS
    unit: str  # one of catalogue.UNITS
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    offering: str | None = None
    cost_approval: str | None = None
    entry_date: date | None = None
    exit_date: date | None = None
    exit_reason: str | None = None  # one of EXIT_REASONS
    refugee: bool = False  # optional column «Flüchtling/VA»: for the federal integration credit


@dataclass(frozen=True)
class ParsedInvoice:
    period: Period
    lines: tuple[InvoiceLine, ...]
    warnings: tuple[FormatIssue, ...] = field(default=())


@dataclass(frozen=True)
class CapacityRow:
    row: int
    period: Period
    programme: str
    places: int
    occupied: int
    entries: int
    exits: int
    offering: str | None = None
    waiting_list: int | None = None


@dataclass(frozen=True)
class ParsedCapacityReport:
    period: Period
    rows: tuple[CapacityRow, ...]
    warnings: tuple[FormatIssue, ...] = field(default=())
