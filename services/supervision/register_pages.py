"""Register pages for supervisors: tariff editions, a provider's offerings and service agreements, histories.

Everyone who may `supervise` reads; only who may `register` changes. Domain errors come back on the page, in
German, next to their form and with the entered values kept.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from services.common import web_auth
from services.supervision.register import TariffIn, _date
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid, NotFound
from shared.portal import Portal
from shared.presentation import labels
from shared.presentation.format import date_de, local_time
from shared.register.application.history import entry_history
from shared.register.domain.catalogue import UNITS
from shared.register.domain.register import agreement_id, offering_id, provider_id

log = logging.getLogger("ami.access")
SUPERVISE = {"principal": web_auth.page_guard("supervise")}
REGISTER = {"principal": web_auth.page_guard("register")}
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
EDITION_ROWS = 3


# --- forms ---------------------------------------------------------------------------------------
@dataclass
class EditionForm:
    label: str = ""
    valid_from: str = ""
    programme_type_1: str = ""
    unit_1: str = ""
    max_chf_1: str = ""
    programme_type_2: str = ""
    unit_2: str = ""
    max_chf_2: str = ""
    programme_type_3: str = ""
    unit_3: str = ""
    max_chf_3: str = ""


@dataclass
class OfferingForm:
    code: str = ""
    programme_type: str = ""
    name: str = ""
    location: str = ""
    postcode: str = ""
    places: str = ""
    valid_from: str = ""
    valid_to: str = ""
    tariff_unit: str = ""
    tariff_chf: str = ""


@dataclass
class OfferingChangeForm:
    places: str = ""
    valid_to: str = ""
    postcode: str = ""
    location: str = ""
    tariff_unit: str = ""
    tariff_chf: str = ""


@dataclass
class NewProviderForm:
    slug: str = ""
    name: str = ""
    website: str = ""


@dataclass
class ProviderForm:
    name: str = ""
    website: str = ""
    contact: str = ""
    active: str = ""


@dataclass
class AgreementForm:
    valid_from: str = ""
    valid_to: str = ""
    goals: str = ""
    target_groups: str = ""


def _amount(value: str) -> str:
    """«75,50» as typed in Switzerland is 75.50."""
    return value.strip().replace("’", "").replace("'", "").replace(",", ".")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _clean(data) -> dict[str, str]:
    return {k: str(v).strip()[:500] for k, v in asdict(data).items()}


# --- the register: tariff editions and providers ---------------------------------------------------
def _register_page(request: Request, principal: Principal, portal: Portal, *, status: int = 200,
                   error: str | None = None, values: dict | None = None, error_form: str = "edition") -> Template:
    sup = portal.supervision
    catalogue = sup.catalogue()
    editions = []
    for rec in reversed(sup.editions()):
        rows = [{"programme": labels.programme(catalogue=catalogue, slug=r["programme_type"]), "unit": r["unit"],
                 "unit_name": labels.unit(r["unit"]), "max_chf": r["max_chf"],
                 "monthly_cap_chf": r.get("monthly_cap_chf") or ""} for r in rec.rows if r.get("unit")]
        editions.append({"label": rec.label, "valid_from": rec.valid_from, "rows": rows})
    providers = sorted(sup.providers(), key=lambda p: p.name.lower())
    return Template("register_index.html", status_code=status, context=web_auth.page_context(
        request, principal, active="register", editions=editions, providers=providers,
        types=_types(catalogue), units=_units(), may_register=principal.may("register"), error=error,
        values=values or {}, edition_rows=range(1, EDITION_ROWS + 1), saved=request.query_params.get("gespeichert"),
        error_form=error_form))


def _types(catalogue) -> list[tuple[str, str]]:
    return [(slug, pt.name_de) for slug, pt in catalogue.programme_types.items()]


def _units() -> list[tuple[str, str]]:
    return [(u, labels.unit(u)) for u in UNITS]


@get("/register", dependencies=SUPERVISE, sync_to_thread=True)
def register_index(request: Request, principal: Principal, portal: Portal) -> Template:
    """The tariff editions with their maxima, a form for a new edition, and the providers."""
    return _register_page(request, principal, portal)


@post("/register/anbieter", dependencies=REGISTER, sync_to_thread=True)
def add_provider(request: Request, principal: Principal, portal: Portal,
                 data: NewProviderForm = FORM) -> Response:
    values = _clean(data)
    try:
        portal.supervision.register_provider(values["slug"], values["name"], values["website"], principal.name)
    except Invalid as exc:
        return _register_page(request, principal, portal, status=422, error=exc.message, values=values,
                              error_form="provider")
    log.info("registered provider: actor=%s provider=%s", principal.name, values["slug"])
    return Redirect(f"/register/{values['slug']}", status_code=303)


@post("/register/tarifausgaben", dependencies=REGISTER, sync_to_thread=True)
def publish_edition(request: Request, principal: Principal, portal: Portal,
                    data: EditionForm = FORM) -> Response:
    """A new edition from a date: the given maxima replace those of the latest edition; the rest carry over."""
    values = _clean(data)
    try:
        if not values["label"]:
            raise Invalid("Bitte eine Bezeichnung angeben", "label", "")
        valid_from = _date(values["valid_from"], "Gültig ab")
        tariffs = []
        for i in range(1, EDITION_ROWS + 1):
            pt, unit, chf = values[f"programme_type_{i}"], values[f"unit_{i}"], _amount(values[f"max_chf_{i}"])
            if not (pt or unit or chf):
                continue
            if not (pt and unit and chf):
                raise Invalid(f"Zeile {i}: Programmart, Leistung und Höchsttarif angeben", "max_chf", chf)
            tariffs.append(TariffIn(programme_type=pt, unit=unit, max_chf=chf))
        if not tariffs:
            raise Invalid("Bitte mindestens einen neuen Höchsttarif angeben", "max_chf", "")
        sup = portal.supervision
        sup.publish_edition_changes(values["label"], valid_from, tariffs, principal.name)
    except Invalid as exc:
        return _register_page(request, principal, portal, status=422, error=exc.message, values=values)
    log.info("published tariff edition: actor=%s label=%s", principal.name, values["label"])
    return Redirect("/register?gespeichert=tarifausgabe#tarifausgaben", status_code=303)


# --- a provider: offerings and service agreements ------------------------------------------------
def _provider_page(request: Request, principal: Principal, portal: Portal, slug: str, *, status: int = 200,
                   error: str | None = None, error_form: str = "", values: dict | None = None) -> Template:
    sup = portal.supervision
    provider = sup.provider(slug)
    catalogue = sup.catalogue()
    offerings = [{"code": o.code, "name": o.name, "programme_type": o.programme_type,
                  "programme": labels.programme(catalogue=catalogue, slug=o.programme_type), "location": o.location,
                  "postcode": o.postcode, "places": o.places,
                  "agreed": [(labels.unit(u), f"{v:.2f}") for u, v in o.agreed_tariffs.items()],
                  "valid_from": o.valid_from, "valid_to": o.valid_to}
                 for o in sorted(sup.offerings(slug), key=lambda o: (o.code, o.valid_from))]
    agreements = sorted(({"valid_from": a.valid_from, "valid_to": a.terms.get("valid_to"),
                          "goals": a.terms.get("goals") or [], "target_groups": a.terms.get("target_groups") or []}
                         for a in sup.agreements(slug)), key=lambda a: a["valid_from"], reverse=True)
    return Template("register_provider.html", status_code=status, context=web_auth.page_context(
        request, principal, active="register", provider=provider, offerings=offerings, agreements=agreements,
        types=_types(catalogue), units=_units(), may_register=principal.may("register"), error=error,
        error_form=error_form, values=values or {}, saved=request.query_params.get("gespeichert")))


@get("/register/{slug:str}", dependencies=SUPERVISE, sync_to_thread=True)
def provider_register(request: Request, slug: str, principal: Principal, portal: Portal) -> Template:
    """A provider's offerings and service agreements, with forms to add and change them."""
    log.info("read provider register: actor=%s provider=%s", principal.name, slug)
    return _provider_page(request, principal, portal, slug)


