"""The German finance page at /finanzen: funding per source and provider, budgets, fee waivers, rules."""
# Reading is for whoever may `supervise`, the forms for who may record `finance`; a refused form shows the page
# again with the message and the entries, nothing saved.
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote
from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.response import Redirect
from markupsafe import Markup, escape

from services.common.forms import FORM, typed_amount
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.finance_exports import funding_csv_of, funding_xlsx_of
from services.supervision.forms import BudgetForm, RevokeForm, RuleForm, WaiverForm
from shared.access.domain.roles import Principal
from shared.finance.application.overview import finance_overview
from shared.finance.application.reconciliation import Scope, parse_scope
from shared.finance.domain.sources import SOURCES
from shared.kernel.errors import DomainError, Invalid
from shared.portal import Portal
from shared.presentation.format import chf_plain, scope_choices
from shared.readmodels.search import ever_billed
from shared.register.domain.register import provider_id

READ_PAGE = guarded("supervise")
WRITE_PAGE = guarded("finance")
FIRST_YEAR = 2024  # the portal's first year: the period picker goes back to it


def _page_scope(request: Request, portal: Portal) -> Scope:
    """?zeitraum=YYYY-MM | YYYY-Qn | YYYY (the period picker), or ?monat=, ?quartal=, ?jahr= as before;
    the current year without any."""
    q = request.query_params
    chosen = (q.get("zeitraum") or "").strip()
    if chosen:
        kind = "year" if chosen.isdigit() else "quarter" if "q" in chosen.lower() else "period"
        return parse_scope(**{kind: chosen})
    if q.get("monat") or q.get("quartal") or q.get("jahr"):
        return parse_scope(q.get("monat") or None, q.get("jahr") or None, q.get("quartal") or None)
    return Scope.whole_year(portal.reporting.clock().year)


def reference_items(references: list[dict]) -> Markup:
    """The <li> of a social service's Kostengutsprachen, each with its amount (a year has ~800: made here, not by
    Jinja, whose lookups, escapes and filter calls were half of the page's rendering; the template's markup)."""
    return Markup("".join(  # noqa: S704 - the reference is escaped, the amount is digits and apostrophes
        f'<li><span>{escape(r["reference"])}</span> <span class="num">{escape(chf_plain(r["amount"]))}</span></li>'
        for r in references))


def _finance_page(request: Request, principal: Principal, portal: Portal, *, status: int = 200,
                  error: str | None = None, form: dict | None = None, confirm: str | None = None) -> Response:
    today = portal.reporting.clock().date()
    scope_error = None
    try:
        scope = _page_scope(request, portal)
    except Invalid as exc:  # the period asked for is none: said as such, the current year shown
        scope, scope_error, status = Scope.whole_year(today.year), exc.message, 422
    return rendered(request, "finance_page.html", status_code=status, context=page_context(
        request, principal, active="finanzen", **finance_overview(portal, scope), scope=scope, sources=SOURCES,
        query=f"zeitraum={scope.label}", choices=scope_choices(today, FIRST_YEAR),
        can_edit=principal.may("finance"), error=error, scope_error=scope_error, confirm=confirm, form=form or {},
        notice=request.query_params.get("gespeichert"), this_year=today.year, reference_items=reference_items))


@get("/finanzen", dependencies=READ_PAGE, sync_to_thread=True)
def finance_page(request: Request, principal: Principal, portal: Portal) -> Response:
    """Funding per source and provider for a month, quarter or year; budgets; fee waivers; rules."""
    return _finance_page(request, principal, portal)


@get("/finanzen/export.xlsx", dependencies=READ_PAGE)
async def page_export_xlsx(request: Request, principal: Principal, portal: Portal) -> Response:
    return await funding_xlsx_of(portal, _page_scope(request, portal), request.query_params.get("ids") == "1")


@get("/finanzen/export.csv", dependencies=READ_PAGE)
async def page_export_csv(request: Request, principal: Principal, portal: Portal) -> Response:
    return funding_csv_of(portal, _page_scope(request, portal), request.query_params.get("ids") == "1")


def _back(request: Request) -> str:
    """The finance page of the period the form was sent from (its action carries ?zeitraum=…)."""
    chosen = request.query_params.get("zeitraum")
    return f"/finanzen?zeitraum={quote(chosen)}&gespeichert=1" if chosen else "/finanzen?gespeichert=1"


async def _run_form(request: Request, principal: Principal, portal: Portal, form: dict, command: Callable[[], object],
                    ) -> Response:
    """Run the command, then back to the page of the same period; on a domain error show the page again with
    the message (nothing saved)."""
    try:
        await to_thread.run_sync(command)
    except DomainError as exc:
        failed = exc
    else:
        return Redirect(_back(request), status_code=303)
    return await to_thread.run_sync(lambda: _finance_page(request, principal, portal, status=failed.status,
                                                          error=failed.message, form=form))


@post("/finanzen/kostenerlasse", dependencies=WRITE_PAGE)
async def page_create_waiver(request: Request, principal: Principal, portal: Portal,
                             data: WaiverForm = FORM) -> Response:
    """A fee waiver; for a participant the provider never billed, the page asks first (a typing error?)."""
    form = {"waiver": data.__dict__}
    if not data.confirmed and data.provider and data.participant.strip():
        billed = await to_thread.run_sync(ever_billed, portal, data.provider, data.participant)
        if not billed:
            name = await to_thread.run_sync(portal.supervision.get_or_none, provider_id(data.provider))
            question = (f"{name.name if name else data.provider} hat für die Teilnehmernummer "
                        f"«{data.participant.strip()}» noch nie eine Rechnungszeile eingereicht. "
                        "Kostenerlass trotzdem erfassen?")
            return await to_thread.run_sync(lambda: _finance_page(request, principal, portal, form=form,
                                                                  confirm=question))
    return await _run_form(request, principal, portal, form, lambda: (
        portal.supervision.record_fee_waiver(data.provider, data.participant, data.valid_from, data.valid_to or None,
                                             typed_amount(data.monthly_contribution), principal.name,
                                             reference=data.reference, comment=data.comment)))


@post("/finanzen/kostenerlasse/{waiver_id:uuid}/widerruf", dependencies=WRITE_PAGE)
async def page_revoke_waiver(request: Request, waiver_id: UUID, principal: Principal, portal: Portal,
                             data: RevokeForm = FORM) -> Response:
    return await _run_form(request, principal, portal, {}, lambda: portal.supervision.revoke_fee_waiver(
        waiver_id, data.reason, principal.name))


@post("/finanzen/budgets", dependencies=WRITE_PAGE)
async def page_set_budget(request: Request, principal: Principal, portal: Portal,
                          data: BudgetForm = FORM) -> Response:
    return await _run_form(request, principal, portal, {"budget": data.__dict__}, lambda: (
        portal.supervision.set_budget(data.year, data.source, typed_amount(data.amount), principal.name,
                                      comment=data.comment)))


@post("/finanzen/regeln", dependencies=WRITE_PAGE)
async def page_record_rule(request: Request, principal: Principal, portal: Portal,
                           data: RuleForm = FORM) -> Response:
    return await _run_form(request, principal, portal, {"rule": data.__dict__}, lambda: (
        portal.supervision.record_credit_rule(data.valid_from, data.programme_list(), data.for_refugees(),
                                              data.label, principal.name, categories=data.categories(),
                                              share=data.share)))


HANDLERS = [finance_page, page_export_xlsx, page_export_csv, page_create_waiver, page_revoke_waiver,
            page_set_budget, page_record_rule]
