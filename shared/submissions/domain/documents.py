"""What a provider submits, once parsed: invoice lines and capacity-report rows, and format errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.kernel.periods import Period

FUNDINGS = ("social_assistance", "self_payer", "alv_iv")
EXIT_REASONS = ("job_first_labour_market", "apprenticeship", "programme_change", "dropout", "no_show",
                "regular_end", "other")
FUNDING_NAMES_DE = {"social_assistance": "Sozialhilfe", "self_payer": "Selbstzahlende", "alv_iv": "ALV/IV"}
EXIT_REASON_NAMES_DE = {
    "job_first_labour_market": "Stelle 1. Arbeitsmarkt", "apprenticeship": "Lehre",
    "programme_change": "Programmwechsel", "dropout": "Programmabbruch", "no_show": "Nichterscheinen",
    "regular_end": "Regulärer Abschluss", "other": "Andere",
}


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


def line_to_dict(line: InvoiceLine) -> dict:
    """A parsed line as stored in an event: plain strings, so the event stays readable for decades."""
    return {
        "row": line.row, "period": str(line.period), "participant": line.participant,
        "programme": line.programme, "funding": line.funding, "unit": line.unit,
        "quantity": str(line.quantity), "unit_price": str(line.unit_price), "amount": str(line.amount),
        "offering": line.offering, "cost_approval": line.cost_approval,
        "entry_date": line.entry_date.isoformat() if line.entry_date else None,
        "exit_date": line.exit_date.isoformat() if line.exit_date else None,
        "exit_reason": line.exit_reason, "refugee": line.refugee,
    }


def line_from_dict(d: dict) -> InvoiceLine:
    return InvoiceLine(
        row=d["row"], period=Period.parse(d["period"]), participant=d["participant"],
        programme=d["programme"], funding=d["funding"], unit=d["unit"],
        quantity=Decimal(d["quantity"]), unit_price=Decimal(d["unit_price"]), amount=Decimal(d["amount"]),
        offering=d.get("offering"), cost_approval=d.get("cost_approval"),
        entry_date=date.fromisoformat(d["entry_date"]) if d.get("entry_date") else None,
        exit_date=date.fromisoformat(d["exit_date"]) if d.get("exit_date") else None,
        exit_reason=d.get("exit_reason"), refugee=bool(d.get("refugee")),
    )


def capacity_row_to_dict(row: CapacityRow) -> dict:
    return {"row": row.row, "period": str(row.period), "programme": row.programme, "offering": row.offering,
            "places": row.places, "occupied": row.occupied, "entries": row.entries, "exits": row.exits,
            "waiting_list": row.waiting_list}


def capacity_row_from_dict(d: dict) -> CapacityRow:
    return CapacityRow(row=d["row"], period=Period.parse(d["period"]), programme=d["programme"],
                       places=d["places"], occupied=d["occupied"], entries=d["entries"], exits=d["exits"],
                       offering=d.get("offering"), waiting_list=d.get("waiting_list"))
