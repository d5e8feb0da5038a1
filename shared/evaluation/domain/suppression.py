"""Small numbers protect people: no figure about fewer than five participants is shown, and no total lets
a reader work a suppressed figure out (complementary suppression).

Primary suppression: a group (a programme type at a provider, the programme's total, a quarter) of fewer
than five participants is suppressed as a whole, and so is each exit count of one to four persons.
Complementary suppression: every additive relation the evaluation publishes — the providers' groups add up
to the total (participants, months, every amount), the quarters add up to the total (months and amounts),
the exit reasons add up to all exits, the two reasons «into work» add up to the exits into work, and each
exit count adds up over the providers to the total's — holds either no suppressed cell or at least two.
Where it would hold exactly one, the smallest other non-zero part is suppressed too, until nothing changes.
"""
from __future__ import annotations

from collections.abc import Iterable

from shared.evaluation.domain.figures import INTO_WORK, Cell, ProgrammeTable
from shared.submissions.domain.documents import EXIT_REASONS

MIN_PARTICIPANTS = 5
ROW = "row"
COUNTS = (*EXIT_REASONS, "exits_total", "exits_into_work")


def protect(table: ProgrammeTable, minimum: int = MIN_PARTICIPANTS) -> ProgrammeTable:
    """Mark what the table may not show (Cell.hidden), in place; returns the table."""
    groups = [*table.providers, table.total, *table.quarters]
    for c in groups:
        if 0 < c.participants < minimum:  # a group of nobody tells nothing about anybody
            c.hide(ROW)
    for c in (*table.providers, table.total):
        for key in COUNTS:
            if 0 < c.count(key) < minimum:
                c.hide(key)
    changed = True
    while changed:
        changed = _complete_rows(table.providers, table.total) | _complete_rows(table.quarters, table.total)
        for parts, whole in _count_relations(table):
            changed |= _complete(parts, whole)
    return table


def _complete_rows(parts: list[Cell], whole: Cell) -> bool:
    """Whole groups: never exactly one suppressed among the parts and their total."""
    members = [*parts, whole]
    if len(members) < 2 or sum(c.suppressed for c in members) != 1:
        return False
    candidates = [c for c in parts if not c.suppressed]
    if not candidates:
        whole.hide(ROW, complementary=True)
        return True
    nonzero = [c for c in candidates if c.participants > 0] or candidates
    min(nonzero, key=lambda c: (c.participants, c.provider or "", c.quarter or "")).hide(ROW, complementary=True)
    return True


def _count_relations(table: ProgrammeTable) -> Iterable[tuple[list[tuple[Cell, str]], tuple[Cell, str]]]:
    rows = (*table.providers, table.total)
    for c in rows:
        yield [(c, r) for r in EXIT_REASONS], (c, "exits_total")
        yield [(c, r) for r in INTO_WORK], (c, "exits_into_work")
    for key in COUNTS:
        yield [(c, key) for c in table.providers], (table.total, key)


def _complete(parts: list[tuple[Cell, str]], whole: tuple[Cell, str]) -> bool:
    """One relation (parts add up to whole): never exactly one suppressed cell in it."""
    members = [*parts, whole]
    hidden = [m for m in members if m[0].is_hidden(m[1])]
    if len(hidden) != 1 or len(members) < 2:
        return False
    visible = [m for m in parts if not m[0].is_hidden(m[1])]
    nonzero = [m for m in visible if m[0].count(m[1]) > 0]
    if nonzero:
        cell, key = min(nonzero, key=lambda m: (m[0].count(m[1]), m[0].provider or "", m[1]))
    elif not whole[0].is_hidden(whole[1]):
        cell, key = whole
    else:
        cell, key = visible[0]
    cell.hide(key, complementary=True)
    return True


def leaks(table: ProgrammeTable) -> list[str]:
    """Every relation that holds exactly one suppressed cell (empty for a protected table): for tests."""
    found = []
    for parts, whole in _count_relations(table):
        members = [*parts, whole]
        if sum(c.is_hidden(k) for c, k in members) == 1:
            found.append(f"{whole[0].provider or 'total'}:{whole[1]}")
    for parts in (table.providers, table.quarters):
        if parts and sum(c.suppressed for c in (*parts, table.total)) == 1:
            found.append("rows")
    return found
