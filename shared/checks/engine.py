"""Runs the check catalogue (domain-rules §4) over one invoice and combines the effects per line.

allowed = 0 if a zeroing check hits, else
          min(allowed quantity × allowed unit price, claimed, amount_mismatch ceiling, monthly cap),
half-up to the centime. Warnings never change it. Pure and deterministic: the result depends on
the lines and their rows, not on the order of the lines in the document.
"""
from __future__ import annotations

from decimal import Decimal

from shared.catalogue import DAY_UNITS, ProgrammeType, Tariff
from shared.checks import line_checks as L
from shared.checks.findings import ERROR, CheckContext, CheckedInvoice, CheckedLine, Finding
from shared.checks.group_checks import (
    CapacityIndex,
    CapGroup,
    QuantityGroup,
    capacity_exceeded,
    capacity_report_missing,
    quantity_limits,
)
from shared.checks.offerings import OfferingIndex
from shared.checks.rules import ORDER
from shared.checks.trace import line_trace
from shared.documents import InvoiceLine, ParsedInvoice
from shared.money import ZERO, to_cents
from shared.periods import Period

_UnitInfo = tuple[Tariff | None, Decimal | None, frozenset[str], ProgrammeType | None]


def line_key(line: InvoiceLine) -> tuple:
    """What may be billed only once: participant, programme, offering, unit and month (rule 1)."""
    return (line.participant, line.programme, line.offering or "", line.unit, str(line.period))


class _Month:
    """The tariff edition in force in one month, and what it says per programme type and unit."""

    __slots__ = ("edition", "text", "future", "_units", "_types")

    def __init__(self, ctx: CheckContext, period: Period, today: Period | None,
                 types: dict[str, ProgrammeType]):
        self.edition = ctx.catalogue.edition_for(period)
        self.text = str(period)
        self.future = today is not None and period > today
        self._units: dict[tuple[str, str], _UnitInfo] = {}
        self._types = types

    def unit(self, programme: str, unit: str) -> _UnitInfo:
        info = self._units.get((programme, unit))
        if info is None:
            edition = self.edition
            billable = edition.billable_units(programme)
            tariff = edition.tariff(programme, unit) if unit in billable else None
            day = edition.tariffs.get((programme, "assignment_day"))
            ptype = edition.programme_types.get(programme) or self._types.get(programme)
            info = (tariff, day.max_price if day else None, billable, ptype)
            self._units[(programme, unit)] = info
        return info


class _State:
    __slots__ = ("line", "claimed", "findings", "zeroed", "quantity", "price", "limited", "mismatch",
                 "value", "ptype")

    def __init__(self, line: InvoiceLine, ptype: ProgrammeType | None):
        self.line = line
        self.ptype = ptype
        self.claimed = to_cents(line.amount)
        self.findings: list[Finding] = []
        self.zeroed = False
        self.quantity = line.quantity
        self.price = line.unit_price
        self.limited = False  # quantity or price limited by a check
        self.mismatch = False
        self.value = ZERO


def _name(ptype: ProgrammeType | None, slug: str) -> str:
    return ptype.name_de if ptype is not None else slug


