"""A provider in the register: details, offerings and service agreements, with forms to change them."""
# Everyone who may `supervise` reads; only who may `register` changes; a refusal comes back beside its form with
# the entered values kept.
from __future__ import annotations

import logging

from litestar import Request, Response, get, post
from litestar.response import Redirect

from services.common import flash
from services.common.forms import FORM, cleaned
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.forms import AgreementForm, OfferingChangeForm, OfferingForm, ProviderForm
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.portal import Portal
from shared.register.application.views import provider_entries

log = logging.getLogger("ami.access")
REGISTER = guarded("register")


def _refused(request: Request, slug: str, exc: Invalid, form: str, values: dict, anchor: str) -> Response:
    """Back to the page at the refused form (post/redirect/get), the message beside it, the values kept."""
    return flash.redirect_with(request, f"/register/{slug}#{anchor}", error=exc.message, error_form=form,
                               values=values)


def _saved(slug: str, flag: str, anchor: str) -> Response:
    return Redirect(f"/register/{slug}?gespeichert={flag}#{anchor}", status_code=303)


@get("/register/{slug:str}", dependencies=guarded("supervise"), sync_to_thread=True)
def provider_register(request: Request, slug: str, principal: Principal, portal: Portal) -> Response:
    """A provider's offerings and service agreements, with forms to add and change them."""
    log.info("read provider register: actor=%s provider=%s", principal.name, slug)
    note = flash.take(request)
    return rendered(request, "register_provider.html", context=page_context(
        request, principal, active="register", **provider_entries(portal.supervision, slug),
        may_register=principal.may("register"), error=note.get("error"), error_form=note.get("error_form", ""),
        values=note.get("values") or {}, saved=request.query_params.get("gespeichert")))


@post("/register/{slug:str}/angebote", dependencies=REGISTER, sync_to_thread=True)
def add_offering(request: Request, slug: str, principal: Principal, portal: Portal,
                 data: OfferingForm = FORM) -> Response:
    try:
        code, terms = data.offering()
        portal.supervision.register_offering(slug, code, terms, principal.name)
    except Invalid as exc:
        return _refused(request, slug, exc, "offering", cleaned(data), "neues-angebot")
    log.info("registered offering: actor=%s provider=%s code=%s", principal.name, slug, code)
    return _saved(slug, "angebot", "angebote")


@post("/register/{slug:str}/angebote/{code:str}", dependencies=REGISTER, sync_to_thread=True)
def change_offering(request: Request, slug: str, code: str, principal: Principal, portal: Portal,
                    data: OfferingChangeForm = FORM) -> Response:
    try:
        changes, tariff = data.change()
        portal.supervision.change_offering(slug, code, changes, principal.name, agreed_tariff=tariff)
    except Invalid as exc:
        return _refused(request, slug, exc, f"change-{code}", cleaned(data), f"angebot-{code}")
    log.info("changed offering: actor=%s provider=%s code=%s", principal.name, slug, code)
    return _saved(slug, "aenderung", f"angebot-{code}")


@post("/register/{slug:str}/stammdaten", dependencies=REGISTER, sync_to_thread=True)
def change_provider(request: Request, slug: str, principal: Principal, portal: Portal,
                    data: ProviderForm = FORM) -> Response:
    """Name, website, contact and whether the provider is active; only what differs becomes an event."""
    try:
        portal.supervision.change_provider(slug, data.details(), principal.name, only_differences=True)
    except Invalid as exc:
        return _refused(request, slug, exc, "provider", cleaned(data), "stammdaten")
    log.info("changed provider: actor=%s provider=%s", principal.name, slug)
    return _saved(slug, "stammdaten", "stammdaten")


@post("/register/{slug:str}/vereinbarungen", dependencies=REGISTER, sync_to_thread=True)
def conclude_agreement(request: Request, slug: str, principal: Principal, portal: Portal,
                       data: AgreementForm = FORM) -> Response:
    try:
        valid_from, terms = data.agreement()
        portal.supervision.conclude_agreement(slug, valid_from, terms, principal.name)
    except Invalid as exc:
        return _refused(request, slug, exc, "agreement", cleaned(data, AgreementForm.LIMIT), "neue-vereinbarung")
    log.info("concluded agreement: actor=%s provider=%s from=%s", principal.name, slug, valid_from.isoformat())
    return _saved(slug, "vereinbarung", "vereinbarungen")


HANDLERS = [provider_register, add_offering, change_offering, change_provider, conclude_agreement]