def _saved(slug: str, flag: str, anchor: str) -> Response:
    return Redirect(f"/register/{slug}?gespeichert={flag}#{anchor}", status_code=303)


@post("/register/{slug:str}/angebote", dependencies=REGISTER, sync_to_thread=True)
def add_offering(request: Request, slug: str, principal: Principal, portal: Portal,
                 data: OfferingForm = FORM) -> Response:
    values = _clean(data)
    sup = portal.supervision
    try:
        sup.provider(slug)
        if not values["code"]:
            raise Invalid("Bitte einen Code für das Angebot angeben", "code", "")
        tariffs = {}
        if values["tariff_unit"] and values["tariff_chf"]:
            tariffs[values["tariff_unit"]] = _amount(values["tariff_chf"])
        elif values["tariff_chf"]:
            raise Invalid("Bitte die Leistung zum vereinbarten Tarif wählen", "agreed_tariffs", values["tariff_chf"])
        terms = {"programme_type": values["programme_type"], "name": values["name"],
                 "location": values["location"], "postcode": values["postcode"], "places": values["places"] or "0",
                 "valid_from": values["valid_from"], "valid_to": values["valid_to"] or None,
                 "agreed_tariffs": tariffs}
        sup.register_offering(slug, values["code"], terms, principal.name)
    except Invalid as exc:
        return _provider_page(request, principal, portal, slug, status=422, error=exc.message,
                              error_form="offering", values=values)
    log.info("registered offering: actor=%s provider=%s code=%s", principal.name, slug, values["code"])
    return _saved(slug, "angebot", "angebote")


