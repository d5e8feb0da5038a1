"""The question before a second invoice for a month: «… – als Korrektur hochladen?»."""
# «Für November 2026 besteht schon eine Rechnung (Version 2) – als Korrektur hochladen?». The file waits
# (services.common.pending_uploads) until the user chooses: a new version of an existing invoice, or a further invoice
# for the month (a supplementary invoice is allowed).
from __future__ import annotations

from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from services.common.layout import page_context
from services.common.page_errors import page_router
from services.common.pending_uploads import peek, release
from services.reporting.web import SUBMIT, render_months, store_correction, store_new_invoice, upload_limits
from shared.access.domain.roles import Principal
from shared.portal import Portal

GONE = ("Die Datei wird nicht mehr bereitgehalten (nach 15 Minuten oder nach einer Antwort). "
        "Bitte laden Sie sie nochmals hoch.")


async def _gone(request: Request, principal: Principal, portal: Portal) -> Response:
    return await to_thread.run_sync(lambda: render_months(request, principal, portal, status=410, message=GONE))


@get("/meldungen/rechnung/frage", dependencies=SUBMIT)
async def invoice_question(request: Request, principal: Principal, portal: Portal, t: str = "") -> Response:
    """The month's invoices and the two answers; the file is not read again."""
    held = await peek(request, principal.name, t)
    if held is None:
        return await _gone(request, principal, portal)
    upload, meta = held
    rep = portal.reporting

    def views() -> list[dict]:
        found = sorted(rep.invoices(principal.provider, meta["period"]), key=lambda i: i.first_received_at,
                       reverse=True)
        return [rep.invoice_view(i, with_lines=False) for i in found]

    others = await to_thread.run_sync(views)
    if not others:  # gone meanwhile (cannot happen today): nothing to ask
        return await store_new_invoice(request, principal, portal, upload)
    return Template("reporting_question.html", context=page_context(
        request, principal, active="meldungen", period=meta["period"], others=others, token=t,
        filename=upload.filename, **upload_limits(portal)))


@post("/meldungen/rechnung/frage", dependencies=SUBMIT)
async def answer_invoice_question(request: Request, principal: Principal, portal: Portal) -> Response:
    """«als Korrektur» of the chosen invoice (a new version) or «als weitere Rechnung» (a new invoice)."""
    form = await request.form()
    token, choice = form.get("t") or "", form.get("als") or ""
    held = await peek(request, principal.name, token)
    if held is None:
        return await _gone(request, principal, portal)
    upload, _ = held
    await release(request, token)
    if choice == "weitere":
        return await store_new_invoice(request, principal, portal, upload)
    try:
        invoice_id = UUID(choice)
    except ValueError:
        return Redirect("/meldungen", status_code=303)
    return await store_correction(request, principal, portal, invoice_id, upload)


HANDLERS = [page_router([invoice_question, answer_invoice_question])]
