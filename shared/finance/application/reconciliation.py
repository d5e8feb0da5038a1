"""Who pays what: the funding report and the reconciliation of a month, quarter or year.

The figures come from the read model of the split per invoice line (shared.readmodels.funding: projected, and
projected again for every participant a fee waiver or a credit rule concerns), so a waiver recorded after
the invoices, a revoked waiver or a changed rule shows in every month it concerns. `funding_splits` replays
the same split from the stored invoices: the oracle the read model is tested against.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.finance.application.sums import FundingSums, split_funding, sums_of
from shared.finance.domain.sources import SOURCE_NAMES_DE, SOURCES
from shared.finance.domain.split import FundingLine, LineSplit, zero_sources
from shared.kernel.errors import Invalid
from shared.kernel.money import ZERO, amount_str
from shared.kernel.periods import Period

_QUARTER = re.compile(r"^\s*(\d{4})-?Q([1-4])\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Scope:
    """The months a report covers: one month, a quarter or a calendar year."""

    kind: str  # period | quarter | year
    label: str  # 2025-03 | 2025-Q1 | 2025
    year: int
    periods: tuple[Period, ...]

    @classmethod
    def month(cls, period: Period) -> Scope:
        return cls("period", str(period), period.year, (period,))

    @classmethod
    def quarter(cls, year: int, q: int) -> Scope:
        months = tuple(Period(year, m) for m in range(3 * q - 2, 3 * q + 1))
        return cls("quarter", f"{year}-Q{q}", year, months)

    @classmethod
    def whole_year(cls, year: int) -> Scope:
        return cls("year", str(year), year, tuple(Period(year, m) for m in range(1, 13)))


def parse_scope(period: str | None = None, year: str | int | None = None,
                quarter: str | None = None) -> Scope:
    """Exactly one of ?period=YYYY-MM, ?quarter=YYYY-Qn, ?year=YYYY (422 otherwise)."""
    given = [(k, v) for k, v in (("period", period), ("quarter", quarter), ("year", year))
             if v not in (None, "")]
    if len(given) != 1:
        raise Invalid("Bitte genau eines angeben: period=JJJJ-MM, quarter=JJJJ-Qn oder year=JJJJ", "period",
                      None)
    kind, value = given[0]
    text = str(value)
    try:
        if kind == "period":
            return Scope.month(Period.parse(text))
        if kind == "quarter":
            m = _QUARTER.match(text)
            if not m:
                raise ValueError(text)
            Period(int(m.group(1)), 1)
            return Scope.quarter(int(m.group(1)), int(m.group(2)))
        m = _YEAR.match(text)
        if not m:
            raise ValueError(text)
        Period(int(m.group(1)), 1)
        return Scope.whole_year(int(m.group(1)))
    except ValueError as exc:
        hint = {"period": "JJJJ-MM", "quarter": "JJJJ-Qn", "year": "JJJJ"}[kind]
        raise Invalid(f"«{text}» ist ungültig ({hint})", kind, text) from exc


def quarter_of(period: Period) -> str:
    return f"{period.year}-Q{(period.month - 1) // 3 + 1}"


# --- reading the lines -------------------------------------------------------------------------------

def funding_lines(portal, periods: Iterable[Period]) -> list[FundingLine]:
    """Every line of every provider's invoices of these months, latest version, with its allowed amount."""
    rep, sup = portal.reporting, portal.supervision
    wanted = {str(p) for p in periods}
    lines: list[FundingLine] = []
    for slug in sup.provider_slugs():
        for p in rep.periods(slug):
            if p not in wanted:
                continue
            for inv in rep.invoices(slug, p):
                lines.extend(invoice_funding_lines(inv))
    return lines


def invoice_funding_lines(inv, version: int | None = None) -> list[FundingLine]:
    """The lines of one invoice as finance sees them: the current check result, or that of ``version``."""
    sub = inv.latest if version in (None, inv.document_version) else inv.submission(version)
    result = inv.result if version in (None, inv.document_version) else sub["result"]
    parsed = {ln["row"]: ln for ln in sub.get("lines", [])}
    lines = []
    for ln in result["lines"]:
        src = parsed.get(ln["row"], {})
        lines.append(FundingLine(
            provider=inv.provider, period=src.get("period") or inv.period, participant=ln["participant"],
            programme=ln["programme"], funding=ln["funding"], allowed=Decimal(ln["allowed"]),
            unit=ln.get("unit", ""), cost_approval=src.get("cost_approval") or ln.get("cost_approval"),
            refugee=bool(src.get("refugee", ln.get("refugee", False))), invoice=str(inv.id),
            row=ln["row"], received_at=inv.first_received_at, exit_reason=src.get("exit_reason")))
    return lines


def funding_splits(portal, scope: Scope) -> list[LineSplit]:
    """The split replayed from the event store (every invoice of the months opened): the oracle the read model
    is compared with, and what needs the participant numbers of every line at once (the evaluation)."""
    return split_funding(portal.supervision, funding_lines(portal, scope.periods), portal.supervision.waiver_terms())


def funding_sums(portal, scope: Scope) -> FundingSums:
    """The sums of the months from the read model (projected; no invoice is replayed)."""
    return portal.views.funding_sums([str(p) for p in scope.periods])


# --- the report ----------------------------------------------------------------------------------------

def sources_str(amounts: dict[str, Decimal]) -> dict[str, str]:
    return {k: amount_str(amounts[k]) for k in SOURCES}


UNASSIGNED = "unassigned"
UNASSIGNED_DE = "nicht zugeordnet"
SocialServiceOf = Callable[[str, str | None], str | None]


