"""Histories of register entries for supervisors: who changed a provider, an offering, an agreement when."""
from __future__ import annotations

from uuid import UUID

from litestar import Request, Response, get

from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.register.application.history import provider_entry_history
from shared.register.domain.register import agreement_id, offering_id, provider_id

SUPERVISE = guarded("supervise")


def _history_page(request: Request, principal: Principal, portal: Portal, slug: str, aggregate_id: UUID,
                  what: str, label: str) -> Response:
    found = provider_entry_history(portal.supervision, slug, aggregate_id, what)
    return rendered(request, "register_history.html", context=page_context(
        request, principal, active="register", **found, what=what, label=label))


@get("/register/{slug:str}/verlauf", dependencies=SUPERVISE, sync_to_thread=True)
def provider_history(request: Request, slug: str, principal: Principal, portal: Portal) -> Response:
    return _history_page(request, principal, portal, slug, provider_id(slug), "Anbieter", slug)


@get("/register/{slug:str}/angebote/{code:str}/verlauf", dependencies=SUPERVISE, sync_to_thread=True)
def offering_history(request: Request, slug: str, code: str, principal: Principal, portal: Portal) -> Response:
    """Who changed an offering when, with the old and the new values."""
    return _history_page(request, principal, portal, slug, offering_id(slug, code), "Angebot", code)


@get("/register/{slug:str}/vereinbarungen/{valid_from:str}/verlauf", dependencies=SUPERVISE,
     sync_to_thread=True)
def agreement_history(request: Request, slug: str, valid_from: str, principal: Principal,
                      portal: Portal) -> Response:
    return _history_page(request, principal, portal, slug, agreement_id(slug, valid_from),
                         "Leistungsvereinbarung", f"ab {valid_from}")


HANDLERS = [provider_history, offering_history, agreement_history]
