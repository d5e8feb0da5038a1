"""Runs the check catalogue (domain-rules §4) over one invoice and combines the effects per line.

allowed = 0 if a zeroing check hits, else
          min(allowed quantity × allowed unit price, claimed, amount_mismatch ceiling, monthly cap),
half-up to the centime. Warnings never change it. Pure and deterministic: the result depends on
the lines and their rows, not on the order of the lines in the document.

Speed: one pass over the lines in row order does every single-line check and adds each line to
its groups (a participant's days per offering-month, monthly caps, capacity); the groups are then
resolved once each. A line without any finding has no working state and is built on a fast path.
"""
from __future__ import annotations

import gc
from decimal import Decimal

from shared.checks import line_checks as L
from shared.checks.findings import ERROR, CheckContext, CheckedInvoice, CheckedLine, Finding
from shared.checks.group_checks import (
    CapacityIndex,
    CapGroup,
    allocate,
    capacity_exceeded,
    capacity_report_missing,
    full_month_limit,
    merge_limits,
    quantity_limits,
    resolve_group,
)
from shared.checks.offerings import OfferingIndex, OfferingMatch
from shared.checks.rules import ORDER
from shared.checks.trace import chf, line_trace, units_de
from shared.kernel.money import QUARTER, ZERO, to_cents
from shared.kernel.periods import Period
from shared.register.domain.catalogue import DAY_UNITS, BillingRules, ProgrammeType, Tariff
from shared.register.domain.offering import OfferingTerms
from shared.submissions.domain.deadlines import Deadlines
from shared.submissions.domain.documents import InvoiceLine, ParsedInvoice

_UnitInfo = tuple[Tariff | None, Decimal | None, frozenset[str], ProgrammeType | None]
# the unit's info, then the offerings the line may belong to and their agreed tariff for the unit
_Terms = tuple[Tariff | None, Decimal | None, frozenset[str], ProgrammeType | None, OfferingMatch,
               tuple[Decimal, OfferingTerms] | None]
_TOLERANCE = L.TOLERANCE


def line_key(line: InvoiceLine) -> tuple:
    """What may be billed only once: participant, programme, offering, unit and month (rule 1)."""
    return (line.participant, line.programme, line.offering or "", line.unit, str(line.period))


class _Month:
    """One month of the invoice: the tariff edition in force and what it says, the offerings."""

    __slots__ = ("period", "edition", "rules", "text", "future", "first", "last", "full_month", "_units",
                 "_types", "_offerings", "_terms", "_not_registered")

    def __init__(self, ctx: CheckContext, period: Period, today: Period | None,
                 types: dict[str, ProgrammeType], offerings: OfferingIndex):
        self.period = period
        self.edition = ctx.catalogue.edition_for(period)
        self.rules: BillingRules = self.edition.rules
        self.text = str(period)
        self.future = today is not None and period > today
        self.first, self.last = period.first_day, period.last_day
        self.full_month = full_month_limit(self.rules)
        self._units: dict[tuple[str, str], _UnitInfo] = {}
        self._types = types
        self._offerings = offerings
        self._terms: dict[tuple[str, str, str | None], _Terms] = {}
        self._not_registered: dict[tuple[str, str | None], Finding] = {}

    def unit(self, programme: str, unit: str) -> _UnitInfo:
        """The maximum tariff, the day's maximum, the billable units and the programme type."""
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

    def terms(self, programme: str, unit: str, code: str | None) -> _Terms:
        """unit(), and the provider's offerings the line may belong to with their agreed tariff."""
        found = self._terms.get((programme, unit, code))
        if found is None:
            match = self._offerings.match(programme, code, self.period)
            agreed = match.agreed_price(unit, self.rules.reduced_day_factor) if match.covering else None
            found = self._terms[(programme, unit, code)] = (*self.unit(programme, unit), match, agreed)
        return found


    def not_registered(self, line: InvoiceLine, match: OfferingMatch, ptype: ProgrammeType | None) -> Finding:
        """The warning offering_not_registered (the same one for every line of that offering)."""
        found = self._not_registered.get((line.programme, line.offering))
        if found is None:
            found = L.offering_not_registered(line, match, _name(ptype, line.programme))
            self._not_registered[(line.programme, line.offering)] = found
        return found  # type: ignore[return-value]


