"""The evaluation page /auswertung for supervisors, with its PDF report as a download (access-logged)."""
from __future__ import annotations

from litestar import Request, Response, get

from services.common.attachments import pdf_attachment
from services.common.heavy import run_heavy
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.evaluation.application.evaluation import DEFAULT_FROM, DEFAULT_TO, evaluate, parse_query
from shared.kernel.errors import Invalid
from shared.portal import Portal
from shared.presentation.evaluation_view import evaluation_view
from shared.presentation.labels import programme as programme_name

PDFS = "shared.presentation.pdf.downloads:"  # each returns (the PDF, its German file name)

READ_PAGE = guarded("supervise")


def _page_query(request: Request, portal: Portal):
    """?programm=, ?von=, ?bis=, ?vergleich= (the API's programme, from, to, compare)."""
    q = request.query_params
    return parse_query(portal.supervision.catalogue(), q.get("programm"), q.get("von"), q.get("bis"),
                       q.get("vergleich"))


@get("/auswertung", dependencies=READ_PAGE, sync_to_thread=True)
def evaluation_page(request: Request, principal: Principal, portal: Portal) -> Response:
    """The evaluation with its charts and tables; «< 5» for what small-number protection suppresses."""
    catalogue = portal.supervision.catalogue()
    error, status = None, 200
    try:
        query = _page_query(request, portal)
    except Invalid as exc:
        error, status = exc.message, 422
        query = parse_query(catalogue)
    view = evaluation_view(evaluate(portal, query, copy=False), catalogue)  # the view makes its own
    pdf_query = f"programm={query.programme}&von={query.first}&bis={query.last}"
    types = sorted(((slug, programme_name(slug, catalogue)) for slug in catalogue.programme_types),
                   key=lambda t: t[1].lower())
    return rendered(request, "evaluation_page.html", status_code=status, context=page_context(
        request, principal, active="auswertung", query=query, error=error, pdf_query=pdf_query, types=types,
        defaults=(DEFAULT_FROM, DEFAULT_TO), **view))


@get("/auswertung/evaluation.pdf", dependencies=READ_PAGE)
async def evaluation_page_pdf(request: Request, principal: Principal, portal: Portal) -> Response:
    query = _page_query(request, portal)
    return pdf_attachment(*await run_heavy(portal, PDFS + "evaluation_download", query))


HANDLERS = [evaluation_page, evaluation_page_pdf]
