"""The evaluation's lines from the funding read model, month by month: pseudonyms only, nothing opened (the
evaluation counts pseudonyms). A month is read from the store only when nothing is remembered for it at its
generation, and then only the lines of the providers whose lines of the month changed (their generations:
shared.readmodels.generations): an upload changes one provider's month, so one provider's lines are read again,
not the month's of every provider (profile of issue 16: reading a changed month again for all providers was 12 %
of the database's time in the closed loop). A provider's lines that read the same as before are the very tuple of
before, so the evaluation's cells made from them stay valid (generations.ByParts)."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import compress, groupby
from operator import itemgetter
from typing import NamedTuple

from shared.evaluation.domain.figures import EvaluationLine, Months
from shared.finance.application.sums import FundingSums
from shared.finance.domain.sources import SOURCES
from shared.readmodels.centimes import ZERO_CHF, money
from shared.readmodels.funding import Francs
from shared.readmodels.generations import Remembered, month_states, provider_states
from shared.readmodels.statements import in_list

AMOUNTS = ", ".join(f"SUM(s_{s})" for s in SOURCES)
# the lines of the programme types shown; put in order here, not by the database: PostgreSQL sorts text by its
# locale (18 ms for a year's 4,538 lines, the query's whole time)
LINES = f"""
SELECT provider, period, received_at, invoice_id, line_row, programme, subject, allowed, exit_reason,
    {", ".join(f"s_{s}" for s in SOURCES)}
FROM funding_lines WHERE {{where}} AND programme IN {{programmes}}
"""  # noqa: S608
# what every programme type's lines paid, summed apart from funding_month_sums (the two must reconcile)
PROGRAMME_SUMS = f"SELECT period, provider, programme, {AMOUNTS} FROM funding_lines WHERE {{where}} " \
                 "GROUP BY period, provider, programme"  # noqa: S608
# the funding report's sums (from the sums the projector keeps per provider, month and Kostengutsprache)
SUMS = f"SELECT provider, period, SUM(allowed), {AMOUNTS} FROM funding_month_sums WHERE {{where}} " \
       "GROUP BY provider, period"  # noqa: S608


class Month(NamedTuple):
    """One month as remembered: per provider its lines (in order), what its lines of each programme type paid (per
    source, in centimes), its report's sums (allowed and per source, in centimes) and the generation they were read
    at; the views'
    epoch of that generation; what each programme type's lines paid (of all providers, in francs)."""
    lines: dict[str, tuple]
    paid: dict[str, dict[str, tuple[int, ...]]]
    sums: dict[str, tuple[int, ...]]
    generations: dict[str, int]
    epoch: str | None
    programmes: dict[str, dict[str, Decimal]]


def evaluation_months(store, periods: Sequence[str], programmes: Sequence[str], months: Remembered
                      ) -> tuple[Months, dict[str, dict[str, Decimal]], FundingSums]:
    """The lines of these programme types in these months, per month and provider (figures.Months); per programme
    type (all of them) what its lines paid per source; and the funding report's sums of the months (from
    funding_month_sums, no reference opened), which the two must reconcile with.

    Each month's lines are by provider, receipt, invoice and row: a participant's lines are in the same order as
    in funding_splits (a participant is one provider's), all the evaluation's figures need."""
    report = FundingSums()
    if not periods:
        return [], {}, report
    programmes = tuple(programmes)
    found: dict[str, Month] = {}
    with store.read() as tx:
        epoch, states = month_states(tx, periods)
        for period in periods:
            remembered = months.peek(("evaluation", period, programmes), (epoch, states[period]))
            if remembered is not None:
                found[period] = remembered
        missing = [p for p in periods if p not in found]
        if missing:
            now = provider_states(tx, missing)
            before = {p: months.latest(("evaluation", p, programmes)) for p in missing}
            whole = [p for p in missing if before[p] is None or before[p].epoch != epoch]
            read = _read(tx, whole, programmes) if whole else {}
            for p in missing:
                if p not in read:
                    changed = sorted(slug for slug in now[p].keys() | before[p].generations.keys()
                                     if now[p].get(slug) != before[p].generations.get(slug))
                    read[p] = _read(tx, [p], programmes, changed)[p]
    for period in missing:
        month = _merged(before[period], read[period], now[period], epoch)
        months.put(("evaluation", period, programmes), (epoch, states[period]), month)
        found[period] = month
    per_programme: dict[str, dict[str, Decimal]] = {}
    per_provider: dict[str, list[int]] = {}
    per_month: dict[str, list[int]] = {}
    for period in periods:
        month = found[period]
        for programme, amounts in month.programmes.items():
            total = per_programme.setdefault(programme, dict.fromkeys(SOURCES, ZERO_CHF))
            for source in SOURCES:
                total[source] += amounts[source]
        for provider, centimes in month.sums.items():  # added up as integers, made francs once (781 adds a span)
            for total in (per_provider.setdefault(provider, [0] * len(centimes)),
                          per_month.setdefault(period, [0] * len(centimes))):
                for i, amount in enumerate(centimes):
                    total[i] += amount
    report.per_provider = {slug: dict(zip(SOURCES, map(money, c[1:]), strict=True)) for slug, c in per_provider.items()}
    report.per_month = {p: dict(zip(SOURCES, map(money, c[1:]), strict=True)) for p, c in per_month.items()}
    report.allowed = money(sum(c[0] for c in per_month.values()))
    return [(period, found[period].lines) for period in periods], per_programme, report


