"""The evaluation report for the Regierungsrat (PDF/A-3b): method, definitions, charts, tables, reconciliation,
the audit digest; its figures embedded as JSON. Suppressed figures read «< 5», as on the page."""
from __future__ import annotations

from uuid import UUID

from shared.audit.application.checkpoints import checkpoint_store
from shared.audit.application.verify_pdf import EVENTS_NAME
from shared.evaluation.application.evaluation import EvaluationQuery, evaluate_splits
from shared.finance.application.reconciliation import funding_splits
from shared.presentation.evaluation_view import evaluation_view
from shared.presentation.pdf.document import events_json, figures_json, public_key_hex, render_document
from shared.presentation.pdf.render import EmbeddedFile
from shared.presentation.pdf.snapshot import Snapshot


def evaluation_pdf(portal, query: EvaluationQuery) -> bytes:
    digest = checkpoint_store(portal.settings)
    splits = funding_splits(portal, query.scope)
    data = evaluate_splits(portal, query, splits)
    with Snapshot(portal, digest) as snap:  # the invoices the figures come from, with inclusion proofs
        for invoice in sorted({s.line.invoice for s in splits}):
            snap.get("reporting", UUID(invoice))
        refs = snap.used_records()
    view = evaluation_view(data, portal.supervision.catalogue())
    document = {"kind": "evaluation", "programme": query.programme, "from": str(query.first),
                "to": str(query.last), "compare": list(query.compare)}
    files = [EmbeddedFile("auswertung.json", figures_json({"document": document, **data}),
                          "Die Zahlen dieser Evaluation als JSON (unterdrückte Werte: null)", "Data"),
             EmbeddedFile(EVENTS_NAME, events_json(document, digest, refs, public_key_hex(portal.settings)),
                          "Die Rechnungen, aus denen die Evaluation berechnet ist, mit Inklusionsbeweisen", "Data")]
    context = {"title": f"Evaluation {view['programme_name']} {view['span']}", **view}
    return render_document(portal, digest, "evaluation_report.html", context, files, document)
