"""The evaluation report for the Regierungsrat (PDF/A-3b): method, definitions, charts, tables, reconciliation,
the audit digest; its figures embedded as JSON. Suppressed figures read «< 5», as on the page."""
from __future__ import annotations

from shared.audit.application.checkpoints import checkpoint_store
from shared.evaluation.application.evaluation import EvaluationQuery, evaluate
from shared.presentation.evaluation_view import evaluation_view
from shared.presentation.pdf.document import figures_json, render_document
from shared.presentation.pdf.render import EmbeddedFile


def evaluation_pdf(portal, query: EvaluationQuery) -> bytes:
    digest = checkpoint_store(portal.settings)
    data = evaluate(portal, query)
    view = evaluation_view(data, portal.supervision.catalogue())
    document = {"kind": "evaluation", "programme": query.programme, "from": str(query.first),
                "to": str(query.last), "compare": list(query.compare)}
    files = [EmbeddedFile("auswertung.json", figures_json({"document": document, **data}),
                          "Die Zahlen dieser Evaluation als JSON (unterdrückte Werte: null)", "Data")]
    context = {"title": f"Evaluation {view['programme_name']} {view['span']}", **view}
    return render_document(portal, digest, "evaluation_report.html", context, files, document)


def pdf_name(query: EvaluationQuery) -> str:
    return f"evaluation-{query.programme}-{query.first}-{query.last}.pdf"
