"""The supervisors' dashboard: all providers × months (received / late / missing), amounts, findings, two charts."""
from __future__ import annotations

from litestar import Request, Response, get
from litestar.params import Parameter

from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.chart_svg import cost_svg, places_svg
from services.supervision.charts import dashboard_charts
from services.supervision.dashboard_grid import grid_body, grid_legend
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.readmodels.dashboard_view import dashboard_view


@get("/dashboard", dependencies=guarded("supervise"), sync_to_thread=True)
def dashboard(request: Request, principal: Principal, portal: Portal,
              jahr: int | None = Parameter(required=False, default=None, ge=2000, le=2999),
              programm: str | None = Parameter(required=False, default=None)) -> Response:
    """A year, or one of its months (?monat=YYYY-MM; without it the month now due, empty the whole year),
    optionally for one programme type."""
    view = dashboard_view(portal, year=jahr, month=request.query_params.get("monat"), programme=programm,
                          sort=request.query_params.get("sortierung"),
                          descending=request.query_params.get("richtung") == "ab")
    grid_html = grid_body(view["grid_rows"], view["months"], view["grid"], view["period"])
    return rendered(request, "dashboard.html", page_context(request, principal, active="dashboard", **view,
                                                          **dashboard_charts(view), grid_html=grid_html,
                                                          grid_legend=grid_legend(), cost_svg=cost_svg,
                                                          places_svg=places_svg))


HANDLERS = [dashboard]