def check_invoice(parsed: ParsedInvoice, ctx: CheckContext) -> CheckedInvoice:
    lines = parsed.lines
    count = len(lines)
    order = sorted(range(count), key=lambda i: lines[i].row)  # «the later row» = the higher row number
    today = Period.of(ctx.today) if ctx.today is not None else None
    types = dict(ctx.catalogue.programme_types)
    months: dict[Period, _Month] = {}
    offerings = OfferingIndex(ctx.offerings, ctx.provider)
    late = L.late_submission(parsed.period, ctx.received_at, ctx.deadline_day)
    earlier = ctx.earlier_lines
    capacity = CapacityIndex(ctx.capacity) if ctx.capacity is not None else None
    seen: dict[tuple, int] = {}
    quantity_groups: dict[tuple, QuantityGroup] = {}
    capacity_groups: dict[tuple, tuple] = {}
    states: list[_State] = [None] * count  # type: ignore[list-item]

    # 1. Each line on its own, in row order.
    for i in order:
        line = lines[i]
        period = line.period
        month = months.get(period)
        if month is None:
            month = months[period] = _Month(ctx, period, today, types)
        programme, unit = line.programme, line.unit
        tariff, day_price, billable, ptype = month.unit(programme, unit)
        st = states[i] = _State(line, ptype)
        found = st.findings

        if unit not in billable:
            found.append(L.unit_not_billable(line, ptype, billable, month.edition.label))
            st.zeroed = True
        if ptype is not None and ptype.social_assistance_only and line.funding != "social_assistance":
            found.append(L.social_assistance_only(line, ptype))
            st.zeroed = True
        if line.funding == "social_assistance" and not (line.cost_approval or "").strip():
            found.append(L.cost_approval_missing(line))
            st.zeroed = True
        key = (line.participant, programme, line.offering or "", unit, month.text)
        first = seen.get(key)
        if first is None:
            seen[key] = line.row
        if first is not None or key in earlier:
            found.append(L.duplicate_line(key, first, key in earlier))
            st.zeroed = True
        match = offerings.match(programme, line.offering, period)
        finding = L.period_not_billable(line, month.future, match) if (
            month.future or line.entry_date is not None or line.exit_date is not None or not match.covering
        ) else None
        if finding is not None:
            found.append(finding)
            st.zeroed = True
        if not match.covering:
            found.append(L.offering_not_registered(line, match, _name(ptype, programme)))

        if tariff is not None:
            if line.unit_price > tariff.max_price:
                found.append(L.tariff_above_max(unit, line.unit_price, tariff, day_price))
                st.price = tariff.max_price
                st.limited = True
            if match.covering:
                agreed = match.agreed_price(unit, month.edition.rules.reduced_day_factor)
                if agreed is not None and line.unit_price > agreed[0]:
                    found.append(L.tariff_above_agreed(line.unit_price, agreed))
                    if agreed[0] < st.price:
                        st.price = agreed[0]
                    st.limited = True
        if unit == "coaching_hour":
            hit = L.quarter_hour(line)
            if hit is not None:
                found.append(hit[0])
                st.quantity = hit[1]
                st.limited = True
        if abs(line.amount - line.quantity * line.unit_price) > L.TOLERANCE:
            found.append(L.amount_mismatch(line))
            st.mismatch = True
        if late is not None:
            found.append(late)

        if not st.zeroed and (unit in DAY_UNITS or unit == "coaching_hour"):
            limits = quantity_limits(line, month.edition.rules)
            if limits:
                kind = "assignment_day" if unit in DAY_UNITS else unit
                gkey = (line.participant, programme, line.offering or "", period, kind)
                group = quantity_groups.get(gkey)
                if group is None:
                    group = quantity_groups[gkey] = QuantityGroup(kind)
                group.add(i, st.quantity, limits)

        if capacity is not None and period == parsed.period:
            resolved = capacity.resolve(programme, line.offering)
            if resolved is None:
                found.append(capacity_report_missing(programme, _name(ptype, programme), line.offering,
                                                     period))
            else:
                cgroup = capacity_groups.get(resolved[0])
                if cgroup is None:
                    cgroup = capacity_groups[resolved[0]] = (resolved[1], set(), [])
                cgroup[1].add(line.participant)
                cgroup[2].append(i)

    # 2. Quantity limits over a participant's lines of one offering and month (rules 2, 3, 6).
    for group in quantity_groups.values():
        resolved_q = group.resolve()
        if resolved_q is None:
            continue
        group_findings, shares = resolved_q
        for i, allowed_quantity in shares:
            st = states[i]
            st.findings.extend(group_findings)
            st.quantity = allowed_quantity
            st.limited = True

    # 3. The line's amount: quantity × price, the claimed amount, the amount_mismatch ceiling.
    cap_groups: dict[tuple, CapGroup] = {}
    for i in order:
        st = states[i]
        if st.zeroed:
            continue
        line = st.line
        if st.limited:
            value = to_cents(st.quantity * st.price)
            if st.claimed < value:
                value = st.claimed
        else:
            value = st.claimed
        if st.mismatch:
            computed = to_cents(line.quantity * line.unit_price)
            if computed < value:
                value = computed
        if value < ZERO:
            value = ZERO
        st.value = value
        tariff = months[line.period].unit(line.programme, line.unit)[0]
        if tariff is not None and tariff.monthly_cap is not None:
            kind = "assignment_day" if line.unit in DAY_UNITS else line.unit
            ckey = (line.participant, line.programme, line.period, kind)
            cap = cap_groups.get(ckey)
            if cap is None:
                cap = cap_groups[ckey] = CapGroup(tariff.monthly_cap)
            cap.add(i, value)

    # 4. Monthly caps per participant (Suchthilfe Stundenlohn).
    for (participant, programme, period, _), cap in cap_groups.items():
        resolved_c = cap.resolve(_name(states[cap.members[0][0]].ptype, programme), participant, period)
        if resolved_c is None:
            continue
        finding, shares = resolved_c
        for i, amount in shares:
            states[i].findings.append(finding)
            states[i].value = amount

    # 5. Capacity: more participants billed than places reported occupied (a warning).
    for (programme, code), (row, participants, members) in capacity_groups.items():
        st0 = states[members[0]]
        finding_c = capacity_exceeded(len(participants), row, _name(st0.ptype, programme), code,
                                      parsed.period)
        if finding_c is not None:
            for i in members:
                states[i].findings.append(finding_c)

    # 6. The checked lines, in the document's order.
    checked: list[CheckedLine] = []
    for st in states:
        found = st.findings
        if len(found) > 1:
            found.sort(key=lambda f: ORDER[f.code])
        line = st.line
        allowed = ZERO if st.zeroed else st.value
        errors = [f for f in found if f.severity == ERROR] if found else found
        trace = line_trace(unit=line.unit, quantity=line.quantity, unit_price=line.unit_price,
                           claimed=st.claimed, allowed_quantity=st.quantity, allowed_price=st.price,
                           allowed=allowed, findings=errors, zeroed=st.zeroed)
        checked.append(CheckedLine(line, st.claimed, allowed, tuple(found), trace))

    return CheckedInvoice(parsed.period, ctx.catalogue.edition_for(parsed.period).label, tuple(checked))