@post("/register/{slug:str}/angebote/{code:str}", dependencies=REGISTER, sync_to_thread=True)
def change_offering(request: Request, slug: str, code: str, principal: Principal, portal: Portal,
                    data: OfferingChangeForm = FORM) -> Response:
    values = _clean(data)
    sup = portal.supervision
    try:
        changes: dict[str, Any] = {}
        if values["places"]:
            changes["places"] = values["places"]
        if values["valid_to"]:
            changes["valid_to"] = _date(values["valid_to"], "Gültig bis").isoformat()
        changes.update({k: values[k] for k in ("postcode", "location") if values[k]})  # checked against swisstopo
        if values["tariff_unit"] and values["tariff_chf"]:
            current = sup.get_or_none(offering_id(slug, code))
            agreed = dict((current.terms.get("agreed_tariffs") or {}) if current else {})
            changes["agreed_tariffs"] = {**agreed, values["tariff_unit"]: _amount(values["tariff_chf"])}
        elif values["tariff_chf"]:
            raise Invalid("Bitte die Leistung zum vereinbarten Tarif wählen", "agreed_tariffs", values["tariff_chf"])
        if not changes:
            raise Invalid("Keine Änderung angegeben", "places", "")
        sup.change_offering(slug, code, changes, principal.name)
    except Invalid as exc:
        return _provider_page(request, principal, portal, slug, status=422, error=exc.message,
                              error_form=f"change-{code}", values=values)
    log.info("changed offering: actor=%s provider=%s code=%s", principal.name, slug, code)
    return _saved(slug, "aenderung", f"angebot-{code}")


@post("/register/{slug:str}/stammdaten", dependencies=REGISTER, sync_to_thread=True)
def change_provider(request: Request, slug: str, principal: Principal, portal: Portal,
                    data: ProviderForm = FORM) -> Response:
    """Name, website, contact and whether the provider is active; only what differs becomes an event."""
    values = _clean(data)
    sup = portal.supervision
    try:
        current = sup.provider(slug)
        wanted = {"name": values["name"], "website": values["website"], "contact": values["contact"],
                  "active": values["active"] == "ja"}
        changes = {k: v for k, v in wanted.items() if getattr(current, k) != v}
        if not changes:
            raise Invalid("Keine Änderung angegeben", "name", values["name"])
        sup.change_provider(slug, changes, principal.name)
    except Invalid as exc:
        return _provider_page(request, principal, portal, slug, status=422, error=exc.message,
                              error_form="provider", values=values)
    log.info("changed provider: actor=%s provider=%s", principal.name, slug)
    return _saved(slug, "stammdaten", "stammdaten")


