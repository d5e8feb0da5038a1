"""Supervisor pages: the dashboard of all providers and months, a provider, an invoice with its reviews."""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from litestar import Request, Response, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.response import Redirect, Template

from services.common import web_auth
from services.common.presentation import (
    DECISION_DE,
    DOCUMENT_STATUS_DE,
    SEVERITY_DE,
    check_title,
    invoice_history,
    invoice_page,
    local_time,
    programme_name,
)
from services.supervision import charts, downloads
from shared.auth import Principal
from shared.checks.rules import ORDER, RULES
from shared.errors import Invalid, NotFound
from shared.money import amount_str
from shared.overview import document_status
from shared.periods import MONTHS_DE, Period
from shared.portal import Portal
from shared.reviews import STATUS_DE

log = logging.getLogger("ami.access")
SUPERVISE = {"principal": web_auth.page_guard("supervise")}
REVIEW = {"principal": web_auth.page_guard("review")}
ZERO = Decimal("0.00")


# --- the dashboard's figures -------------------------------------------------------------------
# Both sources give the same shape: months (Period), grid {slug: {"YYYY-MM": {invoice, capacity_report}}},
# rows [{slug, name, claimed, allowed, reduction, open_findings}], by_code [{code, count, open, confirmed,
# waived}], costs {"YYYY-MM": {programme: Decimal}}, occupancy {"YYYY-MM": {slug: (places, occupied)}}.


def _months(today: date, year: int) -> list[Period]:
    now = Period.of(today)
    return [Period(year, m) for m in range(1, 13) if Period(year, m) <= now]


def _pending(status: str, period: Period, today: date, deadline_day: int) -> str:
    """«missing» before the deadline is only «pending»: nothing is due yet."""
    deadline = date(period.next().year, period.next().month, deadline_day)
    return "pending" if status == "missing" and today <= deadline else status


def _status(rep, period: Period, received: list[str], today: date) -> str:
    """received | late | missing | pending of one document type in one provider-month."""
    return _pending(document_status(period, received, rep.deadline_day, rep.tz, today), period, today,
                    rep.deadline_day)


def figures_from_views(portal: Portal, year: int, period: Period | None, programme: str | None) -> dict:
    """The dashboard from the read models (shared.projection), brought up to date first."""
    views = portal.views
    views.catch_up()
    rep = portal.reporting
    today = rep.clock().date()
    months = _months(today, year)
    shown = {str(m) for m in months}
    grid: dict[str, dict[str, dict]] = {}
    for prov in views.grid(year)["providers"]:
        grid[prov["provider"]] = {
            c["period"]: {key: _pending(c[key], Period.parse(c["period"]), today, rep.deadline_day)
                          for key in ("invoice", "capacity_report")}
            for c in prov["cells"] if c["period"] in shown}
    scope = {"period": period} if period else {"year": year}
    rows = [{"slug": r["provider"], **{k: r[k] for k in ("name", "claimed", "allowed", "reduction",
                                                          "open_findings")}}
            for r in views.provider_totals(**scope, programme=programme)]
    by_code = views.findings_by_code(**scope, programme=programme)
    costs: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for c in views.costs_by_programme(year):
        if (programme is None or c["programme"] == programme) and Decimal(c["allowed"]):
            costs[c["period"]][c["programme"]] = Decimal(c["allowed"])
    occupancy = {}
    for m in ([period] if period else reversed(months)):
        reported = {o["provider"]: (o["places"], o["occupied"]) for o in views.occupancy(m) if o["reported"]}
        if reported:
            occupancy[str(m)] = reported
            break
    return {"months": months, "grid": grid, "rows": rows, "by_code": by_code, "costs": costs,
            "occupancy": occupancy}


