"""What the supervision pages and the API read: the overview, the year grid, totals, findings, costs, exits."""
# `Views` is `portal.views`: opened on first use; `catch_up()` projects what the logs hold beyond the tracked
# positions (a request that calls it first sees every event committed before it). Amounts: strings, two decimals.
from __future__ import annotations

import json
import threading

from shared.checks.rules import ORDER
from shared.kernel.periods import Period, parse_period
from shared.readmodels import evaluation_lines, funding
from shared.readmodels.centimes import amount
from shared.readmodels.finding_counts import FINDINGS_BY_CODE, OPEN_FINDINGS
from shared.readmodels.generations import MONTHS_REMEMBERED, ByParts, Remembered, token
from shared.readmodels.snapshot import SnapshotReads
from shared.readmodels.statements import DECIDED
from shared.readmodels.store import ViewStore, open_view_store
from shared.review.domain.status import status_of
from shared.submissions.domain.deadlines import contract_status
from shared.submissions.domain.documents import EXIT_REASONS

INTEGRATION_ARBEIT = "integration-arbeit"


# --- the statements (the WHERE clause of a filter replaces {where}) --------------------------------
PROVIDERS = "SELECT slug, name FROM providers ORDER BY ordinal"
OVERVIEW = """
SELECT p.slug, m.invoice_received_at, m.capacity_received_at, m.claimed, m.allowed, m.open_findings
FROM providers p LEFT JOIN provider_months m ON m.provider = p.slug AND m.period = ?
ORDER BY p.ordinal
"""
GRID = """
SELECT provider, period, invoice_received_at, capacity_received_at FROM provider_months
WHERE period BETWEEN ? AND ?
"""
TOTALS = """
SELECT provider, SUM(claimed), SUM(allowed), SUM(reduction), SUM(open_findings)
FROM provider_months {where} GROUP BY provider
"""
PROGRAMME_TOTALS = """
SELECT provider, SUM(claimed), SUM(allowed), SUM(reduction) FROM invoice_programmes {where} GROUP BY provider
"""
COSTS = """
SELECT period, programme, SUM(allowed) FROM invoice_programmes {where}
GROUP BY period, programme ORDER BY period, programme
"""
OCCUPANCY = "SELECT provider, SUM(places), SUM(occupied) FROM capacity WHERE period = ? GROUP BY provider"
PROVIDER_MONTHS = """
SELECT period, invoice_received_at, capacity_received_at, claimed, allowed, reduction, findings,
    open_findings, invoice_ids
FROM provider_months WHERE provider = ? AND period BETWEEN ? AND ?
"""
PROVIDER_INVOICES = """
SELECT i.invoice_id, i.period, i.version, i.claimed, i.allowed, r.approved_version, r.returned_version
FROM invoices i LEFT JOIN reviews r ON r.invoice_id = i.invoice_id
WHERE i.provider = ? AND i.period BETWEEN ? AND ? ORDER BY i.ordinal
"""
EXITS = """
SELECT provider, exit_reason, COUNT(*)
FROM (SELECT DISTINCT provider, period, participant, exit_reason FROM exits {where}) x
GROUP BY provider, exit_reason
"""
LATEST_PERIOD = """
SELECT MAX(period) FROM provider_months
WHERE period BETWEEN ? AND ? AND (invoice_received_at IS NOT NULL OR capacity_received_at IS NOT NULL)
"""
TEST_PROGRAMME_PROVIDERS = "SELECT slug FROM providers WHERE integration_arbeit_test = 1"
OFFERING_PROVIDERS = "SELECT DISTINCT provider FROM offerings WHERE programme_type = ?"


def months_of(year: int) -> list[str]:
    return [f"{int(year):04d}-{m:02d}" for m in range(1, 13)]


def _where(period=None, year=None, programme=None, prefix: str = "") -> tuple[str, list]:
    """A WHERE clause (always, `1 = 1` for no filter) on period, year (its twelve months), programme type."""
    clauses, params = [], []
    if period is not None:
        clauses.append(f"{prefix}period = ?")
        params.append(str(parse_period(period)))
    if year is not None:
        clauses.append(f"{prefix}period BETWEEN ? AND ?")
        params += [f"{int(year):04d}-01", f"{int(year):04d}-12"]
    if programme is not None:
        clauses.append(f"{prefix}programme = ?")
        params.append(programme)
    return "WHERE " + " AND ".join(clauses or ["1 = 1"]), params


def _sql(statement: str, where: str) -> str:
    return statement.replace("{where}", where)


def _findings_sql(statement: str, period=None, year=None, programme=None) -> tuple[str, list]:
    """The statement over findings and their decisions, both narrowed to the months (no range carries over)."""
    where, params = _where(period, year, programme, prefix="f.")
    months, months_params = _where(period, year, prefix="d.")
    decided = DECIDED + " AND " + months.removeprefix("WHERE ")
    return statement.replace("{decided}", decided).replace("{where}", where), months_params + params


