"""Supervisor pages: the dashboard of all providers and months, a provider, an invoice with its reviews."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from litestar import Request, Response, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.response import Redirect, Template

from services.common import web_auth
from services.common.presentation import invoice_history, invoice_page
from services.supervision import charts, downloads
from shared.access.domain.roles import Principal
from shared.checks.notices import line_findings
from shared.checks.rules import ORDER, RULES
from shared.kernel.errors import Invalid, NotFound
from shared.kernel.money import amount_str
from shared.kernel.periods import MONTHS_DE, Period
from shared.portal import Portal
from shared.presentation import labels
from shared.presentation.format import local_time
from shared.readmodels.dashboard import dashboard_figures

log = logging.getLogger("ami.access")
SUPERVISE = {"principal": web_auth.page_guard("supervise")}
REVIEW = {"principal": web_auth.page_guard("review")}
ZERO = Decimal("0.00")


def _period_param(value: str | None, year: int) -> Period | None:
    if not value:
        return None
    try:
        p = Period.parse(value)
    except ValueError as exc:
        raise Invalid(f"Monat «{value}» ist ungültig (JJJJ-MM)", "monat", value) from exc
    return p if p.year == year else None


@get("/dashboard", dependencies=SUPERVISE, sync_to_thread=True)
def dashboard(request: Request, principal: Principal, portal: Portal,
              jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999),
              monat: str | None = Parameter(required=False, default=None),
              programm: str | None = Parameter(required=False, default=None)) -> Template:
    """All providers × months (received / late / missing), amounts and open findings, two charts."""
    today = portal.reporting.clock().date()
    year = jahr or today.year
    catalogue = portal.supervision.catalogue()
    programme = programm if programm in catalogue.programme_types else None
    if "monat" not in request.query_params:  # first visit: the month most recently due
        due = Period.of(today).previous()
        period = due if due.year == year else None
    else:
        period = _period_param(monat, year)
    fig = dashboard_figures(portal.views, year, period, programme, portal.reporting.clock().date())
    rows = fig["rows"]
    total = {key: amount_str(sum((Decimal(r[key]) for r in rows), Decimal(0)))
             for key in ("claimed", "allowed", "reduction")}
    total["open_findings"] = sum(r["open_findings"] for r in rows)
    total["findings"] = sum(c["count"] for c in fig["by_code"])
    by_code = sorted(({**c, "title": labels.check_title(c["code"]),
                       "severity": RULES[c["code"]].severity if c["code"] in RULES else "warning"}
                      for c in fig["by_code"]), key=lambda c: (-c["open"], ORDER.get(c["code"], 99)))
    for c in by_code:
        c["severity_name"] = labels.severity(c["severity"])
    types = [(slug, pt.name_de) for slug, pt in catalogue.programme_types.items()]
    names = {r["slug"]: r["name"] for r in rows}
    status_counts = dict.fromkeys(labels.DOCUMENT_STATUS, 0)
    if period is not None:
        for cells in fig["grid"].values():
            status_counts[cells[str(period)]["invoice"]] += 1
    months = fig["months"]
    cost_chart = charts.stacked_months([str(m) for m in months], [MONTHS_DE[m.month - 1][:3] for m in months],
                                       fig["costs"], [s for s, _ in types], dict(types))
    occupancy_period, occ = next(iter(fig["occupancy"].items()), (str(period) if period else None, {}))
    occupancy_chart = charts.places_bars([(names.get(s, s), v[0], v[1]) for s, v in sorted(
        occ.items(), key=lambda kv: names.get(kv[0], kv[0]).lower())])
    return Template("dashboard.html", context=web_auth.page_context(
        request, principal, active="dashboard", year=year, period=period, programme=programme, types=types,
        months=months, grid=fig["grid"], rows=rows, total=total, by_code=by_code,
        years=list(range(today.year, 2023, -1)), status_names=labels.DOCUMENT_STATUS, status_counts=status_counts,
        provider_count=len(rows), cost_chart=cost_chart, occupancy_chart=occupancy_chart,
        occupancy_period=occupancy_period, programme_name=dict(types).get(programme or "", "")))


# --- a provider -------------------------------------------------------------------------------
def _desc(period: str) -> tuple[int, int]:
    p = Period.parse(period)
    return -p.year, -p.month


@get("/anbieter/{slug:str}", dependencies=SUPERVISE, sync_to_thread=True)
def provider_page(request: Request, slug: str, principal: Principal, portal: Portal) -> Template:
    """A provider's offerings, every month with its documents, and every finding with its review."""
    rep, sup = portal.reporting, portal.supervision
    provider = sup.provider(slug)
    catalogue = sup.catalogue()
    tz = portal.settings.timezone
    today = rep.clock().date()
    offerings = [{"code": o.code, "name": o.name, "programme": labels.programme(o.programme_type, catalogue),
                  "location": " ".join(x for x in (o.postcode, o.location) if x), "places": o.places,
                  "agreed": {u: f"{v:.2f}" for u, v in o.agreed_tariffs.items()}, "valid_from": o.valid_from,
                  "valid_to": o.valid_to} for o in sup.offerings(slug)]
    months, findings = [], []
    due = Period.of(today).previous()
    this_year = {str(Period(due.year, m)) for m in range(1, due.month + 1)}
    for p in sorted(set(rep.periods(slug)) | this_year, reverse=True):
        period = Period.parse(p)
        invoices, first_received = [], []
        for inv in rep.invoices(slug, p):
            first_received.append(inv.first_received_at)
            view = rep.invoice_view(inv)
            open_count = 0
            shown = [(line["row"], line["participant"], f) for line in view["lines"] for f in line_findings(line)]
            shown += [(n["rows"][0], f"ganze Rechnung ({len(n['rows'])} Zeilen)", n) for n in view["notices"]]
            for row, participant, f in shown:  # a notice about the whole invoice once, not on every line
                open_count += not f.get("review")
                findings.append({"invoice": view["id"], "period": p, "version": view["version"],
                                 "row": row, "participant": participant, **f,
                                 "title": labels.check_title(f["code"]),
                                 "severity_name": labels.severity(f["severity"]),
                                 "decision_name": labels.decision((f.get("review") or {}).get("decision"))})
            invoices.append({"id": view["id"], "version": view["version"], "status": view["status"],
                             "status_name": labels.review_status(view["status"]), "totals": view["totals"],
                             "received": local_time(view["received_at"], tz), "open": open_count,
                             "lines": len(view["lines"])})
        reports = []
        for r in rep.capacity_reports(slug, p):
            view = rep.capacity_report_view(r)
            reports.append({"version": view["version"], "late": view["late"],
                            "received": local_time(view["received_at"], tz),
                            "places": sum(int(x["places"]) for x in view["rows"]),
                            "occupied": sum(int(x["occupied"]) for x in view["rows"])})
        inv_status = rep.deadlines.status(period, first_received, today)
        months.append({"period": p, "invoices": invoices, "reports": reports, "invoice_status": inv_status})
    # open before decided, the newest month first, errors before warnings
    findings.sort(key=lambda f: (bool(f.get("review")), _desc(f["period"]), f["severity"] != "error",
                                 f["row"], ORDER.get(f["code"], 99)))
    summary: dict[str, dict] = {}
    for f in findings:
        c = summary.setdefault(f["code"], {"code": f["code"], "title": f["title"], "severity": f["severity"],
                                           "severity_name": f["severity_name"], "open": 0, "confirmed": 0,
                                           "waived": 0, "count": 0})
        c["count"] += 1
        c[f["review"]["decision"] if f.get("review") else "open"] += 1
    log.info("read provider page: actor=%s provider=%s", principal.name, slug)
    return Template("provider.html", context=web_auth.page_context(
        request, principal, active="dashboard", provider=provider, offerings=offerings, months=months,
        findings=findings[:500], findings_total=len(findings), status_names=labels.DOCUMENT_STATUS,
        summary=sorted(summary.values(), key=lambda c: ORDER.get(c["code"], 99))))


