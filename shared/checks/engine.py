"""Runs the check catalogue (domain-rules §4) over one invoice and combines the effects per line.

Pure and deterministic: the result depends on the lines and their rows, not on their order in the document.
Speed: one pass over the lines in row order (here) does every single-line check and adds each line to its
groups (a participant's days per offering-month, monthly caps, capacity); the groups are then resolved once
each (group_pass), and the checked lines built (results) with the one allowed-amount formula (allowed).
"""
from __future__ import annotations

from shared.checks import line_checks as L
from shared.checks.findings import CheckContext, CheckedInvoice, Finding
from shared.checks.group_checks import CapacityIndex, capacity_report_missing, merge_limits, quantity_limits
from shared.checks.group_pass import cap_months, capacity_warnings, consume_approvals, limit_quantities
from shared.checks.month import MonthTerms
from shared.checks.offerings import OfferingIndex, code_key
from shared.checks.results import checked_invoice
from shared.checks.run import CheckRun
from shared.kernel.collector import collector_paused
from shared.kernel.money import QUARTER
from shared.kernel.periods import Period
from shared.register.domain.catalogue import DAY_UNITS, ProgrammeType, name_de
from shared.submissions.domain.deadlines import Deadlines
from shared.submissions.domain.documents import InvoiceLine, ParsedInvoice


def line_key(line: InvoiceLine) -> tuple:
    """What may be billed only once: participant, programme, offering (its code without case and surrounding
    spaces), unit and month (rule 1)."""
    return (line.participant, line.programme, code_key(line.offering), line.unit, str(line.period))


def check_invoice(parsed: ParsedInvoice, ctx: CheckContext) -> CheckedInvoice:
    """Check every line of the invoice against the edition in force in its month (domain-rules §4)."""
    # The check allocates a few objects per line and frees none of them: the cyclic garbage collector
    # would only walk the growing heap again and again (a third of the time at 100,000 lines).
    if len(parsed.lines) < 5000:
        return _check(parsed, ctx)
    with collector_paused():
        return _check(parsed, ctx)


def _check(parsed: ParsedInvoice, ctx: CheckContext) -> CheckedInvoice:
    run = CheckRun(parsed, ctx)
    months = _line_pass(run)
    limit_quantities(run)
    cap_months(run)
    usage = consume_approvals(run)
    capacity_warnings(run)
    own = months.get(parsed.period)
    edition = own.label if own is not None else _label(ctx, parsed.period)
    return checked_invoice(run, edition, usage)


def _label(ctx: CheckContext, period: Period) -> str | None:
    edition = ctx.catalogue.in_force(period)
    return edition.label if edition is not None else None


def _line_pass(run: CheckRun) -> dict[Period, MonthTerms]:
    """Each line on its own, in row order; add it to its groups."""
    ctx, parsed, lines = run.ctx, run.parsed, run.lines
    today = Period.of(ctx.today) if ctx.today is not None else None
    types: dict[str, ProgrammeType] = dict(ctx.catalogue.programme_types)
    register_known = ctx.offerings is not None  # offline (`ami check`) the register is unknown
    offerings = OfferingIndex(ctx.offerings or (), ctx.provider)
    months: dict[Period, MonthTerms] = {}
    deadlines = Deadlines(ctx.deadline_day, ctx.timezone)
    late = L.late_submission(parsed.period, ctx.received_at, deadlines)
    run.document_notices = () if late is None else (late,)
    # capacity_report_missing only once the report is due: before the deadline it is pending, not missing
    capacity = CapacityIndex(ctx.capacity) if ctx.capacity is not None else None
    report_due = ctx.today is not None and deadlines.is_due(parsed.period, ctx.today)
    earlier = ctx.earlier_lines
    seen: dict[tuple, int] = {}
    warnings, line_months, group_keys = run.warnings, run.months, run.group_keys
    group_totals, group_limits, capacity_groups = run.group_totals, run.group_limits, run.capacity_groups
    state, warn = run.state, run.warn
    no_report: dict[tuple[str, str], Finding] = {}
    shared: dict[tuple, Finding] = {}  # findings that are the same on many lines
    last_period: Period | None = None
    month: MonthTerms = None  # type: ignore[assignment]
    terms_get = None

    for i in run.order:
        line = lines[i]
        period = line.period
        if period is not last_period:
            month = months.get(period)  # type: ignore[assignment]
            if month is None:
                month = months[period] = MonthTerms(ctx, period, today, types, offerings)
            last_period = period
            terms_get = month.terms_cache.get
        line_months[i] = month
        programme, unit, price, code = line.programme, line.unit, line.unit_price, line.offering
        terms = terms_get((programme, unit, code))  # type: ignore[misc]
        if terms is None:
            terms = month.terms(programme, unit, code)
        tariff, day_price, billable, ptype, match, agreed, folded = terms

        zero: list[Finding] = []
        if unit not in billable:
            zero.append(L.unit_not_billable(line, ptype, billable, month.edition.label))  # type: ignore[union-attr]
        funding = line.funding
        if ptype is not None and ptype.social_assistance_only and funding != "social_assistance":
            zero.append(L.social_assistance_only(line, ptype))
        if funding == "social_assistance" and not (line.cost_approval or "").strip():
            zero.append(L.cost_approval_missing(line))
        key = (line.participant, programme, folded, unit, month.text)
        first = seen.get(key)
        if first is None:
            seen[key] = line.row
        if first is not None or key in earlier:
            zero.append(L.duplicate_line(line, name_de(ptype, programme), first, key in earlier))
        special = line.entry_date is not None or line.exit_date is not None
        if not match.covering and register_known:
            warnings[i] = [month.not_registered(line, match, ptype, folded)]  # the line's first warning
            if match.candidates:  # the provider has such an offering, but not for this month
                special = True
        if special or month.future or month.no_tariff is not None:
            finding = L.period_not_billable(line, month.future, match, month.no_tariff)
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
            if agreed is not None and price > agreed[0]:
                st = state(i)
                ckey = (id(agreed[1]), agreed[0], price)  # offering (alive in ctx), agreed tariff, price
                finding = shared.get(ckey)
                if finding is None:
                    finding = shared[ckey] = L.tariff_above_agreed(price, agreed)
                st.findings.append(finding)
                if agreed[0] < st.price:
                    st.price = agreed[0]
            if tariff.monthly_cap is not None and not zero:
                run.capped.append(i)
        quantity = line.quantity
        if unit == "coaching_hour" and quantity % QUARTER:
            hit = L.quarter_hour(line)
            if hit is not None:
                st = state(i)
                st.findings.append(hit[0])
                st.quantity = quantity = hit[1]
        if line.amount != line.quantity * price:
            mismatch = L.amount_mismatch(line)
            if mismatch is not None:
                state(i).findings.append(mismatch)

        if not zero and (unit in DAY_UNITS or unit == "coaching_hour"):
            kind = "assignment_day" if unit in DAY_UNITS else unit
            gkey = (line.participant, programme, folded, month, kind)
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
                if report_due:
                    missing = no_report.get((programme, folded))
                    if missing is None:
                        missing = no_report[(programme, folded)] = capacity_report_missing(
                            programme, name_de(ptype, programme), code, period)
                    warn(i, missing)
            else:
                cgroup = capacity_groups.get(resolved[0])
                if cgroup is None:
                    cgroup = capacity_groups[resolved[0]] = (resolved[1], set(), [])
                cgroup[1].add(line.participant)
                cgroup[2].append(i)
    return months
