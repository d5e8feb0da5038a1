"""The evaluation of a programme type over a span: the JSON API (/api/v1/evaluations, its PDF) and the page
/auswertung with its PDF download. Reading it is access-logged (services.common.access)."""
from __future__ import annotations

from litestar import Request, Response, Router, get
from litestar.params import Parameter
from litestar.response import Template

from services.common import web_auth
from services.common.auth import require
from services.supervision.audit import PDF, _pdf
from shared.access.domain.roles import Principal
from shared.evaluation.application.evaluation import DEFAULT_FROM, DEFAULT_TO, evaluate, parse_query
from shared.kernel.errors import Invalid
from shared.portal import Portal
from shared.presentation.evaluation_view import evaluation_view

SPAN = {"first": Parameter(query="from", required=False, default=None, description="erster Monat, JJJJ-MM"),
        "last": Parameter(query="to", required=False, default=None, description="letzter Monat, JJJJ-MM")}


@get("/evaluations", guards=[require("supervise")], sync_to_thread=True,
     summary="Evaluation einer Programmart über einen Zeitraum, im Vergleich")
def get_evaluation(portal: Portal, programme: str | None = None,
                   first: str | None = SPAN["first"], last: str | None = SPAN["last"],
                   compare: str | None = None) -> dict:
    """Participants, participant-months, durations, exits by reason, costs and funding per provider, in total
    and by quarter (default: integration.arbeit 2022-10 to 2025-06 against Qualifizierung and Coaching).
    A figure about fewer than five participants is null, with complementary suppression."""
    return evaluate(portal, parse_query(portal.supervision.catalogue(), programme, first, last, compare))


@get("/evaluations/evaluation.pdf", guards=[require("supervise")], sync_to_thread=True, media_type=PDF,
     summary="Evaluation als PDF/A-3b-Bericht für den Regierungsrat")
def get_evaluation_pdf(portal: Portal, programme: str | None = None,
                       first: str | None = SPAN["first"], last: str | None = SPAN["last"],
                       compare: str | None = None) -> Response:
    from shared.presentation.pdf.evaluation_report import evaluation_pdf, pdf_name

    query = parse_query(portal.supervision.catalogue(), programme, first, last, compare)
    return _pdf(evaluation_pdf(portal, query), pdf_name(query))


HANDLERS = [get_evaluation, get_evaluation_pdf]

READ_PAGE = {"principal": web_auth.page_guard("supervise")}


def _page_query(request: Request, portal: Portal):
    q = request.query_params
    return parse_query(portal.supervision.catalogue(), q.get("programm"), q.get("von"), q.get("bis"),
                       q.get("vergleich"))


@get("/", dependencies=READ_PAGE, sync_to_thread=True)
def evaluation_page(request: Request, principal: Principal, portal: Portal) -> Template:
    """The evaluation with its charts and tables; «< 5» for what small-number protection suppresses."""
    catalogue = portal.supervision.catalogue()
    error, status = None, 200
    try:
        query = _page_query(request, portal)
    except Invalid as exc:
        error, status = exc.message, 422
        query = parse_query(catalogue)
    view = evaluation_view(evaluate(portal, query), catalogue)
    pdf_query = f"programm={query.programme}&von={query.first}&bis={query.last}"
    return Template("evaluation_page.html", status_code=status, context=web_auth.page_context(
        request, principal, active="auswertung", query=query, error=error, pdf_query=pdf_query,
        types=sorted(((slug, pt.name_de) for slug, pt in catalogue.programme_types.items()),
                     key=lambda t: t[1].lower()),
        defaults=(DEFAULT_FROM, DEFAULT_TO), **view))


@get("/evaluation.pdf", dependencies=READ_PAGE, sync_to_thread=True)
def evaluation_page_pdf(request: Request, principal: Principal, portal: Portal) -> Response:
    from shared.presentation.pdf.evaluation_report import evaluation_pdf, pdf_name

    query = _page_query(request, portal)
    return _pdf(evaluation_pdf(portal, query), pdf_name(query))


PAGES: list = [Router(path="/auswertung", include_in_schema=False,
                      exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                      route_handlers=[evaluation_page, evaluation_page_pdf])]
