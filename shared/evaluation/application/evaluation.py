"""`GET /api/v1/evaluations`: a programme type over a span, compared with others, from the funding split.

The lines and their money come from the read model of the split per invoice line (shared.readmodels.funding:
pseudonyms only, no invoice replayed), the same split the funding report sums for the same months; the
report for the span is returned beside it and must reconcile to the centime. The PDF report computes the same
from the split replayed from the invoices it proves (`evaluate_splits`), and the tests hold the two equal.
Participant numbers never reach this module; what leaves it is protected against small numbers
(shared.evaluation.domain.suppression).
"""
from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from decimal import Decimal

from shared.evaluation.domain.figures import (
    Cell,
    EvaluationLine,
    Months,
    ProgrammeTable,
    Remember,
    by_month,
    months_table,
    quarter_of,
)
from shared.evaluation.domain.suppression import MIN_PARTICIPANTS, ROW, protect
from shared.finance.application.reconciliation import Scope, sources_str
from shared.finance.application.sums import FundingSums, sums_of
from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import LineSplit, zero_sources
from shared.kernel.errors import Invalid
from shared.kernel.money import amount_str
from shared.kernel.periods import Period
from shared.submissions.domain.documents import EXIT_REASONS

DEFAULT_PROGRAMME = "integration-arbeit"
# the test programme: mid-October 2022 to June 2025 (press release of 27 September 2022, domain-rules §7)
DEFAULT_FROM, DEFAULT_TO = "2022-10", "2025-06"
DEFAULT_COMPARE = ("integration-arbeit", "qualifizierung", "coaching")
MAX_MONTHS = 120


@dataclass(frozen=True)
class EvaluationQuery:
    programme: str
    first: Period
    last: Period
    compare: tuple[str, ...]

    @property
    def periods(self) -> tuple[Period, ...]:
        months, p = [], self.first
        while p <= self.last:
            months.append(p)
            p = p.next()
        return tuple(months)

    @property
    def scope(self) -> Scope:
        """The span as the funding report takes it."""
        return Scope("span", f"{self.first}–{self.last}", self.first.year, self.periods)

    @property
    def programmes(self) -> tuple[str, ...]:
        return (self.programme, *self.compare)

    @property
    def quarters(self) -> list[str]:
        return sorted({quarter_of(str(p)) for p in self.periods})


def _month(value: str | None, default: str, name: str) -> Period:
    text = (value or "").strip() or default
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise Invalid(f"«{text}» ist kein Monat (JJJJ-MM)", name, text) from exc


def parse_query(catalogue, programme: str | None = None, first: str | None = None, last: str | None = None,
                compare: str | None = None) -> EvaluationQuery:
    """The query, or a German error naming the field and value (HTTP 422)."""
    known = catalogue.programme_types
    slug = (programme or "").strip() or DEFAULT_PROGRAMME
    if slug not in known:
        slug = catalogue.programme_slug(slug) or slug
    if slug not in known:
        raise Invalid(f"Unbekannte Programmart «{slug}»", "programme", slug)
    start, end = _month(first, DEFAULT_FROM, "from"), _month(last, DEFAULT_TO, "to")
    if end < start:
        raise Invalid(f"Der Zeitraum endet ({end}) vor seinem Beginn ({start})", "to", str(end))
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise Invalid(f"Der Zeitraum ist länger als {MAX_MONTHS // 12} Jahre", "to", str(end))
    if compare is None or not compare.strip():
        others = [p for p in DEFAULT_COMPARE if p != slug]
    else:
        others = []
        for part in compare.split(","):
            found = part.strip() if part.strip() in known else catalogue.programme_slug(part)
            if found is None:
                raise Invalid(f"Unbekannte Programmart «{part.strip()}»", "compare", part.strip())
            if found != slug and found not in others:
                others.append(found)
    return EvaluationQuery(slug, start, end, tuple(others))


def replayed_lines(portal, splits: list[LineSplit], programmes) -> tuple[list[EvaluationLine], dict[str, dict]]:
    """What the read model's `evaluation_months` gives (less the report), from a replayed split: the lines of these
    programme types (numbers replaced by pseudonyms), and per programme type (all of them) what its lines paid per
    source."""
    pseudonym = portal.reporting.sealer.vault.participant_subject
    wanted = set(programmes)
    per_programme: dict[str, dict[str, Decimal]] = {}
    for split in splits:
        sums = per_programme.setdefault(split.line.programme, zero_sources())
        for source, amount in split.amounts.items():
            sums[source] += amount
    return [EvaluationLine(s.line.provider, s.line.period, s.line.programme,
                           pseudonym(s.line.provider, s.line.participant), s.line.allowed, s.amounts,
                           s.line.exit_reason)
            for s in splits if s.line.programme in wanted], per_programme


