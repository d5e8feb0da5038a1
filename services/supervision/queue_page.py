"""The supervisors' work queue (/arbeit): waiting invoices and open findings, each one click from its decision."""
# Filtered, sorted and paginated across providers; marked warnings confirmed together with one comment.
from __future__ import annotations

import logging
from urllib.parse import urlencode
from uuid import UUID

from anyio import to_thread
from litestar import Request, Response, get, post

from services.common import flash
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.checks.rules import RULES
from shared.kernel.errors import Invalid, NotFound
from shared.portal import Portal
from shared.readmodels.work_queue import SORTS, QueueFilter, open_findings, waiting_invoices

log = logging.getLogger("ami.access")
PATH = "/arbeit"
QUERY = {"anbieter": "provider", "monat": "period", "jahr": "year", "programm": "programme", "regel": "code",
         "art": "severity", "sortierung": "sort", "richtung": "order", "seite": "page"}
SHOWN_INVOICES = 30


def _filter(request: Request) -> tuple[QueueFilter, dict, str | None]:
    """The filter asked for; a month that is none is said (the third value) and left out, the others kept."""
    asked = {key: request.query_params.get(key) or "" for key in QUERY}

    def of(query: dict) -> QueueFilter:
        return QueueFilter.of(**{QUERY[k]: v for k, v in query.items() if k not in ("seite", "jahr")},
                              year=query["jahr"] if query["jahr"].isdigit() else None,
                              page=query["seite"] if query["seite"].isdigit() else 1)

    try:
        return of(asked), asked, None
    except Invalid as exc:
        return of({**asked, "monat": ""}), asked, exc.message


@get(PATH, dependencies=guarded("supervise"), sync_to_thread=True)
def work_queue(request: Request, principal: Principal, portal: Portal) -> Response:
    """Filters as query parameters (anbieter, monat, jahr, regel, art, sortierung, richtung, seite)."""
    chosen, asked, filter_error = _filter(request)
    findings = open_findings(portal.views, chosen)
    waiting = waiting_invoices(portal.views, chosen)
    note = flash.take(request)
    kept = {k: v for k, v in asked.items() if v and k not in ("seite", "sortierung", "richtung")}
    every = request.query_params.get("rechnungen") == "alle"  # every waiting invoice, not the first 30
    if every:
        kept["rechnungen"] = "alle"

    def link(**changes) -> str:
        query = {**kept, "sortierung": chosen.sort, "richtung": "ab" if chosen.descending else "auf",
                 "seite": str(findings["page"]), **changes}
        return f"{PATH}?{urlencode({k: v for k, v in query.items() if v})}"

    def sort_link(key: str) -> str:
        flip = "auf" if chosen.sort == key and chosen.descending else "ab"
        return link(sortierung=key, richtung=flip, seite="1")

    return rendered(request, "work_queue.html", context=page_context(
        request, principal, active="arbeit", chosen=chosen, asked=asked, findings=findings,
        waiting=waiting if every else waiting[:SHOWN_INVOICES], waiting_total=len(waiting), providers=sorted(
            portal.views.providers(), key=lambda p: p[1].casefold()), codes=list(RULES), sorts=list(SORTS),
        link=link, sort_link=sort_link, here=link(), may_review=principal.may("review"),
        saved=note.get("saved"), error=note.get("error"), count=note.get("count"), typed=note.get("typed"),
        filter_error=filter_error))


def _chosen(values: list[str]) -> list[tuple[UUID, int, str]]:
    """«invoice/row/code» of each ticked finding; a value not of that form is refused."""
    found = []
    for value in values:
        try:
            iid, row, code = value.split("/")
            found.append((UUID(iid), int(row), code))
        except ValueError:
            raise Invalid(f"Befund «{value[:60]}» ist unbekannt", "befund", value[:60]) from None
    return found


@post(f"{PATH}/bestaetigen", dependencies=guarded("review"))
async def confirm_marked(request: Request, principal: Principal, portal: Portal) -> Response:
    """«Alle markierten bestätigen»: the ticked warnings confirmed with one comment, one event per finding."""
    form = await request.form()
    back = form.get("zurueck") or PATH
    back = back if back.startswith(f"{PATH}?") or back == PATH else PATH

    def confirm() -> int:
        return portal.supervision.confirm_warnings(_chosen(form.getall("befund", [])), form.get("comment") or "",
                                                   principal.name)

    try:
        count = await to_thread.run_sync(confirm)
    except (Invalid, NotFound) as exc:
        return flash.redirect_with(request, back, error=exc.message, typed=(form.get("comment") or "")[:2000])
    log.info("confirmed warnings: actor=%s count=%s", principal.name, count)
    return flash.redirect_with(request, back, saved="bestaetigt", count=count)


HANDLERS = [work_queue, confirm_marked]