class _State:
    """The working state of a line with at least one finding (clean lines have none)."""

    __slots__ = ("findings", "zeroed", "quantity", "price", "limited", "mismatch", "value")

    def __init__(self, line: InvoiceLine):
        self.findings: list[Finding] = []
        self.zeroed = False
        self.quantity = line.quantity
        self.price = line.unit_price
        self.limited = False  # quantity or unit price limited by a check
        self.mismatch = False
        self.value: Decimal | None = None  # the amount before the zeroing checks, once computed


def _order(finding: Finding) -> int:
    return ORDER[finding.code]


def _name(ptype: ProgrammeType | None, slug: str) -> str:
    return ptype.name_de if ptype is not None else slug


def _amount(line: InvoiceLine, st: _State) -> Decimal:
    """min(allowed quantity × allowed price, claimed, the amount_mismatch ceiling), not below 0."""
    claimed = to_cents(line.amount)
    value = claimed
    if st.limited:
        value = to_cents(st.quantity * st.price)
        if claimed < value:
            value = claimed
    if st.mismatch:
        computed = to_cents(line.quantity * line.unit_price)
        if computed < value:
            value = computed
    return value if value > ZERO else ZERO


def check_invoice(parsed: ParsedInvoice, ctx: CheckContext) -> CheckedInvoice:
    """Check every line of the invoice against the edition in force in its month (domain-rules §4)."""
    # The check allocates a few objects per line and frees none of them: the cyclic garbage collector
    # would only walk the growing heap again and again (a third of the time at 100,000 lines).
    if len(parsed.lines) < 5000 or not gc.isenabled():
        return _check(parsed, ctx)
    gc.disable()
    try:
        return _check(parsed, ctx)
    finally:
        gc.enable()


