"""Finance's aggregates as the API and the pages show them (plain dicts), and as the funding split reads them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.finance.domain.aggregates import Budget, FederalCreditRule, FeeWaiver
from shared.finance.domain.sources import SOURCE_NAMES_DE
from shared.finance.domain.split import CreditRule, WaiverTerms


def waiver_terms(w: FeeWaiver) -> WaiverTerms:
    return WaiverTerms(id=str(w.id), provider=w.provider, participant=w.participant,
                       valid_from=date.fromisoformat(w.valid_from),
                       valid_to=date.fromisoformat(w.valid_to) if w.valid_to else None,
                       monthly_contribution=Decimal(w.monthly_contribution))


def waiver_view(w: FeeWaiver, history: list[dict] | None = None) -> dict:
    view = {"id": str(w.id), "provider": w.provider, "participant": w.participant, "valid_from": w.valid_from,
            "valid_to": w.valid_to, "monthly_contribution": w.monthly_contribution, "reference": w.reference,
            "comment": w.comment, "status": "active" if w.active else "revoked",
            "revoked_reason": w.revoked_reason, "version": w.version,
            "created_at": w.created_on.isoformat(), "modified_at": w.modified_on.isoformat()}
    if history is not None:
        view["history"] = history
    return view


def budget_view(b: Budget) -> dict:
    return {"id": str(b.id), "year": b.year, "source": b.source, "source_de": SOURCE_NAMES_DE[b.source],
            "amount": b.amount, "comment": b.comment, "version": b.version,
            "modified_at": b.modified_on.isoformat()}


def credit_rule_view(rule: CreditRule, record: FederalCreditRule | None = None) -> dict:
    return {"id": rule.id, "valid_from": rule.valid_from.isoformat(), "programmes": sorted(rule.programmes),
            "refugees": rule.refugees, "label": rule.label,
            "categories": {k: format(v.normalize(), "f") for k, v in rule.shares},
            "origin": "recorded" if record else "default",
            "version": record.version if record else None,
            "modified_at": record.modified_on.isoformat() if record else None}




def credit_rule_views(sup) -> list[dict]:
    """Every federal credit rule in force, the default ones and those finance recorded (`sup`: the supervision
    Application)."""
    records = {str(r.id): r for r in sup.credit_rule_records()}
    return [credit_rule_view(rule, records.get(rule.id)) for rule in sup.credit_rules()]