# --- an invoice: lines, reviews, approval, history --------------------------------------------
def _invoice_page(request: Request, principal: Principal, portal: Portal, invoice_id: UUID,
                  version: int | None = None, *, status: int = 200, error: str | None = None,
                  only_findings: bool = False) -> Template:
    invoice = portal.reporting.invoice(None, invoice_id)
    if version is not None and not 1 <= version <= invoice.document_version:
        raise NotFound(f"Version {version} gibt es nicht")
    data = invoice_page(portal, invoice, version)
    lines = data["invoice"]["lines"]
    shown = [ln for ln in lines if ln["findings"]] if only_findings else lines
    may_review = principal.may("review") and data["invoice"]["version"] == invoice.document_version
    log.info("read invoice: actor=%s invoice=%s version=%s", principal.name, invoice_id,
             data["invoice"]["version"])
    flags = request.query_params
    return Template("supervision_invoice.html", status_code=status, context=web_auth.page_context(
        request, principal, active="dashboard", **data, lines=shown, only_findings=only_findings,
        provider=portal.supervision.provider(invoice.provider), history=invoice_history(portal, invoice),
        may_review=may_review, error=error, saved=flags.get("gespeichert"),
        review_base=f"/rechnungen/{invoice_id}/befunde" if may_review else None))


