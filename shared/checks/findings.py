"""The result types of the billing checks: findings, checked lines and invoices, and the context."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache

from shared.costapprovals.domain.terms import ApprovalTerms, Usage
from shared.kernel.money import ZERO, amount_str, quantity_str
from shared.kernel.periods import Period
from shared.register.domain.catalogue import Catalogue
from shared.register.domain.offering import OfferingTerms
from shared.submissions.domain.deadlines import DEFAULT_TIMEZONE
from shared.submissions.domain.documents import CapacityRow, InvoiceLine

_new = object.__new__


def _amount(value: Decimal) -> str:
    """amount_str, without the formatting work for a value already in centimes."""
    text = str(value)
    if text[-3:-2] == "." and "E" not in text:
        return text
    return amount_str(value)


@lru_cache(maxsize=4096)
def _quantity(value: Decimal) -> str:
    return quantity_str(value)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One result of one check on one invoice line (domain-rules §4)."""

    code: str
    severity: str  # "error" | "warning"
    rule: str  # e.g. "Regel 2", "§2"
    message: str  # German, with the figures
    figures: Mapping[str, str] = field(default_factory=dict, hash=False)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "rule": self.rule, "message": self.message,
                "figures": dict(self.figures)}


@dataclass(frozen=True)
class CheckedLine:
    line: InvoiceLine
    claimed: Decimal
    allowed: Decimal
    findings: tuple[Finding, ...] = ()
    trace: tuple[str, ...] = ()

    @classmethod
    def build(cls, line: InvoiceLine, claimed: Decimal, allowed: Decimal, findings: tuple[Finding, ...],
              trace: tuple[str, ...]) -> CheckedLine:
        """The same as CheckedLine(...) at half the cost (the engine builds 100,000s of them)."""
        obj = _new(cls)
        obj.__dict__.update(line=line, claimed=claimed, allowed=allowed, findings=findings, trace=trace)
        return obj

    @property
    def reduction(self) -> Decimal:
        return self.claimed - self.allowed

    def as_dict(self) -> dict:
        """The line as the API shows it (api.md): amounts as strings with two decimals."""
        line = self.line
        return {
            "row": line.row,
            "participant": line.participant,
            "programme": line.programme,
            "offering": line.offering,
            "funding": line.funding,
            "unit": line.unit,
            "quantity": _quantity(line.quantity),
            "unit_price": _amount(line.unit_price),
            "claimed": _amount(self.claimed),
            "allowed": _amount(self.allowed),
            "reduction": _amount(self.claimed - self.allowed),
            "findings": [f.as_dict() for f in self.findings],
            "trace": list(self.trace),
        }


@dataclass(frozen=True)
class CheckedInvoice:
    period: Period
    edition: str | None  # label of the tariff edition in force in the invoice's month (None: none in force)
    lines: tuple[CheckedLine, ...]
    # per approval_key named by a social-assistance line: what this invoice uses of that Kostengutsprache
    approval_usage: Mapping[str, Usage] = field(default_factory=dict)

    @cached_property
    def _sums(self) -> tuple[Decimal, Decimal]:
        return sum((cl.claimed for cl in self.lines), ZERO), sum((cl.allowed for cl in self.lines), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        """claimed, allowed and reduction: the sums of the lines, exact to the centime."""
        claimed, allowed = self._sums
        return {"claimed": claimed, "allowed": allowed, "reduction": claimed - allowed}

    @property
    def findings(self) -> tuple[tuple[int, Finding], ...]:
        """Every finding with its line's row, in line order."""
        return tuple((cl.line.row, f) for cl in self.lines for f in cl.findings)

    def as_dict(self) -> dict:
        return {
            "period": str(self.period),
            "edition": self.edition,
            "totals": {k: amount_str(v) for k, v in self.totals.items()},
            "lines": [cl.as_dict() for cl in self.lines],
        }


@dataclass(frozen=True)
class CheckContext:
    """Everything the checks need besides the invoice itself; the checks never read a store."""

    provider: str
    catalogue: Catalogue
    offerings: tuple[OfferingTerms, ...] | None = ()  # None: the register is not known (offline check)
    today: date | None = None  # for «month in the future»; None = not checked
    received_at: datetime | None = None  # for late_submission; None = not checked
    deadline_day: int = 10  # of the month after the invoice's month (shared.submissions.domain.deadlines)
    timezone: str = DEFAULT_TIMEZONE  # the local date of a receipt is counted there (AMI_TIMEZONE)
    earlier_lines: frozenset = frozenset()  # line_key()s of this provider's other accepted invoices
    # (programme slug, offering code or None) -> this month's capacity row; None = unknown, not checked
    capacity: Mapping[tuple[str, str | None], CapacityRow] | None = None
    # the provider's Kostengutsprachen by approval_key (None or empty: none recorded, only rule 7's reference is
    # checked), what the provider's other invoices use of them, and how a line's participant number compares
    # with ApprovalTerms.participant (the application: the participant's pseudonym)
    cost_approvals: Mapping[str, ApprovalTerms] | None = None
    approval_used: Mapping[str, Usage] | None = None
    participant_key: Callable[[str], str] | None = None
    approval_key: Callable[[str], str] | None = None  # how the book knows a line's reference (default approval_key)
