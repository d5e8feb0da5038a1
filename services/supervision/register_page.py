"""The register's page: tariff editions and providers, with forms for a new edition and a new provider."""
# Everyone who may `supervise` reads; only who may `register` changes; a refusal comes back beside its form.
from __future__ import annotations

import logging

from litestar import Request, Response, get, post
from litestar.response import Redirect

from services.common import flash
from services.common.forms import FORM, cleaned
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.forms import EditionForm, NewProviderForm
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.portal import Portal
from shared.register.application.views import register_overview

log = logging.getLogger("ami.access")
REGISTER = guarded("register")


@get("/register", dependencies=guarded("supervise"), sync_to_thread=True)
def register_index(request: Request, principal: Principal, portal: Portal) -> Response:
    """The tariff editions with their maxima, a form for a new edition, and the providers; a refused form's
    message and values from the session (post/redirect/get)."""
    note = flash.take(request)
    return rendered(request, "register_index.html", context=page_context(
        request, principal, active="register", **register_overview(portal.supervision),
        may_register=principal.may("register"), error=note.get("error"), values=note.get("values") or {},
        edition_rows=range(1, EditionForm.ROWS + 1), saved=request.query_params.get("gespeichert"),
        error_form=note.get("error_form", "edition")))


@post("/register/anbieter", dependencies=REGISTER, sync_to_thread=True)
def add_provider(request: Request, principal: Principal, portal: Portal,
                 data: NewProviderForm = FORM) -> Response:
    values = cleaned(data)
    try:
        portal.supervision.register_provider(values["slug"], values["name"], values["website"], principal.name)
    except Invalid as exc:
        return flash.redirect_with(request, "/register#anbieter", error=exc.message, values=values,
                                   error_form="provider")
    log.info("registered provider: actor=%s provider=%s", principal.name, values["slug"])
    return Redirect(f"/register/{values['slug']}", status_code=303)


@post("/register/tarifausgaben", dependencies=REGISTER, sync_to_thread=True)
def publish_edition(request: Request, principal: Principal, portal: Portal,
                    data: EditionForm = FORM) -> Response:
    """A new edition from a date: the given maxima replace those of the latest edition; the rest carry over."""
    try:
        label, valid_from, tariffs = data.edition()
        portal.supervision.publish_edition_changes(label, valid_from, tariffs, principal.name)
    except Invalid as exc:
        return flash.redirect_with(request, "/register#neue-tarifausgabe", error=exc.message, values=cleaned(data),
                                   error_form="edition")
    log.info("published tariff edition: actor=%s label=%s", principal.name, label)
    return Redirect("/register?gespeichert=tarifausgabe#tarifausgaben", status_code=303)


HANDLERS = [register_index, add_provider, publish_edition]
