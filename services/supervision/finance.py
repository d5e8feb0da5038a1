"""Supervision routes for finance: fee waivers, federal credit rules, budgets, funding, exports.

Reading is for supervisor, finance and admin (``supervise``); recording is for finance and admin
(``finance``); a provider token is refused on every route (403).

``HANDLERS`` are the JSON API (mounted under /api/v1); ``PAGES`` the German finance page at /finanzen
(session login, CSRF-protected forms) for the service's route handlers.
"""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, Router, get, post, put
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from services.common import web_auth
from services.common.auth import current_principal, require
from services.supervision.schemas import BudgetIn, FederalCreditRuleIn, FeeWaiverChangeIn, FeeWaiverIn, RevokeIn
from shared.access.domain.roles import Principal
from shared.finance.application.reconciliation import (
    Scope,
    funding_report,
    funding_splits,
    parse_scope,
    reconciliation,
)
from shared.finance.application.views import budget_view, credit_rule_view, waiver_view
from shared.finance.domain.sources import SOURCE_NAMES_DE, SOURCES
from shared.kernel.errors import DomainError, Invalid
from shared.kernel.money import parse_decimal
from shared.portal import Portal
from shared.presentation.exports import funding_csv, funding_xlsx

DEPS = {"principal": Provide(current_principal)}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    sup = portal.supervision
    records = {str(r.id): r for r in sup.credit_rule_records()}
    return [credit_rule_view(rule, records.get(rule.id)) for rule in sup.credit_rules()]


@post("/federal-credit-rules", guards=[require("finance")], dependencies=DEPS, sync_to_thread=True,
      status_code=201)
def create_credit_rule(data: FederalCreditRuleIn, principal: Principal, portal: Portal) -> dict:
    """A rule from a first of a month: programme types and/or refugees (line flag «Flüchtling/VA») whose
    canton share the federal integration credit takes over. The same start again revises that rule."""
    record = portal.supervision.record_credit_rule(data.valid_from, data.programmes, data.refugees,
                                                   data.label, principal.name)
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
                quarter: str | None = None) -> dict:
    """Allowed amounts per funding source, per provider (all 26) and in total, for ?period=YYYY-MM,
    ?quarter=YYYY-Qn or ?year=YYYY; extensions by_social_service and (for a year) budgets."""
    return funding_report(portal, parse_scope(period, year, quarter))


@get("/reconciliation", guards=[require("supervise")], sync_to_thread=True)
def get_reconciliation(portal: Portal, year: str) -> dict:
    """Every source per month, quarter and year against its budget."""
    return reconciliation(portal, parse_scope(year=year).year)


def _export_name(scope: Scope, ext: str) -> str:
    return f"finanzierung-{scope.label}.{ext}"


@get("/funding/export.xlsx", guards=[require("supervise")], sync_to_thread=True)
def export_xlsx(portal: Portal, period: str | None = None, year: str | None = None,
                quarter: str | None = None) -> Response:
    """The split of every line (provider, month, participant, the six sources) and the provider totals."""
    scope = parse_scope(period, year, quarter)
    splits = funding_splits(portal, scope)
    body = funding_xlsx(splits, funding_report(portal, scope, splits))
    return Response(body, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(scope, "xlsx")}"'})


@get("/funding/export.csv", guards=[require("supervise")], sync_to_thread=True)
def export_csv(portal: Portal, period: str | None = None, year: str | None = None,
               quarter: str | None = None) -> Response:
    scope = parse_scope(period, year, quarter)
    body = funding_csv(funding_splits(portal, scope))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(scope, "csv")}"'})


HANDLERS: list = [create_fee_waiver, list_fee_waivers, get_fee_waiver, change_fee_waiver, revoke_fee_waiver,
                  list_credit_rules, create_credit_rule, set_budget, list_budgets, get_funding,
                  get_reconciliation, export_xlsx, export_csv]


# --- the German finance page ------------------------------------------------------------------------------

READ_PAGE = {"principal": web_auth.page_guard("supervise")}
WRITE_PAGE = {"principal": web_auth.page_guard("finance")}
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PAGE_QUERY = {"period": "monat", "quarter": "quartal", "year": "jahr"}


def _page_scope(request: Request, portal: Portal) -> Scope:
    q = request.query_params
    if q.get("monat") or q.get("quartal") or q.get("jahr"):
        return parse_scope(q.get("monat") or None, q.get("jahr") or None, q.get("quartal") or None)
    return Scope.whole_year(portal.reporting.clock().year)