def evaluate(portal, query: EvaluationQuery, minimum: int = MIN_PARTICIPANTS, *, copy: bool = True) -> dict:
    """The evaluation as the API answers it (api.md, «Evaluation»), from the read models. `copy=False`: the answer
    remembered itself, for a caller that only reads it (the page: a deep copy was a fifth of a remembered answer)."""
    periods, views = [str(p) for p in query.periods], portal.views

    def compute() -> dict:
        months, per_programme, report = views.evaluation_months(periods, list(query.programmes))
        return _evaluation(portal, query, months, per_programme, report, minimum, views.evaluation_cells)

    with views.snapshot():  # the lines and the report's sums of one moment: they must reconcile
        # remembered while the span's funding split is unchanged (the register's names are part of the answer)
        found = views.by_funding_months(("evaluation", query, minimum, tuple(views.providers())), periods, compute)
    return deepcopy(found) if copy else found  # the caller's own: what is remembered stays as computed


def evaluate_splits(portal, query: EvaluationQuery, splits: list[LineSplit], minimum: int = MIN_PARTICIPANTS) -> dict:
    """The same from the span's replayed split (every line of every programme type: fee-waiver contributions are
    shared by a participant's lines of a month, so only the whole split is the funding report's)."""
    lines, per_programme = replayed_lines(portal, splits, query.programmes)
    with portal.views.snapshot():  # the providers' names and order, caught up
        return _evaluation(portal, query, by_month(lines), per_programme, sums_of(splits), minimum)


def _evaluation(portal, query: EvaluationQuery, months: Months, per_programme: dict[str, dict],
                sums: FundingSums, minimum: int, remember: Remember | None = None) -> dict:
    providers = portal.views.providers()  # the register's order and names, projected (one statement)
    order, names = [slug for slug, _ in providers], dict(providers)
    tables = [protect(months_table(months, p, order, query.quarters, remember), minimum)  # cells made before, kept
              for p in query.programmes]
    rows = [_row(c, names) for t in tables for c in (*t.providers, t.total)]
    return {
        "programme": query.programme, "from": str(query.first), "to": str(query.last),
        "compare": list(query.compare), "min_participants": minimum, "reasons": list(EXIT_REASONS),
        "rows": rows,
        "quarters": [_quarter(c) for t in tables for c in t.quarters],
        "reconciliation": _reconciliation(query.scope.label, sums, tables, per_programme),
    }


def _hide(c: Cell, key: str, value):
    return None if c.is_hidden(key) else value


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else amount_str(value)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _row(c: Cell, names: dict[str, str]) -> dict:
    hidden = c.suppressed
    into_work, total = c.is_hidden("exits_into_work"), c.is_hidden("exits_total")
    return {
        "programme": c.programme, "provider": c.provider,
        "provider_name": names.get(c.provider, c.provider) if c.provider else None,
        "participants": None if hidden else c.participants,
        "participant_months": None if hidden else c.participant_months,
        "mean_months": None if hidden else _number(c.mean_months),
        "median_months": None if hidden else _number(c.median_months),
        "exits": {r: _hide(c, r, c.exits.get(r, 0)) for r in EXIT_REASONS},
        "exits_total": _hide(c, "exits_total", c.exits_total),
        "exits_into_work": _hide(c, "exits_into_work", c.exits_into_work),
        "share_into_work": None if into_work or total else _number(c.share_into_work),
        "allowed": None if hidden else amount_str(c.allowed),
        "per_participant": None if hidden else _amount(c.per_participant),
        "per_exit_into_work": None if hidden or into_work else _amount(c.per_exit_into_work),
        "by_source": {s: None if hidden else amount_str(c.by_source[s]) for s in SOURCES},
        "suppressed": hidden,
        "suppressed_cells": sorted(k for k in c.hidden if k != ROW),
        "complementary": sorted(c.complementary),
    }


def _quarter(c: Cell) -> dict:
    hidden = c.suppressed
    return {"programme": c.programme, "quarter": c.quarter,
            "participants": None if hidden else c.participants,
            "participant_months": None if hidden else c.participant_months,
            "allowed": None if hidden else amount_str(c.allowed),
            "by_source": {s: None if hidden else amount_str(c.by_source[s]) for s in SOURCES},
            "suppressed": hidden, "complementary": sorted(c.complementary)}


def _reconciliation(span: str, sums: FundingSums, tables: list[ProgrammeTable], per_programme: dict[str, dict]
                    ) -> dict:
    """The funding report's totals of the span, the programme types shown, and the rest (every other programme
    type's lines, summed apart from the report's sums): shown + rest = report, per source to the centime. A
    suppressed programme total is part of the rest, so the rest can not reveal it."""
    shown = {t.programme: t.total.by_source for t in tables if not t.total.suppressed}
    rest = zero_sources()
    for programme, amounts in per_programme.items():
        if programme not in shown:
            for source, amount in amounts.items():
                rest[source] += amount
    total = sums.total()
    reconciles = all(sum((a[s] for a in shown.values()), rest[s]) == total[s] for s in SOURCES)
    return {"span": span, "funding_report": sources_str(total), "funding_report_allowed": amount_str(sums.allowed),
            "programmes": {p: sources_str(a) for p, a in shown.items()}, "rest": sources_str(rest),
            "reconciles": reconciles}
