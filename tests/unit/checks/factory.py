"""Small builders for invoices, offerings and contexts in the check tests."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.checks import CheckContext
from shared.kernel.periods import Period
from shared.register.domain.catalogue import load_default_catalogue
from shared.register.domain.offering import OfferingTerms
from shared.submissions.domain.documents import CapacityRow, InvoiceLine, ParsedInvoice

CATALOGUE = load_default_catalogue()
PROVIDER = "regiomech"
MARCH = Period(2025, 3)  # 21 working days
D = Decimal


def line(row: int = 2, *, period: Period = MARCH, participant: str = "B-0017",
         programme: str = "qualifizierung", unit: str = "assignment_day", quantity: str | Decimal = "21.7",
         unit_price: str | Decimal = "80.00",
         amount: str | Decimal | None = None, funding: str = "self_payer", offering: str | None = None,
         cost_approval: str | None = None, entry_date: date | None = None, exit_date: date | None = None,
         exit_reason: str | None = None) -> InvoiceLine:
    q, p = D(quantity), D(unit_price)
    a = D(amount) if amount is not None else (q * p).quantize(D("0.01"))
    return InvoiceLine(row=row, period=period, participant=participant, programme=programme, funding=funding,
                       unit=unit, quantity=q, unit_price=p, amount=a, offering=offering,
                       cost_approval=cost_approval, entry_date=entry_date, exit_date=exit_date,
                       exit_reason=exit_reason)


def invoice(*lines: InvoiceLine, period: Period | None = None) -> ParsedInvoice:
    return ParsedInvoice(period=period or (lines[0].period if lines else MARCH), lines=tuple(lines))


def offering(programme: str = "qualifizierung", code: str = "RM-Q1", *, provider: str = PROVIDER,
             valid_from: date = date(2024, 1, 1), valid_to: date | None = None,
             agreed: dict[str, str] | None = None, places: int = 12) -> OfferingTerms:
    return OfferingTerms(provider=provider, programme_type=programme, code=code, name=f"{programme} {code}",
                         places=places, valid_from=valid_from, valid_to=valid_to,
                         agreed_tariffs={u: D(p) for u, p in (agreed or {}).items()})


ALL_TYPES = ("integration-arbeit", "coaching", "qualifizierung", "jugendprogramm", "beschaeftigung-1",
             "beschaeftigung-1-r", "traumaprogramm", "beschaeftigung-2", "suchthilfe-stundenlohn", "teillohn")
# One open offering per programme type: no offering_not_registered warning on a clean line.
REGISTERED = tuple(offering(t, f"RM-{i}") for i, t in enumerate(ALL_TYPES))


def ctx(**kwargs) -> CheckContext:
    kwargs.setdefault("provider", PROVIDER)
    kwargs.setdefault("catalogue", CATALOGUE)
    kwargs.setdefault("offerings", REGISTERED)
    return CheckContext(**kwargs)


def capacity_row(programme: str = "qualifizierung", offering: str | None = None, *, occupied: int = 10,
                 places: int = 12, period: Period = MARCH) -> CapacityRow:
    return CapacityRow(row=2, period=period, programme=programme, places=places, occupied=occupied, entries=0,
                       exits=0, offering=offering)


def check(*lines: InvoiceLine, period: Period | None = None, **context):
    """check_invoice over these lines with the default context (changed by keyword)."""
    from shared.checks import check_invoice

    return check_invoice(invoice(*lines, period=period), ctx(**context))


def codes(checked_line) -> list[str]:
    return [f.code for f in checked_line.findings]


def only(checked_line, code: str):
    """The one finding of that code on the line."""
    found = [f for f in checked_line.findings if f.code == code]
    assert len(found) == 1, checked_line.findings
    return found[0]
