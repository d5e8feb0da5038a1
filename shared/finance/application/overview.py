"""Finance's page of a month, quarter or year: the funding split per provider, budgets, fee waivers, rules."""
from __future__ import annotations

from shared.finance.application.reconciliation import Scope, funding_report
from shared.finance.application.views import credit_rule_views, waiver_view
from shared.finance.domain.sources import SOURCES


def finance_overview(portal, scope: Scope) -> dict:
    """report (shared.finance.application.reconciliation.funding_report), rows (the providers with an amount,
    with their names, by name), budgets (of a year), waivers (active first), rules, and what the forms choose from:
    providers [(slug, name)] by name and programme_types."""
    with portal.views.snapshot():  # the page's reads of the read models: one moment
        return _finance_overview(portal, scope)


def _finance_overview(portal, scope: Scope) -> dict:
    sup = portal.supervision
    report = funding_report(portal, scope)
    names = dict(portal.views.providers())  # the register as projected (no provider replayed)
    rows = sorted(({**p, "name": names.get(p["provider"], p["provider"])} for p in report["providers"]
                   if any(p[k] != "0.00" for k in SOURCES)), key=lambda r: r["name"].casefold())  # by name
    waivers = sorted((waiver_view(w) for w in sup.fee_waivers()), key=lambda v: (
        v["status"] != "active", v["provider"], v["participant"], v["valid_from"]))
    return {"report": report, "rows": rows, "budgets": report.get("budgets") or {}, "waivers": waivers,
            "rules": credit_rule_views(sup), "providers": sorted(names.items(), key=lambda kv: kv[1].casefold()),
            "programme_types": sorted(sup.catalogue().programme_types)}