def social_service_of(portal) -> SocialServiceOf:
    """(provider, reference) -> the register code of the social service the provider's recorded Kostengutsprache
    of that reference names; None for a reference without one. Each provider's book is read once."""
    books: dict[str, dict[str, str]] = {}
    head = portal.reporting.recorder.max_notification_id() or 0  # once for every provider's book

    def resolve(provider: str, reference: str | None) -> str | None:
        found = books.get(provider)
        if found is None:
            found = books[provider] = portal.reporting.social_services_by_reference(provider, head)
        return found.get(portal.reporting.reference_key(provider, reference)) if reference else None

    return resolve


def by_social_service(sums: FundingSums, resolve: SocialServiceOf | None = None,
                      names: Mapping[str, str] | None = None) -> list[dict]:
    """The `social_service` share per social service of the register (by name), references without a recorded
    Kostengutsprache last under «unassigned» («nicht zugeordnet»): code, name, amount, references."""
    groups: dict[str, dict[str, Decimal]] = {}
    for (provider, ref), amount in sums.references.items():
        code = (resolve(provider, ref) if resolve is not None else None) or UNASSIGNED
        refs = groups.setdefault(code, {})
        refs[ref] = refs.get(ref, ZERO) + amount
    names = names or {}

    def name(code: str) -> str:
        return UNASSIGNED_DE if code == UNASSIGNED else names.get(code, code)

    order = sorted(groups, key=lambda c: (c == UNASSIGNED, name(c).casefold()))
    return [{"social_service": code, "name": name(code), "amount": amount_str(sum(groups[code].values(), ZERO)),
             "references": [{"reference": r, "amount": amount_str(a)} for r, a in sorted(groups[code].items())]}
            for code in order]


def social_service_groups(portal, sums: FundingSums) -> list[dict]:
    """by_social_service with the register's names and the providers' recorded Kostengutsprachen."""
    names = {code: e.name for code, e in portal.supervision.social_services().items()}
    return by_social_service(sums, social_service_of(portal), names)


def social_service_report(portal, scope: Scope) -> dict:
    """``GET /api/v1/funding?...&by=social_service``: the social_service share per social service of the
    register, references without a recorded Kostengutsprache under «unassigned»."""
    groups = social_service_groups(portal, funding_sums(portal, scope))
    return {"period": scope.label, "kind": scope.kind, "months": [str(p) for p in scope.periods],
            "by": "social_service", "social_services": groups,
            "total": amount_str(sum((Decimal(g["amount"]) for g in groups), ZERO))}


def budget_section(portal, year: int, spent: dict[str, Decimal]) -> dict[str, dict]:
    budgets = {b.source: Decimal(b.amount) for b in portal.supervision.budgets(year)}
    section = {}
    for source in SOURCES:
        budget = budgets.get(source)
        section[source] = {
            "budget": amount_str(budget) if budget is not None else None,
            "spent": amount_str(spent[source]),
            "remaining": amount_str(budget - spent[source]) if budget is not None else None,
            "used_percent": f"{(spent[source] * 100 / budget):.1f}" if budget else None,
        }
    return section


def funding_report(portal, scope: Scope, splits: list[LineSplit] | None = None,
                   sums: FundingSums | None = None) -> dict:
    """``GET /api/v1/funding``: per provider (all 26) and in total, the six sources as "0.00" strings;
    extensions: ``kind``, ``months``, ``by_social_service`` and, for a year, ``budgets``.
    From the read model unless the splits (or their sums) are given."""
    if sums is None:
        sums = sums_of(splits) if splits is not None else funding_sums(portal, scope)
    per_provider = {slug: zero_sources() for slug in portal.supervision.provider_slugs()}
    for slug, amounts in sums.per_provider.items():
        per_provider[slug] = amounts
    total = sums.total()
    report = {
        "period": scope.label,
        "providers": [{"provider": slug, **sources_str(a)} for slug, a in per_provider.items()],
        "total": sources_str(total),
        "kind": scope.kind,
        "months": [str(p) for p in scope.periods],
        "allowed": amount_str(sums.allowed),
        "by_social_service": social_service_groups(portal, sums),
    }
    if scope.kind == "year":
        report["budgets"] = budget_section(portal, scope.year, total)
    return report


def reconciliation(portal, year: int, sums: FundingSums | None = None) -> dict:
    """Every source per month, quarter and year against its budget (domain-rules §5)."""
    scope = Scope.whole_year(year)
    if sums is None:
        sums = funding_sums(portal, scope)
    months = {str(p): zero_sources() for p in scope.periods}
    quarters = {f"{year}-Q{q}": zero_sources() for q in range(1, 5)}
    for period, amounts in sums.per_month.items():
        if period not in months:
            continue
        for k, v in amounts.items():
            months[period][k] += v
            quarters[quarter_of(Period.parse(period))][k] += v
    total = sums.total()
    budgets = budget_section(portal, year, total)
    sources = []
    for source in SOURCES:
        sources.append({"source": source, "label_de": SOURCE_NAMES_DE[source], **budgets[source],
                        "months": {m: amount_str(a[source]) for m, a in months.items()},
                        "quarters": {q: amount_str(a[source]) for q, a in quarters.items()}})
    return {"year": year, "sources": sources, "total": sources_str(total), "allowed": amount_str(sums.allowed),
            "by_social_service": [{k: g[k] for k in ("social_service", "name", "amount")}  # references are personal
                                  for g in social_service_groups(portal, sums)]}
