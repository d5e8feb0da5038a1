"""The passes after the line pass, over the groups it filled: quantity limits (rules 2, 3, 6), monthly caps,
capacity. What each group check finds is in group_checks; here it is applied to the group's lines."""
from __future__ import annotations

from decimal import Decimal

from shared.checks import line_checks as L
from shared.checks.allowed import limited_amount
from shared.checks.findings import Finding
from shared.checks.group_checks import (
    CapGroup,
    allocate,
    capacity_exceeded,
    cost_approval_exceeded,
    merge_limits,
    resolve_group,
)
from shared.checks.run import CheckRun
from shared.costapprovals.domain.terms import NOTHING, Usage, approval_key
from shared.kernel.money import ZERO, to_cents
from shared.register.domain.catalogue import DAY_UNITS, name_de


def limit_quantities(run: CheckRun) -> None:
    """A participant's lines of one offering and month over a limit: the excess taken off pro rata."""
    exceeding: dict[tuple, tuple[list[Finding], Decimal, Decimal]] = {}
    for gkey, limits in run.group_limits.items():
        total = run.group_totals[gkey]
        if gkey[4] == "assignment_day":
            merge_limits(limits, [gkey[3].full_month])
        resolved = resolve_group(total, limits, gkey[4])
        if resolved is not None:
            exceeding[gkey] = (resolved[0], resolved[1], total)
    if not exceeding:
        return
    members: dict[tuple, list[tuple[int, Decimal]]] = {gkey: [] for gkey in exceeding}
    lines, states, group_keys = run.lines, run.states, run.group_keys
    for i in run.order:
        gkey = group_keys[i]
        if gkey is not None and gkey in members:
            st = states[i]
            members[gkey].append((i, lines[i].quantity if st is None else st.quantity))
    for gkey, (group_findings, effective, total) in exceeding.items():
        for i, allowed_quantity in allocate(members[gkey], effective, total):
            st = run.state(i)
            st.findings.extend(group_findings)
            st.quantity = allowed_quantity


def cap_months(run: CheckRun) -> None:
    """Monthly caps per participant (Suchthilfe Stundenlohn), on the amounts the line and quantity checks left."""
    cap_groups: dict[tuple, CapGroup] = {}
    lines, states, months = run.lines, run.states, run.months
    for i in run.capped:
        line = lines[i]
        st = states[i]
        claimed = to_cents(line.amount)
        value = (limited_amount(claimed, line.quantity, line.unit_price) if st is None
                 else limited_amount(claimed, st.quantity, st.price))[1]
        kind = "assignment_day" if line.unit in DAY_UNITS else line.unit
        ckey = (line.participant, line.programme, months[i], kind)
        cap = cap_groups.get(ckey)
        if cap is None:
            cap = cap_groups[ckey] = CapGroup(months[i].unit(line.programme, line.unit)[0].monthly_cap)  # type: ignore[union-attr]
        cap.add(i, value)
    for (participant, programme, month, _), cap in cap_groups.items():
        ptype = month.unit(programme, lines[cap.members[0][0]].unit)[3]
        resolved = cap.resolve(name_de(ptype, programme), participant, month.period)
        if resolved is None:
            continue
        finding, shares = resolved
        for i, share in shares:
            st = run.state(i)
            st.findings.append(finding)
            st.cap_share = share


def capacity_warnings(run: CheckRun) -> None:
    """More participants billed for an offering-month than places reported occupied (a warning)."""
    lines, months = run.lines, run.months
    for (programme, code), (row, participants, members) in run.capacity_groups.items():
        first = members[0]
        name = name_de(months[first].unit(programme, lines[first].unit)[3], programme)
        finding = capacity_exceeded(len(participants), row, name, code, run.parsed.period)
        if finding is not None:
            for i in members:
                run.warn(i, finding)


def consume_approvals(run: CheckRun) -> dict[str, Usage]:
    """Rule 7 against the recorded Kostengutsprachen, in row order after every other limit: a reference not
    recorded is a warning; one that does not cover the line zeroes it; a line taking more than the approval
    has left (after the provider's other invoices and this invoice's earlier rows) is reduced to what remains.
    What this invoice uses of each approval it names (zeros for one it names and does not use)."""
    ctx = run.ctx
    approvals = ctx.cost_approvals
    if not approvals:
        return {}
    participant_key = ctx.participant_key or str
    key_of = ctx.approval_key or approval_key
    used: dict[str, Usage] = dict(ctx.approval_used or {})
    mine: dict[str, Usage] = {}
    lines, states = run.lines, run.states
    for i in run.order:
        line = lines[i]
        if line.funding != "social_assistance" or not line.cost_approval:
            continue
        if not approval_key(line.cost_approval):
            continue
        key = key_of(line.cost_approval)
        terms = approvals.get(key)
        mine.setdefault(key, NOTHING)
        if terms is None:
            run.warn(i, L.cost_approval_unknown(line))
            continue
        finding = L.cost_approval_not_valid(line, terms, participant_key, ctx.catalogue.programme_types)
        if finding is not None:
            st = run.state(i)
            st.findings.append(finding)
            st.zeroed = True
            continue
        st = states[i]
        if st is not None and st.zeroed:
            continue
        claimed = to_cents(line.amount)
        quantity = line.quantity if st is None else st.quantity
        before = used.get(key, NOTHING)
        if terms.quantity is not None and quantity > terms.quantity - before.quantity:
            left = max(terms.quantity - before.quantity, ZERO)
            st = run.state(i)
            st.findings.append(cost_approval_exceeded(terms, before, "quantity", quantity, left, line.unit))
            st.quantity = quantity = left
        value = (limited_amount(claimed, line.quantity, line.unit_price)[1] if st is None else st.allowed(claimed))
        if terms.amount is not None and value > terms.amount - before.amount:
            left = max(terms.amount - before.amount, ZERO)
            st = run.state(i)
            st.findings.append(cost_approval_exceeded(terms, before, "amount", value, left, line.unit))
            st.approval_left = left
            value = st.allowed(claimed)
        take = Usage(quantity if value else ZERO, value)
        used[key] = before + take
        mine[key] = mine[key] + take
    return mine
