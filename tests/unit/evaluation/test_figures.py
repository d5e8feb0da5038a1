"""The evaluation's cells: a programme type's total put together from its providers' cells (`together`) is the cell
of all its lines at once, for any lines — months, durations, exits (each participant's latest reason), money. Cells
remembered by the month slices they were made from (`months_table` with a ByParts) are the cells made anew after any
change of one provider's lines in one month, and only that provider's and that quarter's cells are made again."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.evaluation.domain.figures import EvaluationLine, by_month, cell, months_table, programme_table, together
from shared.evaluation.domain.suppression import protect
from shared.finance.domain.sources import SOURCES
from shared.readmodels.generations import ByParts
from shared.submissions.domain.documents import EXIT_REASONS

IA = "integration-arbeit"
LINE = st.tuples(st.integers(0, 2), st.integers(0, 5), st.integers(1, 6), st.integers(0, 500_000),
                 st.one_of(st.none(), st.sampled_from(EXIT_REASONS)), st.sampled_from(SOURCES))


def lines_of(rows) -> list[EvaluationLine]:
    """A participant is one provider's: the pseudonym names the provider too."""
    return [EvaluationLine(f"anbieter-{p}", f"2025-{m:02d}", IA, f"p:{p}:{i}", Decimal(c).scaleb(-2),
                           {source: Decimal(c).scaleb(-2)}, reason) for p, i, m, c, reason, source in rows]


def figures(c) -> tuple:
    return (c.participants, c.participant_months, c.durations, c.exits, c.allowed, c.by_source)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=80))
def test_the_providers_cells_together_are_the_cell_of_all_their_lines(rows):
    lines = lines_of(rows)
    by_provider: dict[str, list] = {}
    for ln in lines:
        by_provider.setdefault(ln.provider, []).append(ln)
    cells = [cell(found, IA, slug) for slug, found in by_provider.items()]
    assert figures(together(cells, IA)) == figures(cell(lines, IA))
    table = programme_table(lines, IA, ["anbieter-0", "anbieter-1", "anbieter-2"], ["2025-Q1", "2025-Q2"])
    assert figures(table.total) == figures(cell(lines, IA))
    assert [q.quarter for q in table.quarters] == ["2025-Q1", "2025-Q2"]
    assert sum(q.participant_months for q in table.quarters) == table.total.participant_months


def test_the_latest_exit_reason_of_a_participant_counts_once():
    rows = [(0, 1, 1, 100, "dropout", "participant"), (0, 1, 3, 100, "job_first_labour_market", "participant"),
            (0, 1, 2, 100, "regular_end", "participant"), (1, 1, 2, 100, "dropout", "participant")]
    lines = lines_of(rows)
    total = programme_table(lines, IA, [], ["2025-Q1"]).total
    assert total.exits["job_first_labour_market"] == 1 and total.exits["dropout"] == 1
    assert total.exits_total == 2 and total.participants == 2 and total.participant_months == 4


def table_figures(t) -> tuple:
    return ([(c.provider, *figures(c), sorted(c.hidden)) for c in t.providers], (*figures(t.total), sorted(t.total.hidden)),
            [(c.quarter, *figures(c), sorted(c.hidden)) for c in t.quarters])


ORDER, QUARTERS = ["anbieter-0", "anbieter-1", "anbieter-2"], ["2025-Q1", "2025-Q2"]


def span(lines) -> list:
    """Every month of the span, as the read model gives them (a month without lines: no provider)."""
    found = dict(by_month(lines))
    return [(p, found.get(p, {})) for p in (f"2025-{m:02d}" for m in range(1, 7))]


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=80), st.lists(LINE, max_size=12), st.integers(0, 2), st.integers(1, 6))
def test_cells_remembered_by_their_months_lines_are_the_cells_made_anew(rows, changed, provider, month):
    lines = lines_of(rows)
    memo = ByParts()
    months = span(lines)
    first = months_table(months, IA, ORDER, QUARTERS, memo)
    assert table_figures(first) == table_figures(programme_table(lines, IA, ORDER, QUARTERS))
    protect(first, 3)  # marks the table's cells, not the ones remembered
    again = months_table(months, IA, ORDER, QUARTERS, memo)
    made = memo.computed
    assert table_figures(again) == table_figures(programme_table(lines, IA, ORDER, QUARTERS))
    # one provider's lines of one month replaced (as the read model gives a month read again: the other providers'
    # lines the very tuples of before)
    slug, period = f"anbieter-{provider}", f"2025-{month:02d}"
    new_lines = [ln for ln in lines_of((provider, i, month, c, r, s) for _, i, _, c, r, s in changed)]
    after = [ln for ln in lines if (ln.provider, ln.period) != (slug, period)] + new_lines
    kept = dict(months)
    providers = {k: v for k, v in kept.get(period, {}).items() if k != slug}
    if new_lines:
        providers[slug] = tuple(new_lines)
    kept[period] = providers
    remade = months_table(list(kept.items()), IA, ORDER, QUARTERS, memo)
    assert table_figures(protect(remade, 3)) == table_figures(protect(programme_table(after, IA, ORDER, QUARTERS), 3))
    assert memo.computed - made <= 2  # the provider's cell and its quarter's
