"""Register entries as the API and the pages show them (one shape for supervisors and providers)."""
from __future__ import annotations

from shared.register.domain.offering import OfferingTerms


def offering_dict(o: OfferingTerms) -> dict:
    return {"provider": o.provider, "code": o.code, "programme_type": o.programme_type, "name": o.name,
            "location": o.location, "postcode": o.postcode, "places": o.places,
            "agreed_tariffs": {u: f"{p:.2f}" for u, p in o.agreed_tariffs.items()},
            "valid_from": o.valid_from.isoformat(), "valid_to": o.valid_to.isoformat() if o.valid_to else None}


def agreement_dict(a) -> dict:
    return {"provider": a.provider, "valid_from": a.valid_from, **a.terms}
