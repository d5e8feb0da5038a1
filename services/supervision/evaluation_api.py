"""The evaluation of a programme type over a span over the API (/api/v1/evaluations) and as its PDF report."""
from __future__ import annotations

from litestar import Response, get
from litestar.params import Parameter

from services.common.attachments import PDF, pdf_attachment
from services.common.auth import require
from services.common.heavy import run_heavy
from shared.evaluation.application.evaluation import evaluate, parse_query
from shared.portal import Portal

PDFS = "shared.presentation.pdf.downloads:"  # each returns (the PDF, its German file name)

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


@get("/evaluations/evaluation.pdf", guards=[require("supervise")], media_type=PDF,
     summary="Evaluation als PDF/A-3b-Bericht für den Regierungsrat")
async def get_evaluation_pdf(portal: Portal, programme: str | None = None,
                       first: str | None = SPAN["first"], last: str | None = SPAN["last"],
                       compare: str | None = None) -> Response:
    query = parse_query(portal.supervision.catalogue(), programme, first, last, compare)
    return pdf_attachment(*await run_heavy(portal, PDFS + "evaluation_download", query))


HANDLERS = [get_evaluation, get_evaluation_pdf]
