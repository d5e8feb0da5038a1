"""The evaluation's figures from pseudonymised, split lines: participants, months, exits, costs, who paid.

A participant is a pseudonym (never a number); participants of different providers are different people
(a provider's number is its own). A participant-month is a month with at least one line of the programme
type; the duration of a participation is its number of participant-months within the span. An exit is
counted once per participant: the reason on their latest line that carries one. «Into work» is an exit
into the 1st labour market or into an apprenticeship.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from shared.finance.domain.sources import SOURCES
from shared.kernel.money import ZERO, to_cents
from shared.submissions.domain.documents import EXIT_REASONS

INTO_WORK = ("job_first_labour_market", "apprenticeship")
TENTH = Decimal("0.1")


class EvaluationLine(NamedTuple):
    """One checked invoice line as the evaluation sees it: its pseudonym, its month and who paid what (a tuple:
    made ~15,000 times for a span of three years, five times faster than a frozen dataclass)."""

    provider: str
    period: str  # YYYY-MM
    programme: str
    subject: str  # the participant's pseudonym
    allowed: Decimal
    amounts: Mapping[str, Decimal]  # per funding source (shared.finance.domain.split); a source absent pays 0
    exit_reason: str | None = None


@dataclass
class Cell:
    """One group of participants: a programme type at one provider (provider None: all of them), or in a
    quarter. `hidden` names the counts that small-number protection suppresses ("row": all of it), and
    `complementary` those of them suppressed only so that no other can be worked out."""

    programme: str
    provider: str | None
    quarter: str | None
    participants: int
    participant_months: int
    durations: list[int]
    exits: dict[str, int]
    allowed: Decimal
    by_source: dict[str, Decimal]
    hidden: set[str] = field(default_factory=set)
    complementary: set[str] = field(default_factory=set)

    @property
    def exits_total(self) -> int:
        return sum(self.exits.values())

    @property
    def exits_into_work(self) -> int:
        return sum(self.exits.get(r, 0) for r in INTO_WORK)

    def count(self, key: str) -> int:
        """A count cell by name: an exit reason, "exits_total" or "exits_into_work"."""
        if key == "exits_total":
            return self.exits_total
        if key == "exits_into_work":
            return self.exits_into_work
        return self.exits.get(key, 0)

    @property
    def suppressed(self) -> bool:
        return "row" in self.hidden

    def is_hidden(self, key: str) -> bool:
        return "row" in self.hidden or key in self.hidden

    def hide(self, key: str, *, complementary: bool = False) -> None:
        self.hidden.add(key)
        if complementary:
            self.complementary.add(key)

    @property
    def mean_months(self) -> Decimal | None:
        if not self.durations:
            return None
        return (Decimal(sum(self.durations)) / len(self.durations)).quantize(TENTH, ROUND_HALF_UP)

    @property
    def median_months(self) -> Decimal | None:
        ordered = sorted(self.durations)
        if not ordered:
            return None
        mid = len(ordered) // 2
        value = Decimal(ordered[mid]) if len(ordered) % 2 else Decimal(ordered[mid - 1] + ordered[mid]) / 2
        return value.quantize(TENTH, ROUND_HALF_UP)

    @property
    def share_into_work(self) -> Decimal | None:
        """Exits into work as a share of all exits (0.457), None without exits."""
        if not self.exits_total:
            return None
        return (Decimal(self.exits_into_work) / self.exits_total).quantize(Decimal("0.001"), ROUND_HALF_UP)

    @property
    def per_participant(self) -> Decimal | None:
        return to_cents(self.allowed / self.participants) if self.participants else None

    @property
    def per_exit_into_work(self) -> Decimal | None:
        return to_cents(self.allowed / self.exits_into_work) if self.exits_into_work else None


def quarter_of(period: str) -> str:
    return f"{period[:4]}-Q{(int(period[5:7]) - 1) // 3 + 1}"


def cell(lines: Iterable[EvaluationLine], programme: str, provider: str | None = None,
         quarter: str | None = None) -> Cell:
    """The figures of one group of lines."""
    months: dict[str, set[str]] = {}
    last_exit: dict[str, tuple[str, int, str]] = {}
    allowed = ZERO
    by_source = dict.fromkeys(SOURCES, ZERO)
    months_of = months.get
    for n, (_, period, _, subject, line_allowed, amounts, exit_reason) in enumerate(lines):
        seen_months = months_of(subject)
        if seen_months is None:
            months[subject] = {period}
        else:
            seen_months.add(period)
        allowed += line_allowed
        for source, amount in amounts.items():
            by_source[source] += amount
        if exit_reason:
            seen = last_exit.get(subject)
            if seen is None or (period, n) > seen[:2]:
                last_exit[subject] = (period, n, exit_reason)
    exits = dict.fromkeys(EXIT_REASONS, 0)
    for _period, _n, reason in last_exit.values():
        exits[reason] = exits.get(reason, 0) + 1
    durations = sorted(len(m) for m in months.values())
    return Cell(programme, provider, quarter, len(months), sum(durations), durations, exits, allowed, by_source)


def together(cells: list[Cell], programme: str) -> Cell:
    """The figures of groups of different participants put together (the providers' cells: a participant is one
    provider's), as `cell` gives them for all their lines at once."""
    durations = sorted(d for c in cells for d in c.durations)
    exits = dict.fromkeys(EXIT_REASONS, 0)
    allowed = ZERO
    by_source = dict.fromkeys(SOURCES, ZERO)
    for c in cells:
        for reason, count in c.exits.items():
            exits[reason] = exits.get(reason, 0) + count
        for source, amount in c.by_source.items():
            by_source[source] += amount
        allowed += c.allowed
    return Cell(programme, None, None, sum(c.participants for c in cells), sum(durations), durations, exits,
                allowed, by_source)


@dataclass
class ProgrammeTable:
    """One programme type over the span: a cell per provider, the total, and a total per quarter."""

    programme: str
    providers: list[Cell]
    total: Cell
    quarters: list[Cell]


# the lines of a span as the tables take them: per month (in order), per provider its lines in order (a tuple)
Months = Sequence[tuple[str, Mapping[str, Sequence[EvaluationLine]]]]
# remember(key, parts, make): make() — or what it gave for `key` while `parts` are the very same objects
Remember = Callable[[Hashable, tuple, Callable[[], "Cell | None"]], "Cell | None"]


def by_month(lines: Iterable[EvaluationLine]) -> list[tuple[str, dict[str, tuple[EvaluationLine, ...]]]]:
    """Lines grouped per month (in order of the months) and per provider, each provider's lines in their order."""
    grouped: dict[str, dict[str, list[EvaluationLine]]] = {}
    for ln in lines:
        grouped.setdefault(ln.period, {}).setdefault(ln.provider, []).append(ln)
    return [(period, {slug: tuple(found) for slug, found in providers.items()})
            for period, providers in sorted(grouped.items())]


def programme_table(lines: list[EvaluationLine], programme: str, provider_order: list[str],
                    quarters: list[str]) -> ProgrammeTable:
    return months_table(by_month(lines), programme, provider_order, quarters)


def _made(_key: Hashable, _parts: tuple, make: Callable[[], Cell | None]) -> Cell | None:
    return make()


def months_table(months: Months, programme: str, provider_order: list[str], quarters: list[str],
                 remember: Remember | None = None) -> ProgrammeTable:
    """The table of one programme type. A provider's cell comes from its lines of every month, a quarter's from
    its months' lines: `remember` may give back a cell made before from the same objects, each provider's lines of a
    month (an upload changes one provider's lines of one month: the other providers' cells and the other quarters
    stay as they were; what is remembered holds on to no more than the lines it was made from).
    The cells given are copies: what protect() marks is the table's own."""
    remember = remember or _made
    span = (months[0][0], months[-1][0]) if months else None
    slices: dict[str, list[Sequence[EvaluationLine]]] = {}
    in_quarter: dict[str, list[Sequence[EvaluationLine]]] = {q: [] for q in quarters}
    for period, providers in months:
        in_quarter.setdefault(quarter_of(period), []).extend(providers.values())
        for slug, found in providers.items():
            slices.setdefault(slug, []).append(found)

    def provider_cell(slug: str, parts: tuple) -> Cell | None:
        lines = [ln for part in parts for ln in part if ln.programme == programme]
        return cell(lines, programme, slug) if lines else None  # a provider without lines of this type: no row

    def quarter_cell(q: str, parts: tuple) -> Cell:
        return cell([ln for part in parts for ln in part if ln.programme == programme], programme, quarter=q)

    rank = {slug: i for i, slug in enumerate(provider_order)}
    providers = []
    for slug in sorted(slices, key=lambda s: (rank.get(s, len(rank)), s)):
        parts = tuple(slices[slug])
        found = remember(("provider", programme, slug, span), parts, lambda s=slug, p=parts: provider_cell(s, p))
        if found is not None:
            providers.append(_copy(found))
    quarter_cells = []
    for q, parts in sorted(in_quarter.items()):
        parts = tuple(parts)
        quarter_cells.append(_copy(remember(("quarter", programme, q, span), parts,  # type: ignore[arg-type]
                                            lambda q=q, p=parts: quarter_cell(q, p))))
    return ProgrammeTable(programme, providers, together(providers, programme), quarter_cells)


def _copy(c: Cell) -> Cell:
    """The cell with marks of its own (protect() marks in place; the figures are only read)."""
    return replace(c, hidden=set(c.hidden), complementary=set(c.complementary))
