"""Small-number protection: no figure about fewer than five people, and no total that reveals one."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.evaluation.domain.figures import EvaluationLine, programme_table
from shared.evaluation.domain.suppression import COUNTS, leaks, protect
from shared.finance.domain.sources import SOURCES
from shared.submissions.domain.documents import EXIT_REASONS

IA = "integration-arbeit"
QUARTERS = ["2025-Q1", "2025-Q2"]


def people(provider: str, n: int, reasons: list[str | None], months: int = 3, start: int = 1) -> list:
    """n participants of `provider`, each billed `months` months from `start` at 1000.00 a month (half social
    service, half federal credit); the i-th exits in their last month for reasons[i] (None: still in)."""
    lines = []
    for i in range(n):
        reason = reasons[i] if i < len(reasons) else None
        for m in range(start, start + months):
            amounts = dict.fromkeys(SOURCES, Decimal("0.00"))
            amounts["social_service"] = amounts["federal_integration_credit"] = Decimal("500.00")
            lines.append(EvaluationLine(provider, f"2025-{m:02d}", IA, f"p:{provider}:{i}", Decimal("1000.00"),
                                        amounts, reason if m == start + months - 1 else None))
    return lines


def table(lines):
    return protect(programme_table(lines, IA, ["a", "b", "c"], QUARTERS))


def test_a_provider_of_three_participants_is_suppressed_in_every_cell_and_one_more_with_it():
    lines = (people("a", 9, ["job_first_labour_market"] * 6 + ["dropout"] * 3)
             + people("b", 6, ["job_first_labour_market"] * 5 + ["regular_end"])
             + people("c", 3, ["job_first_labour_market", "dropout"]))
    t = table(lines)
    a, b, c = t.providers
    assert (a.participants, b.participants, c.participants, t.total.participants) == (9, 6, 3, 18)
    assert c.suppressed and c.complementary == set()  # under five: suppressed for itself
    assert b.suppressed and b.complementary == {"row"}  # the smallest other: else total − a − b = c
    assert not a.suppressed and not t.total.suppressed
    for key in COUNTS:
        assert c.is_hidden(key) and b.is_hidden(key)
    assert a.is_hidden("dropout") and "dropout" not in a.complementary  # three dropouts: under five
    assert t.total.exits["dropout"] == 4 and t.total.is_hidden("dropout")
    assert leaks(t) == []


def test_one_small_exit_count_takes_a_second_one_in_its_row_and_its_column():
    lines = (people("a", 12, ["job_first_labour_market"] * 8 + ["no_show"] * 2 + ["regular_end"] * 2)
             + people("b", 12, ["job_first_labour_market"] * 6 + ["regular_end"] * 6))
    t = table(lines)
    a, b = t.providers
    assert {"no_show", "regular_end"} <= a.hidden  # 2 no-shows, 2 regular ends: both under five
    assert not a.suppressed and not b.suppressed and not t.total.suppressed
    # the totals hold no_show 2 (small) and regular_end 8: the column of no_show then has two suppressed
    assert t.total.is_hidden("no_show")
    assert leaks(t) == []


def test_a_small_quarter_is_suppressed_with_another_quarter():
    lines = people("a", 10, [], months=3, start=1) + people("b", 3, [], months=1, start=4)
    t = table(lines)
    q1, q2 = t.quarters
    assert q1.participants == 10 and q2.participants == 3
    assert q2.suppressed and q1.suppressed and "row" in q1.complementary
    assert not t.total.suppressed and leaks(t) == []


def test_a_programme_of_fewer_than_five_is_suppressed_entirely():
    t = table(people("a", 2, ["dropout"]) + people("b", 2, []))
    assert t.total.suppressed and all(c.suppressed for c in t.providers) and leaks(t) == []


def test_figures_one_exit_per_participant_durations_costs():
    lines = people("a", 4, ["job_first_labour_market", "apprenticeship", "dropout"], months=2)
    lines += people("a", 2, [], months=5)[0:5]  # a fifth participant with five months (p:a:0 again: same person)
    t = programme_table(lines, IA, ["a"], QUARTERS)
    total = t.total
    assert total.participants == 4
    assert sorted(total.durations) == [2, 2, 2, 5]
    assert total.participant_months == 11 and total.median_months == Decimal("2.0")
    assert total.mean_months == Decimal("2.8")
    assert total.exits["job_first_labour_market"] == 1 and total.exits_into_work == 2 and total.exits_total == 3
    assert total.share_into_work == Decimal("0.667")
    assert total.allowed == Decimal("13000.00") and total.per_participant == Decimal("3250.00")
    assert total.per_exit_into_work == Decimal("6500.00")
    assert total.by_source["social_service"] == Decimal("6500.00")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 14), st.lists(st.sampled_from([*EXIT_REASONS, None]), max_size=14),
                          st.integers(1, 6), st.integers(1, 6)), min_size=1, max_size=5))
def test_any_table_protected_shows_nothing_under_five_and_no_total_reveals_it(spec):
    lines = []
    for i, (n, reasons, months, start) in enumerate(spec):
        lines += people(f"p{i}", n, reasons, months=min(months, 7 - start), start=start)
    t = protect(programme_table(lines, IA, [f"p{i}" for i in range(5)], QUARTERS))
    for c in (*t.providers, t.total):
        assert c.suppressed or c.participants >= 5
        for key in COUNTS:
            assert c.is_hidden(key) or not 0 < c.count(key) < 5, (c.provider, key)
    for q in t.quarters:
        assert q.suppressed or not 0 < q.participants < 5
    assert leaks(t) == []
