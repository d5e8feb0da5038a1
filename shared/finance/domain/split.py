"""The funding split (domain-rules §5): who pays each line's allowed amount, exact to the centime.

Pure and deterministic: it takes the lines, the fee waivers and the federal credit rules as plain data
and returns, for every line, the amount each of the six sources pays. The same input always gives the
same output, whatever the order of the lines handed in.

Rules (§5 and the decisions taken where the brochure is silent):

* ``social_assistance``: the social service named by the Kostengutsprache pays 100 %. The federal
  integration credit takes a social-assistance line only where a rule in force covers the category
  ``social_assistance``: then it takes the rule's share of the line (to the centime) and the social service
  pays the rest (domain-rules §5, the paragraph after the assumption).
* ``self_payer``: the canton subsidy pays 50 %, rounded half-up to the centime; the participant's
  share is the remainder (allowed − subsidy), so the two always add up to the allowed amount and an odd
  centime goes to the canton's side.
* ``self_payer`` with a fee waiver covering the month: the participant pays the waiver's fixed monthly
  contribution — **per participant-month, not per line**: over all the participant's self-payer lines of
  that provider and month, the participant pays at most the contribution in total; it is taken from the
  lines in a fixed order (invoice received first, then row) and the canton's fee waiver pays the rest of
  each line's share. A full waiver has contribution 0.00.
* ``alv_iv``: no canton subsidy; «participant or their insurer 100 %». The portal can not know which of
  the two pays, and neither is money of the canton or of the participant's share under a waiver, so the
  line is booked as ``other``.
* Federal integration credit (Integrationsagenda Schweiz, §5 **Assumption**): an effective-dated rule
  says which programme types and whether refugees / provisionally admitted persons (the line's
  «Flüchtling/VA» flag) are attributed to it. **Decision**: for an attributed line the federal credit pays
  the rule's share (100 % unless set) of what would otherwise be the canton's — the canton subsidy *and*
  the canton's fee waiver — while the participant still pays their share or waiver contribution. A rule
  names the funding categories it covers (``CREDIT_CATEGORIES``) each with its share; a rule recorded
  before categories existed covers ``self_payer`` at 100 %. ALV/IV lines stay with ``other`` (no canton
  share there to take over).

For an allowed amount of 0 every source is 0. Allowed amounts are never negative (the parser refuses
negative amounts); should one be, the split of its absolute value is negated and no waiver contribution
is consumed by it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from shared.finance.domain.sources import SOURCES
from shared.kernel.money import ZERO, to_cents
from shared.kernel.periods import Period

TWO = Decimal(2)
ONE = Decimal(1)
CREDIT_CATEGORIES = ("self_payer", "social_assistance")  # the canton's share of self-payers' lines; SH lines


@dataclass(frozen=True)
class FundingLine:
    """One checked invoice line as finance sees it (from the stored invoice, at read time)."""

    provider: str
    period: str  # YYYY-MM
    participant: str
    programme: str
    funding: str  # social_assistance | self_payer | alv_iv
    allowed: Decimal
    unit: str = ""
    cost_approval: str | None = None
    refugee: bool = False
    invoice: str = ""  # invoice id
    row: int = 0
    received_at: str = ""  # when the invoice was first received: fixes the order within a participant-month
    exit_reason: str | None = None  # domain-rules §7; not part of the split, carried for the evaluation

    @property
    def order(self) -> tuple:
        # invoice and row name a line; the rest only makes the order total for made-up data
        return (self.provider, self.period, self.participant, self.received_at, self.invoice, self.row,
                self.funding, self.programme, self.unit, self.allowed, self.refugee, self.cost_approval or "")


@dataclass(frozen=True)
class WaiverTerms:
    """A fee waiver decision in force (revoked ones are not handed to the split)."""

    id: str
    provider: str
    participant: str
    valid_from: date
    valid_to: date | None
    monthly_contribution: Decimal

    def covers(self, period: Period) -> bool:
        """A month is covered if any of its days lies within the decision's validity."""
        return self.valid_from <= period.last_day and (self.valid_to is None
                                                       or period.first_day <= self.valid_to)


@dataclass(frozen=True)
class CreditRule:
    """Which lines the federal integration credit takes, from a first day of a month until the next rule."""

    valid_from: date
    programmes: frozenset[str] = frozenset()
    refugees: bool = False
    id: str = ""
    label: str = ""
    shares: tuple[tuple[str, Decimal], ...] = (("self_payer", ONE),)  # covered category → share (0 < s ≤ 1)

    def share_of(self, line: FundingLine) -> Decimal | None:
        """The share of the line the credit takes, or None if the rule does not attribute the line."""
        share = dict(self.shares).get(line.funding)
        if share is None or not (line.programme in self.programmes or (self.refugees and line.refugee)):
            return None
        return share

    def attributes(self, line: FundingLine) -> bool:
        return self.share_of(line) is not None