def _finance_page(request: Request, principal: Principal, portal: Portal, *, status: int = 200,
                  error: str | None = None, form: dict | None = None) -> Template:
    sup = portal.supervision
    try:
        scope = _page_scope(request, portal)
    except Invalid as exc:
        scope, error, status = Scope.whole_year(portal.reporting.clock().year), exc.message, 422
    report = funding_report(portal, scope)
    names = {p.slug: p.name for p in sup.providers()}
    rows = [{**p, "name": names.get(p["provider"], p["provider"])} for p in report["providers"]
            if any(p[k] != "0.00" for k in SOURCES)]
    records = {str(r.id): r for r in sup.credit_rule_records()}
    waivers = sorted((waiver_view(w) for w in sup.fee_waivers()), key=lambda v: (
        v["status"] != "active", v["provider"], v["participant"], v["valid_from"]))
    query = f"{PAGE_QUERY[scope.kind]}={scope.label}"
    return Template("finance_page.html", status_code=status, context=web_auth.page_context(
        request, principal, active="finanzen", scope=scope, report=report, rows=rows, sources=SOURCES,
        labels=SOURCE_NAMES_DE, budgets=report.get("budgets") or {}, waivers=waivers, query=query,
        rules=[credit_rule_view(r, records.get(r.id)) for r in sup.credit_rules()],
        programme_types=sorted(sup.catalogue().programme_types), providers=sorted(names.items()),
        can_edit=principal.may("finance"), error=error, form=form or {},
        notice=request.query_params.get("gespeichert"), this_year=portal.reporting.clock().year))


@get("/", dependencies=READ_PAGE, sync_to_thread=True)
def finance_page(request: Request, principal: Principal, portal: Portal) -> Template:
    """Funding per source and provider for a month, quarter or year; budgets; fee waivers; rules."""
    return _finance_page(request, principal, portal)


@get("/export.xlsx", dependencies=READ_PAGE, sync_to_thread=True)
def page_export_xlsx(request: Request, principal: Principal, portal: Portal) -> Response:
    scope = _page_scope(request, portal)
    splits = funding_splits(portal, scope)
    return Response(funding_xlsx(splits, funding_report(portal, scope, splits)), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(scope, "xlsx")}"'})


@get("/export.csv", dependencies=READ_PAGE, sync_to_thread=True)
def page_export_csv(request: Request, principal: Principal, portal: Portal) -> Response:
    scope = _page_scope(request, portal)
    return Response(funding_csv(funding_splits(portal, scope)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(scope, "csv")}"'})


@dataclass
class WaiverForm:
    provider: str = ""
    participant: str = ""
    valid_from: str = ""
    valid_to: str = ""
    monthly_contribution: str = ""
    reference: str = ""
    comment: str = ""


@dataclass
class RevokeForm:
    reason: str = ""


@dataclass
class BudgetForm:
    year: str = ""
    source: str = ""
    amount: str = ""
    comment: str = ""


@dataclass
class RuleForm:
    valid_from: str = ""
    programmes: str = ""  # comma-separated slugs
    refugees: str = ""
    label: str = ""


async def _run_form(request: Request, principal: Principal, portal: Portal, form: dict, call, *args,
                    **kwargs) -> Response:
    """Run the command; on a domain error show the page again with the message (nothing saved)."""
    try:
        await to_thread.run_sync(lambda: call(*args, **kwargs))
    except DomainError as exc:
        failed = exc
    else:
        return Redirect("/finanzen?gespeichert=1", status_code=303)
    return await to_thread.run_sync(lambda: _finance_page(request, principal, portal, status=failed.status,
                                                          error=failed.message, form=form))


def _form_amount(text: str) -> str:
    """An amount as Swiss users type it (1'736.00, 50,00, CHF 50); left as typed if it is none."""
    try:
        return str(parse_decimal(text))
    except ValueError:
        return text


@post("/kostenerlasse", dependencies=WRITE_PAGE)
async def page_create_waiver(request: Request, principal: Principal, portal: Portal,
                             data: WaiverForm = FORM) -> Response:
    return await _run_form(request, principal, portal, {"waiver": data.__dict__},
                           portal.supervision.record_fee_waiver, data.provider, data.participant,
                           data.valid_from, data.valid_to or None, _form_amount(data.monthly_contribution),
                           principal.name, reference=data.reference, comment=data.comment)


@post("/kostenerlasse/{waiver_id:uuid}/widerruf", dependencies=WRITE_PAGE)
async def page_revoke_waiver(request: Request, waiver_id: UUID, principal: Principal, portal: Portal,
                             data: RevokeForm = FORM) -> Response:
    return await _run_form(request, principal, portal, {}, portal.supervision.revoke_fee_waiver, waiver_id,
                           data.reason, principal.name)


@post("/budgets", dependencies=WRITE_PAGE)
async def page_set_budget(request: Request, principal: Principal, portal: Portal,
                          data: BudgetForm = FORM) -> Response:
    return await _run_form(request, principal, portal, {"budget": data.__dict__},
                           portal.supervision.set_budget, data.year, data.source, _form_amount(data.amount),
                           principal.name, comment=data.comment)


@post("/regeln", dependencies=WRITE_PAGE)
async def page_record_rule(request: Request, principal: Principal, portal: Portal,
                           data: RuleForm = FORM) -> Response:
    programmes = [p.strip() for p in data.programmes.split(",") if p.strip()]
    return await _run_form(request, principal, portal, {"rule": data.__dict__},
                           portal.supervision.record_credit_rule, data.valid_from, programmes,
                           data.refugees in ("1", "on", "ja", "true"), data.label, principal.name)


PAGES: list = [Router(path="/finanzen", include_in_schema=False,
                      exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                      route_handlers=[finance_page, page_export_xlsx, page_export_csv, page_create_waiver,
                                      page_revoke_waiver, page_set_budget, page_record_rule])]
