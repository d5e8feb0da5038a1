"""Finance's page of a month, quarter or year: the funding split per provider, budgets, fee waivers, rules."""
from __future__ import annotations

from shared.finance.application.reconciliation import Scope, funding_report
from shared.finance.application.views import credit_rule_views, waiver_view
from shared.finance.domain.sources import SOURCES


def finance_overview(portal, scope: Scope) -> dict:
    """report (shared.finance.application.reconciliation.funding_report), rows (the providers with an amount,
    with their names, by name), budgets (of a year), waivers (those in force in the scope's months) and
    other_waivers (revoked, or in force only outside them), rules, and what the forms choose from: providers
    [(slug, name)] by name and programme_types."""
    with portal.views.snapshot():  # the page's reads of the read models: one moment
        return _finance_overview(portal, scope)


def _finance_overview(portal, scope: Scope) -> dict:
    sup = portal.supervision
    report = funding_report(portal, scope)
    names = dict(portal.views.providers())  # the register as projected (no provider replayed)
    rows = sorted(({**p, "name": names.get(p["provider"], p["provider"])} for p in report["providers"]
                   if any(p[k] != "0.00" for k in SOURCES)), key=lambda r: r["name"].casefold())  # by name
    waivers = sorted((waiver_view(w) for w in sup.fee_waivers()), key=lambda v: (  # by the provider's name
        v["status"] != "active", names.get(v["provider"], v["provider"]).casefold(), v["participant"], v["valid_from"]))
    first, last = scope.periods[0].first_day.isoformat(), scope.periods[-1].last_day.isoformat()

    def in_force(v: dict) -> bool:
        return v["status"] == "active" and v["valid_from"] <= last and (v["valid_to"] or last) >= first

    return {"report": report, "rows": rows, "budgets": report.get("budgets") or {},
            "waivers": [v for v in waivers if in_force(v)], "other_waivers": [v for v in waivers if not in_force(v)],
            "rules": credit_rule_views(sup), "providers": sorted(names.items(), key=lambda kv: kv[1].casefold()),
            "programme_types": sorted(sup.catalogue().programme_types)}
