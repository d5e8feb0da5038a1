"""Finance over the API (/api/v1): fee waivers, federal credit rules, budgets, funding, exports."""
# Reading is for supervisor, finance and admin (`supervise`); recording is for finance and admin (`finance`);
# a provider token is refused on every route (403). The German finance page is finance_page.py.
from __future__ import annotations

from uuid import UUID

from litestar import Response, get, post, put
from litestar.di import Provide
from litestar.response import Stream

from services.common.auth import current_principal, require
from services.supervision.finance_exports import funding_csv_of, funding_xlsx_of
from services.supervision.schemas import BudgetIn, FederalCreditRuleIn, FeeWaiverChangeIn, FeeWaiverIn, RevokeIn
from shared.access.domain.roles import Principal
from shared.finance.application.reconciliation import (
    funding_report,
    parse_scope,
    reconciliation,
    social_service_report,
)
from shared.finance.application.views import budget_view, credit_rule_view, credit_rule_views, waiver_view
from shared.kernel.errors import Invalid
from shared.portal import Portal

DEPS = {"principal": Provide(current_principal)}


def _waiver(portal: Portal, waiver) -> dict:
    return waiver_view(waiver, portal.supervision.finance_history(waiver.id))


# --- fee waivers ---------------------------------------------------------------------------------------

@post("/fee-waivers", guards=[require("finance")], dependencies=DEPS, sync_to_thread=True, status_code=201)
def create_fee_waiver(data: FeeWaiverIn, principal: Principal, portal: Portal) -> dict:
    """Record a fee waiver decision (Kostenerlass, domain-rules §5): the participant pays the fixed monthly
    contribution, the canton's waiver the rest of the participant's 50 %, in every month the decision covers,
    also for invoices received before it."""
    waiver = portal.supervision.record_fee_waiver(
        data.provider, data.participant, data.valid_from, data.valid_to, data.monthly_contribution,
        principal.name, reference=data.reference, comment=data.comment)
    return _waiver(portal, waiver)


@get("/fee-waivers", guards=[require("supervise")], sync_to_thread=True)
def list_fee_waivers(portal: Portal, provider: str | None = None, participant: str | None = None,
                     status: str | None = None) -> list[dict]:
    """All fee waiver decisions (filter by provider, participant, status=active|revoked)."""
    if status not in (None, "", "active", "revoked"):
        raise Invalid("status: active oder revoked", "status", status)
    views = [waiver_view(w) for w in portal.supervision.fee_waivers(provider or None, participant or None)]
    views = [v for v in views if not status or v["status"] == status]
    return sorted(views, key=lambda v: (v["provider"], v["participant"], v["valid_from"]))


@get("/fee-waivers/{waiver_id:uuid}", guards=[require("supervise")], sync_to_thread=True)
def get_fee_waiver(waiver_id: UUID, portal: Portal) -> dict:
    return _waiver(portal, portal.supervision.fee_waiver(waiver_id))


@put("/fee-waivers/{waiver_id:uuid}", guards=[require("finance")], dependencies=DEPS, sync_to_thread=True)
def change_fee_waiver(waiver_id: UUID, data: FeeWaiverChangeIn, principal: Principal, portal: Portal) -> dict:
    """Change the decision's validity or contribution (an event «Changed»; provider and participant stay)."""
    waiver = portal.supervision.change_fee_waiver(
        waiver_id, data.valid_from, data.valid_to, data.monthly_contribution, principal.name,
        reference=data.reference, comment=data.comment, provider=data.provider, participant=data.participant)
    return _waiver(portal, waiver)


@post("/fee-waivers/{waiver_id:uuid}/revoke", guards=[require("finance")], dependencies=DEPS,
      sync_to_thread=True, status_code=200)
def revoke_fee_waiver(waiver_id: UUID, data: RevokeIn, principal: Principal, portal: Portal) -> dict:
    """Revoke the decision (an event «Revoked»): from now on it waives no month; 409 if already revoked."""
    waiver = portal.supervision.revoke_fee_waiver(waiver_id, data.reason, principal.name)
    return _waiver(portal, waiver)


