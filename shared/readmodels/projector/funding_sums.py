"""The funding split summed per provider, month and Kostengutsprache (funding_month_sums), kept beside
funding_lines in the same transaction: the finance page reads these sums instead of every line of a year
(profile of issue 16: its two aggregations scanned the year's lines, 80 and 65 ms at 87,000 lines)."""
from __future__ import annotations

from shared.finance.domain.sources import SOURCES
from shared.readmodels import generations
from shared.readmodels.statements import chunks, with_in

AMOUNTS = ", ".join(f"s_{s}" for s in SOURCES)
# social_lines: how many lines a social service pays (the finance page lists a reference when one of its lines is)
RESUM = f"""
INSERT INTO funding_month_sums (provider, period, reference_key, allowed, {AMOUNTS}, social_lines)
SELECT provider, period, reference_key, SUM(allowed), {", ".join(f"SUM(s_{s})" for s in SOURCES)},
    SUM(CASE WHEN s_social_service <> 0 THEN 1 ELSE 0 END)
FROM funding_lines {{where}} GROUP BY provider, period, reference_key
"""  # noqa: S608


def resum(tx, months: set[tuple[str, str]], *, everything: bool = False) -> None:
    """The sums of these (provider, month) pairs made again from their lines (of every pair: `everything`), and
    the pairs counted as changed (generations: what is remembered of them is made anew)."""
    generations.bump(tx, months, everything=everything)
    if everything:
        tx.execute("DELETE FROM funding_month_sums")
        tx.execute(RESUM.replace("{where}", ""))
        return
    by_provider: dict[str, set[str]] = {}
    for provider, period in months:
        by_provider.setdefault(provider, set()).add(period)
    for provider, periods in sorted(by_provider.items()):
        for chunk in chunks(sorted(periods)):
            where = with_in("WHERE provider = ? AND period IN {in}", len(chunk))
            tx.execute("DELETE FROM funding_month_sums " + where, [provider, *chunk])  # noqa: S608
            tx.execute(RESUM.replace("{where}", where), [provider, *chunk])
