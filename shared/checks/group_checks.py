"""The checks that look at several lines together (domain-rules §3, §4).

* quantity groups: the day lines (assignment and reduced days) or the coaching-hour lines of one
  participant and offering in one month → days_above_month (rule 2), days_above_working_days
  (rule 3), dropout_cap (rule 6); the lowest limit counts, and an excess is taken off every line
  of the group pro rata (`allocate`);
* cap groups: the lines of one participant under a tariff with a monthly cap → monthly_cap;
* capacity groups: the participants billed for one offering-month → capacity_exceeded.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_DOWN, Decimal

from shared.checks import rules as R
from shared.checks.findings import Finding
from shared.checks.offerings import code_key
from shared.checks.trace import chf, date_de, qty, units_de
from shared.costapprovals.domain.terms import ApprovalTerms, Usage
from shared.kernel.money import CENT, ZERO, amount_str, quantity_str
from shared.kernel.periods import Period, working_days
from shared.register.domain.catalogue import BillingRules
from shared.submissions.domain.documents import EXIT_REASON_NAMES_DE, CapacityRow, InvoiceLine

DROPOUT_REASONS = frozenset({"dropout", "no_show"})

Limit = tuple[R.CheckRule, Decimal, tuple]


def full_month_limit(rules: BillingRules) -> Limit:
    """Rule 2: a participant's days of one offering in a month, at most 21.7 (edition's figure)."""
    return (R.DAYS_ABOVE_MONTH, rules.full_month_days, ())


def quantity_limits(line: InvoiceLine, rules: BillingRules, first: date, last: date) -> list[Limit]:
    """The limits one line puts on its quantity group besides rule 2 (the group takes the lowest
    of each kind). first and last: the first and last day of the line's month."""
    entry, exit_, reason = line.entry_date, line.exit_date, line.exit_reason
    entry_in = entry is not None and first <= entry <= last
    exit_in = exit_ is not None and first <= exit_ <= last
    # Rule 6 applies in the exit month; it needs the exit date (an old line without one: rule 3 as usual).
    dropout = reason in DROPOUT_REASONS and exit_in
    if line.unit == "coaching_hour":
        return [(R.DROPOUT_CAP, rules.dropout_cap_hours, (reason,))] if dropout else []
    limits: list[Limit] = []
    if not (dropout or entry_in or exit_in):
        return limits
    start = entry if entry_in else first
    end = exit_ if exit_in else last
    if dropout:
        # Assumption of rule 6: a no-show in total; a drop-out beyond the working days up to the
        # exit date. For these two reasons the cap takes the place of rule 3 in the exit month.
        if reason == "no_show":
            limits.append((R.DROPOUT_CAP, rules.dropout_cap_days, (reason,)))
        else:
            days = working_days(start, end)
            limits.append((R.DROPOUT_CAP, days + rules.dropout_cap_days, (reason, days, start, end)))
    else:
        kind = ("Ein- und Austrittsmonat" if entry_in and exit_in
                else "Eintrittsmonat" if entry_in else "Austrittsmonat")
        days = working_days(start, end)
        limits.append((R.DAYS_ABOVE_WORKING_DAYS, Decimal(days), (kind, start, end)))
    return limits


def allocate(members: list[tuple[int, Decimal]], limit: Decimal, total: Decimal) -> list[tuple[int, Decimal]]:
    """Share a limit over the members pro rata to their values, to 0.01, the rest to the last row.

    No member gets more than it had; the shares never add up to more than the limit.
    """
    if len(members) == 1:
        index, value = members[0]
        return [(index, min(value, limit))]
    shares: list[tuple[int, Decimal]] = []
    used = ZERO
    for index, value in members[:-1]:
        share = (value * limit / total).quantize(CENT, rounding=ROUND_DOWN)
        shares.append((index, share))
        used += share
    index, value = members[-1]
    shares.append((index, min(value, limit - used)))
    return shares


def merge_limits(limits: dict[str, Limit], new: list[Limit]) -> None:
    """Keep the lowest limit of each kind (lines of one group may carry different dates)."""
    for limit in new:
        current = limits.get(limit[0].code)
        if current is None or limit[1] < current[1]:
            limits[limit[0].code] = limit


def resolve_group(total: Decimal, limits: dict[str, Limit],
                  unit: str) -> tuple[list[Finding], Decimal] | None:
    """None if the group's total is within every limit; else the findings and the effective limit."""
    if not limits:
        return None
    effective = min(limit for _, limit, _ in limits.values())
    if total <= effective:
        return None
    return [_quantity_finding(rule, total, limit, info, unit)
            for rule, limit, info in limits.values() if total > limit], effective


