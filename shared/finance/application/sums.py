"""The funding split as finance's reports need it: THE call of the split (lines + the directory in force), and
its sums per provider, month and Kostengutsprache, made either from splits or read from the read model.

`split_funding` is the one place that hands the split (shared.finance.domain.split.split_lines) its inputs
besides the lines: the fee waivers (keyed as the lines are: participant number or pseudonym) and the federal
credit rules in force. The replay (reconciliation.funding_splits) and the projector
(shared.readmodels.projector.funding) both call it, so a new input of the split is added here, once."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from shared.finance.domain.split import FundingLine, LineSplit, WaiverTerms, split_lines, zero_sources
from shared.kernel.money import ZERO


def split_funding(sup, lines: Iterable[FundingLine], waivers: Iterable[WaiverTerms]) -> list[LineSplit]:
    """Every line's split with the fee waivers given and the credit rules in force (`sup`: the supervision
    Application)."""
    return split_lines(lines, waivers, sup.credit_rules())


@dataclass
class FundingSums:
    """What the funding report and the reconciliation show: sums of the six sources per provider and per
    month, the allowed amount, and the social services' amounts per (provider, Kostengutsprache reference)."""

    per_provider: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    per_month: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    allowed: Decimal = ZERO
    references: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def add(self, provider: str, period: str, amounts: dict[str, Decimal], allowed: Decimal) -> None:
        for target in (self.per_provider.setdefault(provider, zero_sources()),
                       self.per_month.setdefault(period, zero_sources())):
            for k, v in amounts.items():
                target[k] += v
        self.allowed += allowed

    def total(self) -> dict[str, Decimal]:
        total = zero_sources()
        for amounts in self.per_provider.values():
            for k, v in amounts.items():
                total[k] += v
        return total


def sums_of(splits: Iterable[LineSplit]) -> FundingSums:
    """The sums of these splits (the replay's way; the read model sums the same in SQL)."""
    sums = FundingSums()
    for s in splits:
        sums.add(s.line.provider, s.line.period, s.amounts, s.line.allowed)
        amount = s.amounts["social_service"]
        if amount:
            ref = (s.line.cost_approval or "").strip()
            key = (s.line.provider, ref)
            sums.references[key] = sums.references.get(key, ZERO) + amount
    return sums