class Views(SnapshotReads):
    """The read models of one portal: queries, catch_up() for freshness, snapshot() for a page's reads."""

    def __init__(self, portal, store: ViewStore | None = None):
        self.portal = portal
        self._store = store
        self._projector = None
        self._lock = threading.RLock()
        self.projecting = True  # False in a heavy process (services/common/heavy.py): its caller projected
        self.remembered = Remembered()  # results of the funding split's months (generations)
        self.remembered_months = Remembered(MONTHS_REMEMBERED)  # the evaluation's lines, month by month
        self.evaluation_cells = ByParts()  # its cells, while made from the same months' lines
        self.reference_texts = funding.ReferenceTexts()  # the Kostengutsprachen opened (readmodels.funding)

    # --- the store and its projector, opened on first use ----------------------------------------
    @property
    def store(self) -> ViewStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_view_store(self.portal.settings)
        return self._store

    @property
    def projector(self):
        if self._projector is None:
            from shared.readmodels.projector import Projector

            with self._lock:
                if self._projector is None:
                    self._projector = Projector(self.portal, self.store)
        return self._projector

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    # --- the funding split (shared.readmodels.funding), current as of this call ------------------
    def funding_sums(self, periods: list[str], *, references: bool = True):
        self.catch_up()
        return funding.funding_sums(self.store, periods, self.projector.funding.vault, references=references,
                                    texts=self.reference_texts)

    def funding_splits(self, periods: list[str]):
        self.catch_up()
        return funding.funding_splits(self.store, periods, self.projector.funding.vault)

    def evaluation_months(self, periods: list[str], programmes: list[str]):
        self.catch_up()
        return evaluation_lines.evaluation_months(self.store, periods, programmes, self.remembered_months)

    def by_funding_months(self, key, periods: list[str], compute):
        """compute() — or what it gave before for `key`, while the funding split of these months is unchanged
        (generations). In one snapshot: the token and compute's reads are of one moment."""
        with self.snapshot(), self.store.read() as tx:
            return self.remembered.get(key, token(tx, periods), compute)

    # --- helpers ---------------------------------------------------------------------------------
    def _status(self, period: str, first: str | None) -> str:
        rep = self.portal.reporting
        return rep.deadlines.status(Period.parse(period), [first] if first else [], rep.clock().date())

    def latest_period(self, first: Period, last: Period) -> Period | None:
        """The latest month from `first` to `last` for which an invoice or a capacity report came, or None."""
        found = self._rows(LATEST_PERIOD, (str(first), str(last)))
        return Period.parse(found[0][0]) if found and found[0][0] else None

    def providers(self) -> list[tuple[str, str]]:
        """(slug, name) of every registered provider, in the register's order (read once per snapshot)."""
        return self._memo("providers", lambda: [(slug, name) for slug, name in self._rows(PROVIDERS)])

    # --- the overview (api.md) ---------------------------------------------------------------------
    def overview(self, period) -> dict:
        """All providers for one month: invoice and capacity report received | late | missing, amounts,
        open findings; the same figures as tests.oracles computes from the aggregates."""
        p = str(parse_period(period))
        rows = self._rows(OVERVIEW, (p,))
        return {"period": p, "providers": [
            {"provider": slug, "invoice": contract_status(self._status(p, inv)),
             "capacity_report": contract_status(self._status(p, cap)),
             "claimed": amount(claimed), "allowed": amount(allowed), "open_findings": open_ or 0}
            for slug, inv, cap, claimed, allowed, open_ in rows]}

    # --- the dashboard --------------------------------------------------------------------------------
    def grid(self, year: int) -> dict:
        """Every provider × month of the year: invoice and capacity report received | late | missing | pending."""
        months = months_of(year)
        found = {(prov, per): (inv, cap) for prov, per, inv, cap in self._rows(GRID, (months[0], months[-1]))}
        providers = []
        for slug, name in self.providers():
            cells = []
            for m in months:
                inv, cap = found.get((slug, m), (None, None))
                cells.append({"period": m, "invoice": self._status(m, inv),
                              "capacity_report": self._status(m, cap)})
            providers.append({"provider": slug, "name": name, "cells": cells})
        return {"months": months, "providers": providers}

    def provider_totals(self, period=None, year=None, programme: str | None = None) -> list[dict]:
        """Per provider (all of them, zeros included): claimed, allowed, reduction, open findings."""
        if programme is None:
            where, params = _where(period, year)
            sums = {r[0]: r[1:] for r in self._rows(_sql(TOTALS, where), params)}
        else:
            where, params = _where(period, year, programme)
            amounts = {r[0]: r[1:] for r in self._rows(_sql(PROGRAMME_TOTALS, where), params)}
            open_ = dict(self._rows(*_findings_sql(OPEN_FINDINGS, period, year, programme)))
            sums = {p: (*a, open_.get(p, 0)) for p, a in amounts.items()}
            sums.update({p: (0, 0, 0, n) for p, n in open_.items() if p not in amounts})
        result = []
        for slug, name in self.providers():
            claimed, allowed, reduction, open_findings = sums.get(slug, (0, 0, 0, 0))
            result.append({"provider": slug, "name": name, "claimed": amount(claimed),
                           "allowed": amount(allowed), "reduction": amount(reduction),
                           "open_findings": int(open_findings or 0)})
        return result

    def findings_by_code(self, period=None, year=None, programme: str | None = None) -> list[dict]:
        """Per check code that occurs: how many findings, and how many open, confirmed, waived (§4 order)."""
        rows = self._rows(*_findings_sql(FINDINGS_BY_CODE, period, year, programme))
        rows.sort(key=lambda r: (ORDER.get(r[0], len(ORDER)), r[0]))
        return [{"code": code, "count": int(count), "open": int(o or 0), "confirmed": int(c or 0),
                 "waived": int(w or 0)} for code, count, o, c, w in rows]

    def costs_by_programme(self, year: int) -> list[dict]:
        """Allowed amounts per month and programme type (only combinations that occur)."""
        where, params = _where(year=year)
        return [{"period": period, "programme": programme, "allowed": amount(allowed)}
                for period, programme, allowed in self._rows(_sql(COSTS, where), params)]

    def occupancy(self, period) -> list[dict]:
        """Places and occupied places per provider as reported for the month (every provider; `reported`
        says whether a capacity report counts at all)."""
        sums = {r[0]: r[1:] for r in self._rows(OCCUPANCY, (str(parse_period(period)),))}
        return [{"provider": slug, "name": name, "places": int(sums.get(slug, (0, 0))[0]),
                 "occupied": int(sums.get(slug, (0, 0))[1]), "reported": slug in sums}
                for slug, name in self.providers()]

    def provider_months(self, provider: str, year: int) -> list[dict]:
        """The twelve months of one provider: statuses, first receipts, amounts, findings, its invoices."""
        months = months_of(year)
        span = (provider, months[0], months[-1])
        found = {r[0]: r[1:] for r in self._rows(PROVIDER_MONTHS, span)}
        invoices: dict[str, list[dict]] = {}
        for iid, period, version, claimed, allowed, approved, returned in self._rows(PROVIDER_INVOICES, span):
            invoices.setdefault(period, []).append(
                {"id": iid, "version": version, "status": status_of(version, approved, returned),
                 "claimed": amount(claimed), "allowed": amount(allowed)})
        result = []
        for m in months:
            inv, cap, claimed, allowed, reduction, findings, open_, ids = found.get(
                m, (None, None, 0, 0, 0, 0, 0, "[]"))
            result.append({"period": m, "invoice": self._status(m, inv),
                           "capacity_report": self._status(m, cap), "invoice_received_at": inv,
                           "capacity_report_received_at": cap, "claimed": amount(claimed),
                           "allowed": amount(allowed), "reduction": amount(reduction), "findings": findings,
                           "open_findings": open_, "invoice_ids": json.loads(ids),
                           "invoices": invoices.get(m, [])})
        return result

    # --- the evaluation of integration.arbeit (domain-rules §7) ---------------------------------------
    def exits(self, programme: str = INTEGRATION_ARBEIT, year: int | None = None) -> dict:
        """Exits by reason per provider: for integration.arbeit the three providers of the test programme,
        for another programme type every provider with an offering of it or an exit from it. One exit per
        participant, month and reason, however many lines carried it."""
        where, params = _where(year=year, programme=programme)
        counts: dict[str, dict[str, int]] = {}
        for provider, reason, n in self._rows(_sql(EXITS, where), params):
            counts.setdefault(provider, {})[reason] = int(n)
        if programme == INTEGRATION_ARBEIT:
            chosen = {r[0] for r in self._rows(TEST_PROGRAMME_PROVIDERS)}
        else:
            chosen = set(counts) | {r[0] for r in self._rows(OFFERING_PROVIDERS, (programme,))}
        reasons = list(EXIT_REASONS)
        for found in counts.values():
            reasons += [r for r in found if r not in reasons]
        rows, total = [], dict.fromkeys(reasons, 0)
        for slug, name in self.providers():
            if slug not in chosen:
                continue
            by_reason = {r: counts.get(slug, {}).get(r, 0) for r in reasons}
            for r, n in by_reason.items():
                total[r] += n
            rows.append({"provider": slug, "name": name, "by_reason": by_reason,
                         "exits": sum(by_reason.values())})
        return {"programme": programme, "year": year, "reasons": reasons, "providers": rows,
                "total": {"by_reason": total, "exits": sum(total.values())}}