def _quantity_finding(rule: R.CheckRule, total: Decimal, limit: Decimal, info: tuple, unit: str) -> Finding:
    billed = units_de(total, unit)
    if rule is R.DAYS_ABOVE_MONTH:
        return rule.finding(f"{billed} verrechnet, höchstens {qty(limit)} pro Monat",
                            billed_days=quantity_str(total), max_days=quantity_str(limit))
    if rule is R.DAYS_ABOVE_WORKING_DAYS:
        kind, start, end = info
        return rule.finding(
            f"{kind}: {billed} verrechnet, höchstens {qty(limit)} "
            f"Arbeitstag{'' if limit == 1 else 'e'} vom {date_de(start)} bis {date_de(end)}",
            billed_days=quantity_str(total), working_days=quantity_str(limit),
            **{"from": start.isoformat(), "to": end.isoformat()})
    reason = info[0]
    figures = {"billed": quantity_str(total), "max": quantity_str(limit), "exit_reason": reason or ""}
    if len(info) > 1:
        days, start, end = info[1], info[2], info[3]
        figures["working_days"] = str(days)
        return rule.finding(
            f"{EXIT_REASON_NAMES_DE[reason]}: {billed} verrechnet, "
            f"höchstens {days} Arbeitstag{'' if days == 1 else 'e'} "
            f"vom {date_de(start)} bis {date_de(end)} + {qty(limit - days)} = {qty(limit)}", **figures)
    why = EXIT_REASON_NAMES_DE.get(reason or "", EXIT_REASON_NAMES_DE["dropout"])
    return rule.finding(f"{why}: {billed} verrechnet, "
                        f"höchstens {qty(limit)}", **figures)


class CapGroup:
    """The lines of one participant, programme type, unit kind and month under a monthly cap."""

    __slots__ = ("cap", "members", "total")

    def __init__(self, cap: Decimal):
        self.cap = cap
        self.members: list[tuple[int, Decimal]] = []
        self.total = ZERO

    def add(self, index: int, amount: Decimal) -> None:
        self.members.append((index, amount))
        self.total += amount

    def resolve(self, name_de: str, participant: str, period: Period) -> tuple[Finding, list] | None:
        if self.total <= self.cap:
            return None
        finding = R.MONTHLY_CAP.finding(
            f"{name_de}: {chf(self.total)} für {participant} im {period.label_de()}, "
            f"höchstens {chf(self.cap)} pro Monat",
            amount=amount_str(self.total), monthly_cap=amount_str(self.cap))
        return finding, allocate(self.members, self.cap, self.total)


class CapacityIndex:
    """This month's capacity rows by (programme, offering code); a line without a code takes the
    programme's only row, a line with a code not reported separately takes the programme's row
    reported without a code."""

    def __init__(self, capacity: Mapping[tuple[str, str | None], CapacityRow]):
        self._rows: dict[tuple[str, str], tuple[tuple, CapacityRow]] = {}
        self._by_programme: dict[str, list[tuple[tuple, CapacityRow]]] = {}
        for key, row in capacity.items():
            entry = (key, row)
            self._rows[(key[0], code_key(key[1]))] = entry
            self._by_programme.setdefault(key[0], []).append(entry)
        self._cache: dict[tuple[str, str], tuple[tuple, CapacityRow] | None] = {}

    def resolve(self, programme: str, code: str | None) -> tuple[tuple, CapacityRow] | None:
        ck = (programme, code_key(code))
        if ck in self._cache:
            return self._cache[ck]
        found = self._rows.get(ck)
        if found is None:
            if ck[1]:
                found = self._rows.get((programme, ""))
            else:
                rows = self._by_programme.get(programme, [])
                found = rows[0] if len(rows) == 1 else None
        self._cache[ck] = found
        return found


def capacity_exceeded(participants: int, row: CapacityRow, name_de: str, code: str | None,
                      period: Period) -> Finding | None:
    if participants <= row.occupied:
        return None
    where = f"{name_de}{f' ({code})' if code else ''}"
    return R.CAPACITY_EXCEEDED.finding(
        f"{participants} Teilnehmende für {where} im {period.label_de()} verrechnet, "
        f"gemeldet belegt: {row.occupied} von {row.places} Plätzen",
        participants=str(participants), occupied=str(row.occupied), places=str(row.places))


def capacity_report_missing(programme: str, name_de: str, code: str | None, period: Period) -> Finding:
    where = f"{name_de}{f' (Angebot {code})' if code else ''}"
    return R.CAPACITY_REPORT_MISSING.finding(
        f"Keine Kapazitätsmeldung für {where} im {period.label_de()}",
        programme=programme, offering=code or "", period=str(period))


def cost_approval_exceeded(terms: ApprovalTerms, before: Usage, kind: str, billed: Decimal,
                           left: Decimal, unit: str) -> Finding:
    """The line would take what is billed under the Kostengutsprache (all invoices, all months) beyond what it
    approved: `kind` "quantity" or "amount", `before` what was billed under it before this line."""
    if kind == "quantity":
        approved, used = terms.quantity, before.quantity
        return R.COST_APPROVAL_EXCEEDED.finding(
            f"Kostengutsprache: {units_de(approved, unit)} bewilligt, {qty(used)} schon verrechnet, "  # type: ignore[arg-type]
            f"{qty(billed)} auf dieser Zeile; noch {qty(left)}",
            kind=kind, approved=quantity_str(approved),  # type: ignore[arg-type]
            used=quantity_str(used), billed=quantity_str(billed), remaining=quantity_str(left))
    approved, used = terms.amount, before.amount
    return R.COST_APPROVAL_EXCEEDED.finding(
        f"Kostengutsprache: {chf(approved)} bewilligt, {chf(used)} schon verrechnet, "  # type: ignore[arg-type]
        f"{chf(billed)} auf dieser Zeile; noch {chf(left)}",
        kind=kind, approved=amount_str(approved),  # type: ignore[arg-type]
        used=amount_str(used), billed=amount_str(billed), remaining=amount_str(left))