@get("/register/{slug:str}/verlauf", dependencies=SUPERVISE, sync_to_thread=True)
def provider_history(request: Request, slug: str, principal: Principal, portal: Portal) -> Template:
    portal.supervision.provider(slug)
    return _history_page(request, principal, portal, slug, provider_id(slug), "Anbieter", slug)


@post("/register/{slug:str}/vereinbarungen", dependencies=REGISTER, sync_to_thread=True)
def conclude_agreement(request: Request, slug: str, principal: Principal, portal: Portal,
                       data: AgreementForm = FORM) -> Response:
    values = {k: v.strip()[:5000] for k, v in asdict(data).items()}
    sup = portal.supervision
    try:
        valid_from = _date(values["valid_from"], "Gültig ab")
        valid_to = _date(values["valid_to"], "Gültig bis").isoformat() if values["valid_to"] else None
        terms = {"valid_to": valid_to, "goals": _lines(values["goals"]),
                 "target_groups": _lines(values["target_groups"]), "target_values": {}}
        sup.conclude_agreement(slug, valid_from, terms, principal.name)
    except Invalid as exc:
        return _provider_page(request, principal, portal, slug, status=422, error=exc.message,
                              error_form="agreement", values=values)
    log.info("concluded agreement: actor=%s provider=%s from=%s", principal.name, slug, values["valid_from"])
    return _saved(slug, "vereinbarung", "vereinbarungen")


# --- histories -------------------------------------------------------------------------------------
def _value_de(key: str, value, catalogue) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if key in ("valid_from", "valid_to") and isinstance(value, str):
        return date_de(value)
    if key == "programme_type":
        return labels.programme(catalogue=catalogue, slug=value)
    if key == "agreed_tariffs" and isinstance(value, dict):
        return ", ".join(f"{labels.unit(u)}: {p}" for u, p in value.items())
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _history_page(request: Request, principal: Principal, portal: Portal, slug: str, aggregate_id,
                  what: str, label: str) -> Template:
    sup = portal.supervision
    provider = sup.provider(slug)
    entry = sup.get_or_none(aggregate_id)
    if entry is None or getattr(entry, "provider", getattr(entry, "slug", None)) != slug:
        raise NotFound(f"{what} nicht gefunden")
    tz = portal.settings.timezone
    catalogue = sup.catalogue()
    entries = [{"event": labels.event(h["event"]), "time": local_time(h["time"], tz),
                "actor": labels.actor(h["actor"]), "version": h["version"],
                "changes": [{"field": labels.field(k), "old": _value_de(k, c["old"], catalogue),
                             "new": _value_de(k, c["new"], catalogue)}
                            for k, c in h["changes"].items() if k not in ("provider", "code")]}
               for h in entry_history(sup, aggregate_id)]
    return Template("register_history.html", context=web_auth.page_context(
        request, principal, active="register", provider=provider, what=what, label=label,
        entries=list(reversed(entries))))


@get("/register/{slug:str}/angebote/{code:str}/verlauf", dependencies=SUPERVISE, sync_to_thread=True)
def offering_history(request: Request, slug: str, code: str, principal: Principal, portal: Portal) -> Template:
    """Who changed an offering when, with the old and the new values."""
    return _history_page(request, principal, portal, slug, offering_id(slug, code), "Angebot", code)


@get("/register/{slug:str}/vereinbarungen/{valid_from:str}/verlauf", dependencies=SUPERVISE,
     sync_to_thread=True)
def agreement_history(request: Request, slug: str, valid_from: str, principal: Principal,
                      portal: Portal) -> Template:
    return _history_page(request, principal, portal, slug, agreement_id(slug, valid_from),
                         "Leistungsvereinbarung", f"ab {valid_from}")


HANDLERS = [Router(path="/", include_in_schema=False, exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                   route_handlers=[register_index, add_provider, publish_edition, provider_register, add_offering,
                                   change_offering, conclude_agreement, offering_history, agreement_history,
                                   change_provider, provider_history])]