def _merged(before: Month | None, read: Month, generations: dict[str, int], epoch: str | None) -> Month:
    """The month read (`read`: every provider's, or only those that changed since `before`) with the providers
    of before that did not change; a provider's lines that read the same as before are the very tuple of before."""
    lines, paid, sums = {}, {}, {}
    if before is not None and before.epoch == epoch:  # of the same epoch: the generations compare
        kept = [slug for slug, generation in before.generations.items() if generations.get(slug) == generation]
        for slug in kept:
            for mine, theirs in ((lines, before.lines), (paid, before.paid), (sums, before.sums)):
                if slug in theirs:
                    mine[slug] = theirs[slug]
    for slug, found in read.lines.items():
        old = before.lines.get(slug) if before is not None else None
        lines[slug] = old if old == found else found
    paid.update(read.paid)
    sums.update(read.sums)
    centimes: dict[str, list[int]] = {}
    for by_programme in paid.values():
        for programme, amounts in by_programme.items():
            total = centimes.setdefault(programme, [0] * len(SOURCES))
            for i, amount in enumerate(amounts):
                total[i] += amount
    programmes = {programme: dict(zip(SOURCES, map(money, total), strict=True))
                  for programme, total in centimes.items()}
    return Month({s: lines[s] for s in sorted(lines)}, {s: paid[s] for s in sorted(paid)},
                 {s: sums[s] for s in sorted(sums)}, dict(generations), epoch, programmes)


def _read(tx, periods: list[str], programmes: tuple, providers: list[str] | None = None) -> dict[str, Month]:
    """Per month: per provider its lines in order, what its lines of each programme type paid, its report's sums
    (of every provider, or with `providers` of those alone, in the one month of `periods`)."""
    if providers is None:
        where, params = f"period IN {in_list(len(periods))}", list(periods)
    elif providers:
        where, params = f"period = ? AND provider IN {in_list(len(providers))}", [periods[0], *providers]
    else:
        return {p: Month({}, {}, {}, {}, None, {}) for p in periods}
    rows = tx.execute(LINES.replace("{where}", where).replace("{programmes}", in_list(len(programmes))),
                      [*params, *programmes])
    paid = tx.execute(PROGRAMME_SUMS.replace("{where}", where), params)
    sums = tx.execute(SUMS.replace("{where}", where), params)
    chf = Francs().__getitem__  # each amount made once (tariffs repeat: a few hundred amounts, ~15,000 lines)
    result = {p: Month({}, {}, {}, {}, None, {}) for p in periods}
    rows.sort(key=itemgetter(1, 0, 2, 3, 4))  # by month, provider, receipt, invoice, row
    for (period, provider), group in groupby(rows, key=itemgetter(1, 0)):
        result[period].lines[provider] = tuple(
            EvaluationLine(provider, period, programme, subject, chf(allowed),
                           dict(compress(zip(SOURCES, map(chf, amounts), strict=True), amounts)),  # 0: left out
                           exit_reason)
            for _, _, _, _, _, programme, subject, allowed, exit_reason, *amounts in group)
    for period, provider, programme, *amounts in paid:
        result[period].paid.setdefault(provider, {})[programme] = tuple(int(a) for a in amounts)  # centimes
    for provider, period, allowed, *amounts in sums:
        result[period].sums[provider] = (int(allowed), *(int(a) for a in amounts))  # centimes
    return result
