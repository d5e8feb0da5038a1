"""The supervisors' search (/suche): providers and invoices by what is typed, by participant or Kostengutsprache."""
# The number or reference is posted (never in an address or a log) and kept only as its pseudonyms for the next page.
from __future__ import annotations

import logging

from litestar import Request, Response, get, post
from litestar.response import Redirect

from services.common.forms import FORM
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.forms import ParticipantSearchForm
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.readmodels.search import (
    invoices_of,
    invoices_of_references,
    participant_subjects,
    reference_keys,
    search,
)

log = logging.getLogger("ami.access")
PATH = "/suche"
SUBJECTS = "search_subjects"  # the session's pseudonyms of the last participant searched for
REFERENCES = "search_references"  # the session's pseudonym of the last Kostengutsprache searched for


@get(PATH, dependencies=guarded("supervise"), sync_to_thread=True)
def search_page(request: Request, principal: Principal, portal: Portal) -> Response:
    """?q= providers by name and invoices by id; ?teilnehmer=1 the invoices of the participant posted last."""
    text = (request.query_params.get("q") or "").strip()[:100]
    found = search(portal.views, text)
    participant = None
    if request.query_params.get("teilnehmer"):
        participant = invoices_of(portal.views, list(request.session.get(SUBJECTS) or []))
    reference = None
    if request.query_params.get("kostengutsprache"):
        reference = invoices_of_references(portal.views, list(request.session.get(REFERENCES) or []))
    log.info("search: actor=%s participant=%s reference=%s", principal.name, participant is not None,
             reference is not None)
    return rendered(request, "search.html", context=page_context(request, principal, active="suche", text=text, **found,
                                                        participant=participant, reference=reference))


@post(f"{PATH}/teilnehmer", dependencies=guarded("supervise"), sync_to_thread=True)
def search_participant(request: Request, principal: Principal, portal: Portal,
                       data: ParticipantSearchForm = FORM) -> Response:
    """The number (or Kostengutsprache reference) becomes its pseudonyms at once; the answer is a redirect (a
    reload sends nothing again)."""
    if data.referenz.strip():
        request.session[REFERENCES] = reference_keys(portal, data.referenz[:60])
        return Redirect(f"{PATH}?kostengutsprache=1", status_code=303)
    request.session[SUBJECTS] = participant_subjects(portal, data.nummer[:60])
    return Redirect(f"{PATH}?teilnehmer=1", status_code=303)


HANDLERS = [search_page, search_participant]