def _check(parsed: ParsedInvoice, ctx: CheckContext) -> CheckedInvoice:
    lines = parsed.lines
    count = len(lines)
    rows = [line.row for line in lines]
    order = sorted(range(count), key=rows.__getitem__)  # «the later row» = the higher row number
    today = Period.of(ctx.today) if ctx.today is not None else None
    types = dict(ctx.catalogue.programme_types)
    register_known = ctx.offerings is not None  # offline (`ami check`) the register is unknown
    offerings = OfferingIndex(ctx.offerings or (), ctx.provider)
    months: dict[Period, _Month] = {}
    late = L.late_submission(parsed.period, ctx.received_at, Deadlines(ctx.deadline_day, ctx.timezone))
    earlier = ctx.earlier_lines
    capacity = CapacityIndex(ctx.capacity) if ctx.capacity is not None else None
    seen: dict[tuple, int] = {}
    states: list[_State | None] = [None] * count
    line_months: list[_Month] = [None] * count  # type: ignore[list-item]
    group_keys: list[tuple | None] = [None] * count  # the line's quantity group, if it is in one
    group_totals: dict[tuple, Decimal] = {}
    # the groups that may be above a limit: above rule 2's 21.7 days, or with a limit of rules 3 or 6
    group_limits: dict[tuple, dict] = {}
    capped: list[int] = []  # lines under a tariff with a monthly cap
    capacity_groups: dict[tuple, tuple] = {}
    last_period: Period | None = None
    month: _Month = None  # type: ignore[assignment]
    terms_get = None

    warnings: list[list[Finding] | None] = [None] * count  # warnings never need a working state
    no_report: dict[tuple[str, str | None], Finding] = {}
    shared: dict[tuple, Finding] = {}  # findings that are the same on many lines

    def warn(i: int, finding: Finding) -> None:
        found = warnings[i]
        if found is None:
            warnings[i] = [finding]
        else:
            found.append(finding)

    def state(i: int) -> _State:
        st = states[i]
        if st is None:
            st = states[i] = _State(lines[i])
        return st

    # 1. Each line on its own, in row order; add it to its groups.
    for i in order:
        line = lines[i]
        period = line.period
        if period is not last_period:
            month = months.get(period)  # type: ignore[assignment]
            if month is None:
                month = months[period] = _Month(ctx, period, today, types, offerings)
            last_period = period
            terms_get = month._terms.get
        line_months[i] = month
        programme, unit, price, code = line.programme, line.unit, line.unit_price, line.offering
        terms = terms_get((programme, unit, code))  # type: ignore[misc]
        if terms is None:
            terms = month.terms(programme, unit, code)
        tariff, day_price, billable, ptype, match, agreed = terms

        zero: list[Finding] = []
        if unit not in billable:
            zero.append(L.unit_not_billable(line, ptype, billable, month.edition.label))
        funding = line.funding
        if ptype is not None and ptype.social_assistance_only and funding != "social_assistance":
            zero.append(L.social_assistance_only(line, ptype))
        if funding == "social_assistance" and not (line.cost_approval or "").strip():
            zero.append(L.cost_approval_missing(line))
        key = (line.participant, programme, code or "", unit, month.text)
        first = seen.get(key)
        if first is None:
            seen[key] = line.row
        if first is not None or key in earlier:
            zero.append(L.duplicate_line(line, _name(ptype, programme), first, key in earlier))
        special = line.entry_date is not None or line.exit_date is not None
        if not match.covering and register_known:
            warnings[i] = [month.not_registered(line, match, ptype)]  # the line's first warning
            if match.candidates:  # the provider has such an offering, but not for this month
                special = True
        if special or month.future:
            finding = L.period_not_billable(line, month.future, match)
            if finding is not None:
                zero.append(finding)
        if zero:
            st = state(i)
            st.findings.extend(zero)
            st.zeroed = True

        if tariff is not None:
            if price > tariff.max_price:
                st = state(i)
                ckey = (tariff, price, day_price)  # the same finding for every line at that price
                finding = shared.get(ckey)
                if finding is None:
                    finding = shared[ckey] = L.tariff_above_max(unit, price, tariff, day_price)
                st.findings.append(finding)
                st.price = tariff.max_price
                st.limited = True
            if agreed is not None and price > agreed[0]:
                st = state(i)
                ckey = (id(agreed[1]), agreed[0], price)  # offering (alive in ctx), agreed tariff, price
                finding = shared.get(ckey)
                if finding is None:
                    finding = shared[ckey] = L.tariff_above_agreed(price, agreed)
                st.findings.append(finding)
                if agreed[0] < st.price:
                    st.price = agreed[0]
                st.limited = True
            if tariff.monthly_cap is not None and not zero:
                capped.append(i)
        quantity = line.quantity
        if unit == "coaching_hour" and quantity % QUARTER:
            hit = L.quarter_hour(line)
            if hit is not None:
                st = state(i)
                st.findings.append(hit[0])
                st.quantity = quantity = hit[1]
                st.limited = True
        if abs(line.amount - line.quantity * price) > _TOLERANCE:
            st = state(i)
            st.findings.append(L.amount_mismatch(line))
            st.mismatch = True

        if not zero and (unit in DAY_UNITS or unit == "coaching_hour"):
            kind = "assignment_day" if unit in DAY_UNITS else unit
            gkey = (line.participant, programme, code or "", month, kind)
            group_keys[i] = gkey
            total = group_totals.get(gkey)
            total = group_totals[gkey] = quantity if total is None else total + quantity
            if kind == "assignment_day" and total > month.full_month[1]:
                group_limits.setdefault(gkey, {})
            if line.entry_date is not None or line.exit_date is not None or line.exit_reason is not None:
                limits = quantity_limits(line, month.rules, month.first, month.last)
                if limits:
                    merge_limits(group_limits.setdefault(gkey, {}), limits)

        if capacity is not None and period == parsed.period:
            resolved = capacity.resolve(programme, code)
            if resolved is None:
                missing = no_report.get((programme, code))
                if missing is None:
                    missing = no_report[(programme, code)] = capacity_report_missing(
                        programme, _name(ptype, programme), code, period)
                warn(i, missing)
            else:
                cgroup = capacity_groups.get(resolved[0])
                if cgroup is None:
                    cgroup = capacity_groups[resolved[0]] = (resolved[1], set(), [])
                cgroup[1].add(line.participant)
                cgroup[2].append(i)

    # 2. Quantity limits over a participant's lines of one offering and month (rules 2, 3, 6).
    exceeding: dict[tuple, tuple[list[Finding], Decimal, Decimal]] = {}
    for gkey, limits in group_limits.items():
        total = group_totals[gkey]
        if gkey[4] == "assignment_day":
            merge_limits(limits, [gkey[3].full_month])
        resolved_q = resolve_group(total, limits, gkey[4])
        if resolved_q is not None:
            exceeding[gkey] = (resolved_q[0], resolved_q[1], total)
    if exceeding:
        members: dict[tuple, list[tuple[int, Decimal]]] = {gkey: [] for gkey in exceeding}
        for i in order:
            gkey = group_keys[i]
            if gkey is not None and gkey in members:
                st = states[i]
                members[gkey].append((i, lines[i].quantity if st is None else st.quantity))
        for gkey, (group_findings, effective, total) in exceeding.items():
            for i, allowed_quantity in allocate(members[gkey], effective, total):
                st = state(i)
                st.findings.extend(group_findings)
                st.quantity = allowed_quantity
                st.limited = True

    # 3. Monthly caps per participant (Suchthilfe Stundenlohn), on the amounts after 1 and 2.
    cap_groups: dict[tuple, CapGroup] = {}
    for i in capped:
        line = lines[i]
        st = states[i]
        value = to_cents(line.amount) if st is None else _amount(line, st)
        if st is not None:
            st.value = value
        kind = "assignment_day" if line.unit in DAY_UNITS else line.unit
        ckey = (line.participant, line.programme, line_months[i], kind)
        cap = cap_groups.get(ckey)
        if cap is None:
            cap = cap_groups[ckey] = CapGroup(line_months[i].unit(line.programme, line.unit)[0].monthly_cap)
        cap.add(i, value)
    for (participant, programme, cap_month, _), cap in cap_groups.items():
        ptype = cap_month.unit(programme, lines[cap.members[0][0]].unit)[3]
        resolved_c = cap.resolve(_name(ptype, programme), participant, cap_month.period)
        if resolved_c is None:
            continue
        finding, shares = resolved_c
        for i, amount in shares:
            st = state(i)
            st.findings.append(finding)
            st.value = amount

    # 4. Capacity: more participants billed than places reported occupied (a warning).
    for (programme, code), (row, participants, cmembers) in capacity_groups.items():
        first_i = cmembers[0]
        name = _name(line_months[first_i].unit(programme, lines[first_i].unit)[3], programme)
        finding_c = capacity_exceeded(len(participants), row, name, code, parsed.period)
        if finding_c is not None:
            for i in cmembers:
                warn(i, finding_c)

    # 5. The checked lines, in the document's order.
    clean: dict[tuple, tuple[Decimal, tuple[str, ...]]] = {}
    no_findings: tuple[Finding, ...] = ()
    traces: dict[tuple, tuple[str, ...]] = {}
    checked: list[CheckedLine] = []
    append = checked.append
    build = CheckedLine.build
    for i, line in enumerate(lines):
        st = states[i]
        noted = warnings[i]
        claimed = to_cents(line.amount)
        if st is None:
            ckey = (line.unit, line.quantity, line.unit_price)
            hit = clean.get(ckey)
            if hit is None:
                product = to_cents(line.quantity * line.unit_price)
                text = f"{units_de(line.quantity, line.unit)} × {chf(line.unit_price)} = {chf(product)}"
                hit = clean[ckey] = (product, (text,))
            if hit[0] == claimed:
                if noted is None:
                    append(build(line, claimed, claimed, no_findings if late is None else (late,), hit[1]))
                else:  # warnings come in the catalogue's order: not registered, capacity, late
                    if late is not None:
                        noted.append(late)
                    append(build(line, claimed, claimed, tuple(noted), hit[1]))
                continue
            st = state(i)
        found = st.findings
        if noted is not None:
            found.extend(noted)
        if late is not None:
            found.append(late)
        if len(found) > 1:
            found.sort(key=_order)
        if st.zeroed:
            allowed = ZERO
        elif st.value is not None:
            allowed = st.value
        else:
            allowed = _amount(line, st)
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

    return CheckedInvoice(parsed.period, ctx.catalogue.edition_for(parsed.period).label, tuple(checked))