# --- federal integration credit rules ------------------------------------------------------------------

@get("/federal-credit-rules", guards=[require("supervise")], sync_to_thread=True)
def list_credit_rules(portal: Portal) -> list[dict]:
    """The effective-dated attribution rules; each applies from its month until the next rule starts."""
    return credit_rule_views(portal.supervision)


@post("/federal-credit-rules", guards=[require("finance")], dependencies=DEPS, sync_to_thread=True,
      status_code=201)
def create_credit_rule(data: FederalCreditRuleIn, principal: Principal, portal: Portal) -> dict:
    """A rule from a first of a month: programme types and/or refugees (line flag «Flüchtling/VA») whose
    canton share the federal integration credit takes over. The same start again revises that rule."""
    record = portal.supervision.record_credit_rule(data.valid_from, data.programmes, data.refugees,
                                                   data.label, principal.name, categories=data.categories,
                                                   share=data.share)
    rule = next(r for r in portal.supervision.credit_rules() if r.id == str(record.id))
    return credit_rule_view(rule, record)


# --- budgets ----------------------------------------------------------------------------------------------

@post("/budgets", guards=[require("finance")], dependencies=DEPS, sync_to_thread=True, status_code=201)
def set_budget(data: BudgetIn, principal: Principal, portal: Portal) -> dict:
    """The budget of one funding source in one year; posting it again revises it (an event «Revised»)."""
    return budget_view(portal.supervision.set_budget(data.year, data.source, data.amount, principal.name,
                                                     comment=data.comment))


@get("/budgets", guards=[require("supervise")], sync_to_thread=True)
def list_budgets(portal: Portal, year: str | None = None) -> list[dict]:
    scope_year = parse_scope(year=year).year if year else None
    return [budget_view(b) for b in portal.supervision.budgets(scope_year)]


# --- funding and reconciliation ----------------------------------------------------------------------

@get("/funding", guards=[require("supervise")], sync_to_thread=True)
def get_funding(portal: Portal, period: str | None = None, year: str | None = None,
                quarter: str | None = None, by: str | None = None) -> dict:
    """Allowed amounts per funding source, per provider (all 26) and in total, for ?period=YYYY-MM,
    ?quarter=YYYY-Qn or ?year=YYYY; extensions by_social_service and (for a year) budgets. With
    `by=social_service`: the social_service share per social service of the register (references without a
    recorded Kostengutsprache under `unassigned`)."""
    scope = parse_scope(period, year, quarter)
    if by not in (None, "", "provider", "social_service"):
        raise Invalid("by: provider oder social_service", "by", by)
    if by == "social_service":
        return social_service_report(portal, scope)
    return funding_report(portal, scope)


@get("/reconciliation", guards=[require("supervise")], sync_to_thread=True)
def get_reconciliation(portal: Portal, year: str) -> dict:
    """Every source per month, quarter and year against its budget."""
    return reconciliation(portal, parse_scope(year=year).year)


@get("/funding/export.xlsx", guards=[require("supervise")])
async def export_xlsx(portal: Portal, period: str | None = None, year: str | None = None,
                      quarter: str | None = None, ids: bool = False) -> Response:
    """The split of every line (provider, month, participant, the six sources) and the provider totals, with
    a title row (period, stand of the store), German labels and provider names; ``ids=1`` adds the invoice,
    fee waiver and credit rule ids."""
    return await funding_xlsx_of(portal, parse_scope(period, year, quarter), ids)


@get("/funding/export.csv", guards=[require("supervise")])
async def export_csv(portal: Portal, period: str | None = None, year: str | None = None,
                     quarter: str | None = None, ids: bool = False) -> Stream:
    """The same lines as CSV (semicolons, UTF-8 with BOM), streamed; ``ids=1`` adds the technical ids."""
    return funding_csv_of(portal, parse_scope(period, year, quarter), ids)


HANDLERS: list = [create_fee_waiver, list_fee_waivers, get_fee_waiver, change_fee_waiver, revoke_fee_waiver,
                  list_credit_rules, create_credit_rule, set_budget, list_budgets, get_funding,
                  get_reconciliation, export_xlsx, export_csv]
