"""Offline (`ami check`) the register is unknown: no offering_not_registered, everything else as usual."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.checks import CheckContext, check_invoice
from shared.kernel.periods import Period
from shared.register.domain.catalogue import load_default_catalogue
from shared.submissions.domain.documents import InvoiceLine, ParsedInvoice


def parsed(qty: str, price: str) -> ParsedInvoice:
    q, p = Decimal(qty), Decimal(price)
    line = InvoiceLine(row=2, period=Period(2025, 3), participant="Q-1", programme="qualifizierung",
                       funding="self_payer", unit="assignment_day", quantity=q, unit_price=p, amount=q * p)
    return ParsedInvoice(Period(2025, 3), (line,))


def codes(result) -> set[str]:
    return {f.code for line in result.lines for f in line.findings}


def test_unknown_register_gives_no_offering_warning():
    cat = load_default_catalogue()
    offline = check_invoice(parsed("21.7", "80.00"), CheckContext("regiomech", cat, offerings=None, today=date(2025, 4, 3)))
    assert codes(offline) == set()
    empty = check_invoice(parsed("21.7", "80.00"), CheckContext("regiomech", cat, offerings=(), today=date(2025, 4, 3)))
    assert codes(empty) == {"offering_not_registered"}


def test_unknown_register_still_checks_the_rules():
    cat = load_default_catalogue()
    result = check_invoice(parsed("23", "85.00"), CheckContext("regiomech", cat, offerings=None, today=date(2025, 4, 3)))
    assert codes(result) == {"days_above_month", "tariff_above_max"}
    assert result.lines[0].allowed == Decimal("1736.00")
