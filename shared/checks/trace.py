"""German wording shared by the checks, and the calculation trace a provider reads for each line.

The trace is one or more sentences; the last one always ends with the allowed amount, e.g.
«21.7 Einsatztage × CHF 80.00 = CHF 1’736.00».
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache

from shared.checks.allowed import limited_amount
from shared.checks.findings import Finding
from shared.checks.rules import APPROVAL, CAP, CEILING, PRICE, QUANTITY, RULES, ZERO
from shared.kernel.money import format_chf, quantity_str
from shared.kernel.periods import format_date_de
from shared.register.domain.catalogue import UNIT_NAMES_DE

_PLURAL_DE = {
    "assignment_day": "Einsatztage",
    "reduced_day": "Einsatztage unter 4 Stunden",
    "coaching_hour": "Coachingstunden",
    "hour_worked": "Arbeitsstunden",
}
_SINGULAR_DE = {**UNIT_NAMES_DE, "reduced_day": "Einsatztag unter 4 Stunden"}
ONE = Decimal(1)


@lru_cache(maxsize=65536)
def chf(value: Decimal) -> str:
    """format_chf, cached: the same prices and amounts recur on thousands of lines."""
    return format_chf(value)


@lru_cache(maxsize=65536)
def qty(value: Decimal) -> str:
    return quantity_str(value)


def unit_name_de(unit: str, *, plural: bool = True) -> str:
    return (_PLURAL_DE if plural else _SINGULAR_DE).get(unit, unit)


def units_de(quantity: Decimal, unit: str) -> str:
    """«21.7 Einsatztage», «1 Coachingstunde»."""
    names = _SINGULAR_DE if quantity == ONE else _PLURAL_DE
    return f"{qty(quantity)} {names.get(unit, unit)}"


def date_de(day: date) -> str:
    return format_date_de(day)


def _step(f: Finding) -> str:
    return f"{f.message} ({f.rule})"


def line_trace(*, unit: str, quantity: Decimal, unit_price: Decimal, claimed: Decimal,
               allowed_quantity: Decimal, allowed_price: Decimal, allowed: Decimal,
               findings: Sequence[Finding], zeroed: bool) -> tuple[str, ...]:
    """The calculation of one line, in the order the limits combine (domain-rules §4; allowed.py)."""
    if not findings:
        product = limited_amount(claimed, quantity, unit_price)[0]
        step = f"{units_de(quantity, unit)} × {chf(unit_price)} = {chf(product)}"
        if product == allowed:
            return (step,)
        return step, f"Verrechneter Betrag (Rundung bis CHF 0.01): {chf(allowed)}"

    effects = [(f, RULES[f.code].effect if f.code in RULES else None) for f in findings]
    steps: list[str] = []
    if zeroed:
        steps.extend(_step(f) for f, e in effects if e != ZERO and e is not None and f.severity == "error")
        steps.extend(_step(f) for f, e in effects if e == ZERO)
        steps.append(f"Zulässiger Betrag: {chf(allowed)}")
        return tuple(steps)

    steps.extend(_step(f) for f, e in effects if e == PRICE)
    product, value = limited_amount(claimed, allowed_quantity, allowed_price)
    quantity_steps = [_step(f) for f, e in effects
                      if e == QUANTITY or (e == APPROVAL and f.figures.get("kind") == "quantity")]
    if quantity_steps:
        steps.append(f"{'; '.join(quantity_steps)}: {qty(allowed_quantity)} × {chf(allowed_price)}"
                     f" = {chf(product)}")
    else:
        steps.append(f"{units_de(allowed_quantity, unit)} × {chf(allowed_price)} = {chf(product)}")
    ceilings = [f for f, e in effects if e == CEILING]
    steps.extend(f"{_step(f)}: {chf(value)}" for f in ceilings)
    if not ceilings and claimed < product:
        steps.append(f"Höchstens der verrechnete Betrag: {chf(claimed)}")
    for f, e in effects:
        if e == CAP or (e == APPROVAL and f.figures.get("kind") == "amount"):
            steps.append(f"{_step(f)}: {chf(allowed)}")
    if not steps[-1].endswith(chf(allowed)):
        steps.append(f"Zulässiger Betrag: {chf(allowed)}")
    return tuple(steps)
