"""Register entries as the API and the pages show them, and the register pages' reads. Codes, not labels."""
from __future__ import annotations

from shared.register.domain.catalogue import UNITS
from shared.register.domain.offering import OfferingTerms


def offering_dict(o: OfferingTerms) -> dict:
    return {"provider": o.provider, "code": o.code, "programme_type": o.programme_type, "name": o.name,
            "location": o.location, "postcode": o.postcode, "places": o.places,
            "agreed_tariffs": {u: f"{p:.2f}" for u, p in o.agreed_tariffs.items()},
            "valid_from": o.valid_from.isoformat(), "valid_to": o.valid_to.isoformat() if o.valid_to else None}


def agreement_dict(a) -> dict:
    return {"provider": a.provider, "valid_from": a.valid_from, **a.terms}


def edition_dict(rec) -> dict:
    return {"label": rec.label, "valid_from": rec.valid_from,
            "tariffs": [{"programme_type": r["programme_type"], "unit": r["unit"], "max_chf": r["max_chf"],
                         "monthly_cap_chf": r.get("monthly_cap_chf") or None} for r in rec.rows if r.get("unit")]}


def register_overview(sup) -> dict:
    """editions (newest first), providers (by name), and what a new edition's rows choose from: programme_types
    (of the catalogue in force) and units. `sup` is the supervision Application."""
    return {"editions": [edition_dict(rec) for rec in reversed(sup.editions())],
            "providers": sorted(sup.providers(), key=lambda p: p.name.lower()), **_choices(sup)}


def provider_entries(sup, slug: str) -> dict:
    """provider (NotFound if it is not registered), offerings (by code and start), agreements (newest first),
    and the choices of the forms (programme_types, units)."""
    provider = sup.provider(slug)
    offerings = [offering_dict(o) for o in sorted(sup.offerings(slug), key=lambda o: (o.code, o.valid_from))]
    agreements = sorted(({"valid_from": a.valid_from, "valid_to": a.terms.get("valid_to"),
                          "goals": a.terms.get("goals") or [], "target_groups": a.terms.get("target_groups") or []}
                         for a in sup.agreements(slug)), key=lambda a: a["valid_from"], reverse=True)
    return {"provider": provider, "offerings": offerings, "agreements": agreements, **_choices(sup)}


def _choices(sup) -> dict:
    return {"programme_types": list(sup.catalogue().programme_types), "units": list(UNITS)}
