"""The canton's register over the API: providers, offerings, service agreements, tariff editions."""
from __future__ import annotations

from litestar import get, post, put
from litestar.di import Provide

from services.common.auth import current_principal, require
from services.supervision.schemas import AgreementIn, EditionIn, OfferingChangeIn, ProviderChangeIn, ProviderIn
from shared.access.domain.roles import Principal
from shared.kernel.periods import parse_date
from shared.portal import Portal
from shared.register.application.history import entry_history, register_entry
from shared.register.application.views import agreement_dict, edition_dict, offering_dict
from shared.register.domain.offering import terms_from_record
from shared.register.domain.register import agreement_id, edition_id, offering_id, provider_id

DEPS = {"principal": Provide(current_principal)}


@get("/tariff-editions", guards=[require("supervise")], sync_to_thread=True)
def list_editions(portal: Portal) -> list[dict]:
    return [edition_dict(e) for e in portal.supervision.editions()]


@post("/tariff-editions", guards=[require("register")], dependencies=DEPS, sync_to_thread=True, status_code=201)
def publish_edition(data: EditionIn, principal: Principal, portal: Portal) -> dict:
    """A new edition from a date: the given maxima replace those of the edition before; the rest carry over."""
    valid_from = parse_date(data.valid_from, "valid_from")
    return edition_dict(portal.supervision.publish_edition_changes(data.label, valid_from, data.tariffs,
                                                                   principal.name))


@get("/tariff-editions/{valid_from:str}/history", guards=[require("supervise")], sync_to_thread=True)
def edition_history(valid_from: str, portal: Portal) -> list[dict]:
    return _history(portal, edition_id(valid_from), "Tarifausgabe")


@post("/providers", guards=[require("register")], dependencies=DEPS, sync_to_thread=True, status_code=201)
def register_provider(data: ProviderIn, principal: Principal, portal: Portal) -> dict:
    """A new provider in the canton's register."""
    p = portal.supervision.register_provider(data.slug, data.name, data.website, principal.name)
    return {"slug": p.slug, "name": p.name, "website": p.website, "contact": p.contact, "active": p.active,
            "iban": p.iban, "street": p.street, "postcode": p.postcode, "city": p.city}


@put("/providers/{slug:str}", guards=[require("register")], dependencies=DEPS, sync_to_thread=True)
def change_provider(slug: str, data: ProviderChangeIn, principal: Principal, portal: Portal) -> dict:
    changes = {k: v for k, v in data.__dict__.items() if v is not None}
    p = portal.supervision.change_provider(slug, changes, principal.name)
    return {"slug": p.slug, "name": p.name, "website": p.website, "contact": p.contact, "active": p.active,
            "iban": p.iban, "street": p.street, "postcode": p.postcode, "city": p.city}


@get("/providers/{slug:str}/history", guards=[require("supervise")], sync_to_thread=True)
def provider_history(slug: str, portal: Portal) -> list[dict]:
    return _history(portal, provider_id(slug), "Anbieter")


@put("/providers/{slug:str}/offerings/{code:str}", guards=[require("register")], dependencies=DEPS,
     sync_to_thread=True)
def change_offering(slug: str, code: str, data: OfferingChangeIn, principal: Principal, portal: Portal) -> dict:
    changes = {k: v for k, v in data.__dict__.items() if v is not None}
    off = portal.supervision.change_offering(slug, code, changes, principal.name)
    return offering_dict(terms_from_record(off))


@get("/providers/{slug:str}/offerings/{code:str}/history", guards=[require("supervise")], sync_to_thread=True)
def offering_history(slug: str, code: str, portal: Portal) -> list[dict]:
    return _history(portal, offering_id(slug, code), "Angebot")


@get("/providers/{slug:str}/agreements", guards=[require("supervise")], sync_to_thread=True)
def list_agreements(slug: str, portal: Portal) -> list[dict]:
    return [agreement_dict(a) for a in portal.supervision.agreements(slug)]


@post("/providers/{slug:str}/agreements", guards=[require("register")], dependencies=DEPS, sync_to_thread=True,
      status_code=201)
def conclude_agreement(slug: str, data: AgreementIn, principal: Principal, portal: Portal) -> dict:
    valid_from = parse_date(data.valid_from, "valid_from")
    if data.valid_to:
        parse_date(data.valid_to, "valid_to")
    terms = {"valid_to": data.valid_to, "goals": data.goals, "target_groups": data.target_groups,
             "target_values": data.target_values}
    return agreement_dict(portal.supervision.conclude_agreement(slug, valid_from, terms, principal.name))


@get("/providers/{slug:str}/agreements/{valid_from:str}/history", guards=[require("supervise")],
     sync_to_thread=True)
def agreement_history(slug: str, valid_from: str, portal: Portal) -> list[dict]:
    return _history(portal, agreement_id(slug, valid_from), "Leistungsvereinbarung")


def _history(portal: Portal, aggregate_id, what: str) -> list[dict]:
    return entry_history(portal.supervision, register_entry(portal.supervision, aggregate_id, what).id)


HANDLERS = [register_provider, list_editions, publish_edition, edition_history, change_provider, provider_history,
            change_offering,
            offering_history, list_agreements, conclude_agreement, agreement_history]