def figures_from_aggregates(portal: Portal, year: int, period: Period | None, programme: str | None) -> dict:
    """The same figures read from the documents' aggregates, for a portal without read models."""
    rep, sup = portal.reporting, portal.supervision
    today = rep.clock().date()
    months = _months(today, year)
    grid: dict[str, dict[str, dict]] = defaultdict(dict)
    sums: dict[str, list[Decimal | int]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    by_code: dict[str, dict] = {}
    costs: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    occupancy: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for p in months:
        for slug in sup.provider_slugs():
            invoices = rep.invoices(slug, str(p))
            reports = rep.capacity_reports(slug, str(p))
            grid[slug][str(p)] = {
                "invoice": _status(rep, p, [i.first_received_at for i in invoices], today),
                "capacity_report": _status(rep, p, [r.submissions[0]["received_at"] for r in reports], today)}
            in_scope = period is None or p == period
            for invoice in invoices:
                review = sup.review_of(invoice.id)
                for line in invoice.result["lines"]:
                    if programme and line["programme"] != programme:
                        continue
                    if Decimal(line["allowed"]):
                        costs[str(p)][line["programme"]] += Decimal(line["allowed"])
                    if not in_scope:
                        continue
                    total = sums[slug]
                    total[0] += Decimal(line["claimed"])
                    total[1] += Decimal(line["allowed"])
                    for f in line["findings"]:
                        decided = review.decision(line["row"], f["code"]) if review else None
                        c = by_code.setdefault(f["code"], {"code": f["code"], "count": 0, "open": 0,
                                                           "confirmed": 0, "waived": 0})
                        c["count"] += 1
                        c[decided["decision"] if decided else "open"] += 1
                        total[2] += not decided
            rows: dict[tuple, dict] = {}
            for report in reports:  # a later report's row replaces an earlier one, as the checks read them
                for row in report.latest["rows"]:
                    rows[(row["programme"], row.get("offering") or "")] = row
            if rows:
                occupancy[str(p)][slug] = (sum(int(r["places"]) for r in rows.values()),
                                           sum(int(r["occupied"]) for r in rows.values()))
    chosen = [period] if period else [m for m in reversed(months) if occupancy.get(str(m))][:1]
    names = {p.slug: p.name for p in sup.providers()}
    return {"months": months, "grid": dict(grid),
            "rows": [{"slug": slug, "name": names[slug], "claimed": amount_str(sums[slug][0]),
                      "allowed": amount_str(sums[slug][1]),
                      "reduction": amount_str(sums[slug][0] - sums[slug][1]), "open_findings": sums[slug][2]}
                     for slug in sup.provider_slugs()],
            "by_code": sorted(by_code.values(), key=lambda c: (ORDER.get(c["code"], len(ORDER)), c["code"])),
            "costs": {k: dict(v) for k, v in costs.items()},
            "occupancy": {str(m): occupancy[str(m)] for m in chosen if occupancy.get(str(m))}}


def dashboard_figures(portal: Portal, year: int, period: Period | None, programme: str | None) -> dict:
    if getattr(portal, "views", None) is not None:
        return figures_from_views(portal, year, period, programme)
    return figures_from_aggregates(portal, year, period, programme)


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
    fig = dashboard_figures(portal, year, period, programme)
    rows = fig["rows"]
    total = {key: amount_str(sum((Decimal(r[key]) for r in rows), Decimal(0)))
             for key in ("claimed", "allowed", "reduction")}
    total["open_findings"] = sum(r["open_findings"] for r in rows)
    total["findings"] = sum(c["count"] for c in fig["by_code"])
    by_code = sorted(({**c, "title": check_title(c["code"]),
                       "severity": RULES[c["code"]].severity if c["code"] in RULES else "warning"}
                      for c in fig["by_code"]), key=lambda c: (-c["open"], ORDER.get(c["code"], 99)))
    for c in by_code:
        c["severity_name"] = SEVERITY_DE.get(c["severity"], c["severity"])
    types = [(slug, pt.name_de) for slug, pt in catalogue.programme_types.items()]
    names = {r["slug"]: r["name"] for r in rows}
    status_counts = dict.fromkeys(DOCUMENT_STATUS_DE, 0)
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
        years=list(range(today.year, 2023, -1)), status_names=DOCUMENT_STATUS_DE, status_counts=status_counts,
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
    offerings = [{"code": o.code, "name": o.name, "programme": programme_name(catalogue, o.programme_type),
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
            for line in view["lines"]:
                for f in line["findings"]:
                    open_count += not f.get("review")
                    findings.append({"invoice": view["id"], "period": p, "version": view["version"],
                                     "row": line["row"], "participant": line["participant"], **f,
                                     "title": check_title(f["code"]),
                                     "severity_name": SEVERITY_DE.get(f["severity"], f["severity"]),
                                     "decision_name": DECISION_DE.get((f.get("review") or {}).get("decision"),
                                                                      "")})
            invoices.append({"id": view["id"], "version": view["version"], "status": view["status"],
                             "status_name": STATUS_DE.get(view["status"]), "totals": view["totals"],
                             "received": local_time(view["received_at"], tz), "open": open_count,
                             "lines": len(view["lines"])})
        reports = []
        for r in rep.capacity_reports(slug, p):
            view = rep.capacity_report_view(r)
            reports.append({"version": view["version"], "late": view["late"],
                            "received": local_time(view["received_at"], tz),
                            "places": sum(int(x["places"]) for x in view["rows"]),
                            "occupied": sum(int(x["occupied"]) for x in view["rows"])})
        inv_status = _status(rep, period, first_received, today)
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
        findings=findings[:500], findings_total=len(findings), status_names=DOCUMENT_STATUS_DE,
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
        action(portal.reporting.invoice(None, invoice_id))
    except Invalid as exc:
        return _invoice_page(request, principal, portal, invoice_id, status=422, error=exc.message)
    return Redirect(f"/rechnungen/{invoice_id}?gespeichert={flag}{anchor}", status_code=303)


@post("/rechnungen/{invoice_id:uuid}/befunde/{row:int}/{code:str}", dependencies=REVIEW, sync_to_thread=True)
def review_finding(request: Request, invoice_id: UUID, row: int, code: str, principal: Principal,
                   portal: Portal, data: ReviewForm = FORM) -> Response:
    """Confirm or waive one finding, with a comment (required to waive)."""
    comment = data.comment.strip()[:2000]
    return _after(request, principal, portal, invoice_id, lambda inv: portal.supervision.review_finding(
        inv, row, code, data.decision, comment, principal.name), "befund", f"#zeile-{row}")


@post("/rechnungen/{invoice_id:uuid}/freigabe", dependencies=REVIEW, sync_to_thread=True)
def approve_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                    data: ApprovalForm = FORM) -> Response:
    return _after(request, principal, portal, invoice_id, lambda inv: portal.supervision.approve(
        inv, data.comment.strip()[:2000], principal.name), "freigabe")


@post("/rechnungen/{invoice_id:uuid}/rueckweisung", dependencies=REVIEW, sync_to_thread=True)
def return_invoice(request: Request, invoice_id: UUID, principal: Principal, portal: Portal,
                   data: ReturnForm = FORM) -> Response:
    reason = data.reason.strip()[:2000]
    return _after(request, principal, portal, invoice_id,
                  lambda inv: portal.supervision.return_for_correction(inv, reason, principal.name),
                  "rueckweisung")


HANDLERS = [Router(path="/", include_in_schema=False, exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                   route_handlers=[*web_auth.HANDLERS, dashboard, provider_page, invoice_detail,
                                   review_finding, approve_invoice, return_invoice, *downloads.HANDLERS])]
