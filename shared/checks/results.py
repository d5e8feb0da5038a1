"""The last pass: every checked line in the document's order, with its findings, allowed amount and trace.

A line without any finding whose amount is quantity × unit price is built on a fast path; lines with the
same figures and the same findings share one trace.
"""
from __future__ import annotations

from decimal import Decimal

from shared.checks.allowed import product
from shared.checks.findings import ERROR, CheckedInvoice, CheckedLine, Finding
from shared.checks.rules import ORDER
from shared.checks.run import CheckRun
from shared.checks.trace import chf, line_trace, units_de
from shared.kernel.money import to_cents


def _order(finding: Finding) -> int:
    return ORDER[finding.code]


def checked_invoice(run: CheckRun, edition: str | None, approval_usage: dict | None = None) -> CheckedInvoice:
    clean: dict[tuple, tuple[Decimal, tuple[str, ...]]] = {}
    traces: dict[tuple, tuple[str, ...]] = {}
    checked: list[CheckedLine] = []
    append = checked.append
    build = CheckedLine.build
    notices = run.document_notices
    states, warnings = run.states, run.warnings
    cents: dict[Decimal, Decimal] = {}  # the same amounts recur on thousands of lines
    for i, line in enumerate(run.lines):
        st = states[i]
        noted = warnings[i]
        claimed = cents.get(line.amount)
        if claimed is None:
            claimed = cents[line.amount] = to_cents(line.amount)
        if st is None:
            ckey = (line.unit, line.quantity, line.unit_price)
            hit = clean.get(ckey)
            if hit is None:
                amount = product(line.quantity, line.unit_price)
                text = f"{units_de(line.quantity, line.unit)} × {chf(line.unit_price)} = {chf(amount)}"
                hit = clean[ckey] = (amount, (text,))
            if hit[0] == claimed:  # min(quantity × price, claimed) is the claimed amount: allowed in full
                if noted is None:
                    append(build(line, claimed, claimed, notices, hit[1]))
                else:  # warnings come in the catalogue's order: not registered, capacity, late
                    append(build(line, claimed, claimed, (*noted, *notices), hit[1]))
                continue
            st = run.state(i)
        found = st.findings
        if noted is not None:
            found.extend(noted)
        found.extend(notices)
        if len(found) > 1:
            found.sort(key=_order)
        allowed = st.allowed(claimed)
        errors = [f for f in found if f.severity == ERROR]
        # Lines with the same figures and the same findings have the same trace. (Findings are
        # compared by identity: all of them stay alive until the end of the check.)
        tkey = (line.unit, line.quantity, line.unit_price, claimed, st.quantity, st.price, allowed, st.zeroed,
                *map(id, errors))
        trace = traces.get(tkey)
        if trace is None:
            trace = traces[tkey] = line_trace(
                unit=line.unit, quantity=line.quantity, unit_price=line.unit_price, claimed=claimed,
                allowed_quantity=st.quantity, allowed_price=st.price, allowed=allowed, findings=errors,
                zeroed=st.zeroed)
        append(build(line, claimed, allowed, tuple(found), trace))
    return CheckedInvoice(run.parsed.period, edition, tuple(checked), approval_usage or {})