def rule_shares(categories: dict | None) -> tuple[tuple[str, Decimal], ...]:
    """A recorded rule's categories as the split takes them; a rule without categories covers self-payers."""
    if not categories:
        return (("self_payer", ONE),)
    return tuple(sorted((k, Decimal(v)) for k, v in categories.items()))


DEFAULT_CREDIT_RULE = CreditRule(valid_from=date(2022, 10, 1), programmes=frozenset({"integration-arbeit"}),
                                 refugees=True, id="default",
                                 label="integration.arbeit und Flüchtlinge/vorläufig Aufgenommene (Standard)")


def rule_in_force(rules: Sequence[CreditRule], period: Period) -> CreditRule | None:
    """The rule with the latest start on or before the month's first day (None before the first rule)."""
    best = None
    for rule in rules:
        if rule.valid_from <= period.first_day and (best is None or rule.valid_from >= best.valid_from):
            best = rule
    return best


@dataclass(frozen=True)
class LineSplit:
    line: FundingLine
    amounts: dict[str, Decimal]
    waiver: str | None = None  # id of the fee waiver applied
    credit_rule: str | None = None  # id of the federal credit rule that attributed the line

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


def zero_sources() -> dict[str, Decimal]:
    return dict.fromkeys(SOURCES, ZERO)


@dataclass
class _Contribution:
    remaining: Decimal


@dataclass
class _Index:
    waivers: dict[tuple[str, str], list[WaiverTerms]] = field(default_factory=dict)

    def waiver_for(self, provider: str, participant: str, period: Period) -> WaiverTerms | None:
        found = [w for w in self.waivers.get((provider, participant), ()) if w.covers(period)]
        if not found:
            return None
        # Overlaps are refused when recording; should one exist anyway, the latest-starting decision wins.
        return max(found, key=lambda w: (w.valid_from, w.id))


def split_line(line: FundingLine, waiver: WaiverTerms | None, contribution: _Contribution | None,
               rule: CreditRule | None) -> LineSplit:
    """The split of one line; ``contribution`` is what is left of the participant-month's contribution."""
    allowed = to_cents(line.allowed)
    amounts = zero_sources()
    if allowed < 0:
        mirrored = split_line(replace(line, allowed=-allowed), waiver, None, rule)
        negated = {k: -v for k, v in mirrored.amounts.items()}
        return LineSplit(line, negated, mirrored.waiver, mirrored.credit_rule)
    applied_waiver = None
    applied_rule = None
    credit_share = rule.share_of(line) if rule is not None else None
    if line.funding == "social_assistance":
        credit = to_cents(allowed * credit_share) if credit_share is not None else ZERO
        if credit_share is not None:
            applied_rule = rule.id
            amounts["federal_integration_credit"] = credit
        amounts["social_service"] = allowed - credit
    elif line.funding == "self_payer":
        subsidy = to_cents(allowed / TWO)
        share = allowed - subsidy
        if waiver is not None:
            applied_waiver = waiver.id
            pays = share
            if contribution is not None:
                pays = min(share, max(contribution.remaining, ZERO))
                contribution.remaining -= pays
            waived = share - pays
        else:
            pays, waived = share, ZERO
        amounts["participant"] = pays
        if credit_share is not None:
            applied_rule = rule.id
            from_subsidy, from_waiver = to_cents(subsidy * credit_share), to_cents(waived * credit_share)
            amounts["federal_integration_credit"] = from_subsidy + from_waiver
            subsidy, waived = subsidy - from_subsidy, waived - from_waiver
        amounts["canton_subsidy"] = subsidy
        amounts["fee_waiver"] = waived
    else:
        amounts["other"] = allowed
    return LineSplit(line, amounts, applied_waiver, applied_rule)


def split_lines(lines: Iterable[FundingLine], waivers: Iterable[WaiverTerms] = (),
                rules: Sequence[CreditRule] = (DEFAULT_CREDIT_RULE,)) -> list[LineSplit]:
    """Every line's split, in a deterministic order (provider, month, participant, receipt, invoice, row)."""
    index = _Index()
    for w in waivers:
        index.waivers.setdefault((w.provider, w.participant), []).append(w)
    ordered = sorted(lines, key=lambda ln: ln.order)
    result: list[LineSplit] = []
    contributions: dict[tuple[str, str, str], _Contribution] = {}
    months: dict[str, tuple[Period, CreditRule | None]] = {}  # each month read and its credit rule found once
    for line in ordered:
        month = months.get(line.period)
        if month is None:
            found = Period.parse(line.period)
            month = months[line.period] = (found, rule_in_force(rules, found))
        period, rule = month
        waiver = None
        contribution = None
        if line.funding == "self_payer":
            waiver = index.waiver_for(line.provider, line.participant, period)
            if waiver is not None:
                key = (line.provider, line.participant, line.period)
                contribution = contributions.setdefault(key, _Contribution(waiver.monthly_contribution))
        result.append(split_line(line, waiver, contribution, rule))
    return result


def add_up(splits: Iterable[LineSplit]) -> dict[str, Decimal]:
    total = zero_sources()
    for s in splits:
        for k, v in s.amounts.items():
            total[k] += v
    return total