@get("/rechnungen/{invoice_id:uuid}", dependencies=SUPERVISE, sync_to_thread=True)
def invoice_detail(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   version: int | None = Parameter(required=False, default=None),
                   befunde: bool = Parameter(required=False, default=False)) -> Template:
    return _invoice_page(request, principal, portal, invoice_id, version, only_findings=befunde)


@dataclass
class ReviewForm:
    decision: str = ""
    comment: str = ""


@dataclass
class ApprovalForm:
    comment: str = ""


@dataclass
class ReturnForm:
    reason: str = ""


FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


def _after(request: Request, principal: Principal, portal: Portal, invoice_id: UUID, action, flag: str,
           anchor: str = "") -> Response:
    """Run one review command; back to the invoice, or the page again with the German message."""
    try:
        action()
    except Invalid as exc:
        return _invoice_page(request, principal, portal, invoice_id, status=422, error=exc.message)
    return Redirect(f"/rechnungen/{invoice_id}?gespeichert={flag}{anchor}", status_code=303)


@post("/rechnungen/{invoice_id:uuid}/befunde/{row:int}/{code:str}", dependencies=REVIEW, sync_to_thread=True)
def review_finding(request: Request, invoice_id: UUID, row: int, code: str, principal: Principal,
                   portal: Portal, data: ReviewForm = FORM) -> Response:
    """Confirm or waive one finding, with a comment (required to waive)."""
    return _after(request, principal, portal, invoice_id, lambda: portal.supervision.review_finding(
        invoice_id, row, code, data.decision, data.comment, principal.name), "befund", f"#zeile-{row}")


@post("/rechnungen/{invoice_id:uuid}/freigabe", dependencies=REVIEW, sync_to_thread=True)
def approve_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                    data: ApprovalForm = FORM) -> Response:
    return _after(request, principal, portal, invoice_id, lambda: portal.supervision.approve(
        invoice_id, data.comment, principal.name), "freigabe")


@post("/rechnungen/{invoice_id:uuid}/rueckweisung", dependencies=REVIEW, sync_to_thread=True)
def return_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   data: ReturnForm = FORM) -> Response:
    return _after(request, principal, portal, invoice_id,
                  lambda: portal.supervision.return_for_correction(invoice_id, data.reason, principal.name),
                  "rueckweisung")


HANDLERS = [Router(path="/", include_in_schema=False, exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                   route_handlers=[*web_auth.HANDLERS, dashboard, provider_page, invoice_detail,
                                   review_finding, approve_invoice, return_invoice, *downloads.HANDLERS])]
