"""The search by region («Umkreissuche»): offerings within a radius of a locality, nearest first, and what to widen
when there is none."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from shared.kernel.errors import Invalid
from shared.register.domain.localities import EARTH_RADIUS_KM, Locality

RADII_KM = (5, 10, 20, 30, 50, 100)  # the choices the page offers; the API takes any whole number up to the maximum
DEFAULT_RADIUS_KM = 20
MAX_RADIUS_KM = 400  # more than the length of Switzerland


@dataclass(frozen=True, slots=True)
class Listing:
    """One offering as the finder shows it: where it runs and its places as last reported (nothing personal)."""

    provider: str
    provider_name: str
    website: str
    programme: str
    offering: str  # the register's code
    name: str
    postcode: str
    place: str
    lat: float
    lon: float
    places: int
    free_places: int | None  # places − occupied of the latest capacity report (never below 0); None: no report
    waiting_list: int | None
    as_of: str | None  # the month of that report, "YYYY-MM"


@dataclass(frozen=True, slots=True)
class Hit:
    listing: Listing
    distance_km: float


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    widen: dict | None  # when nothing was found: what to widen, and a German sentence saying so


def radius_of(value, field: str = "radius_km") -> int:
    """A radius as asked for (whole kilometres, 1 to 400); Invalid with a German message otherwise."""
    if value in (None, ""):
        return DEFAULT_RADIUS_KM
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_RADIUS_KM:
        raise Invalid(f"Umkreis «{text[:20]}»: eine ganze Zahl von 1 bis {MAX_RADIUS_KM} km angeben", field, text[:20])
    return int(text)


def _distances(listings: Sequence[Listing], origin: Locality) -> list[float]:
    """Great-circle distances from the origin (haversine, as shared.register.domain.localities computes one)."""
    lat0, lon0 = math.radians(origin.lat), math.radians(origin.lon)
    cos0 = math.cos(lat0)
    sin, cos, asin, sqrt, rad = math.sin, math.cos, math.asin, math.sqrt, math.radians
    result = []
    for item in listings:
        lat = rad(item.lat)
        h = sin((lat - lat0) / 2) ** 2 + cos0 * cos(lat) * sin((rad(item.lon) - lon0) / 2) ** 2
        result.append(2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h))))
    return result


def search(listings: Sequence[Listing], origin: Locality, radius_km: int, programme: str | None = None,
           programme_name: str = "") -> Found:
    """The offerings (of one programme type, or all) within the radius, nearest first."""
    candidates = [item for item in listings if programme is None or item.programme == programme]
    distances = _distances(candidates, origin)
    hits = [Hit(item, round(d, 1)) for item, d in zip(candidates, distances, strict=True) if d <= radius_km]
    hits.sort(key=lambda h: (h.distance_km, h.listing.provider_name, h.listing.name))
    if hits:
        return Found(hits, None)
    return Found([], _widen(listings, candidates, distances, origin, radius_km, programme, programme_name))


def _widen(listings, candidates, distances, origin: Locality, radius_km: int, programme: str | None,
           programme_name: str) -> dict:
    where = f"im Umkreis von {radius_km} km um {origin.label}"
    if candidates:
        nearest = min(distances)
        wider = next((r for r in RADII_KM if r >= nearest), min(MAX_RADIUS_KM, math.ceil(nearest)))
        what = f"für {programme_name}" if programme else ""
        return {"reason": "radius", "radius_km": wider, "nearest_km": round(nearest, 1),
                "message": f"Kein Angebot {what} {where}. Das nächste ist {nearest:.1f} km entfernt: "
                           f"den Umkreis auf {wider} km erweitern.".replace("  ", " ")}
    if programme and listings:
        nearby = sum(1 for d in _distances(listings, origin) if d <= radius_km)
        others = f"; {where} gibt es {nearby} Angebote anderer Programmarten" if nearby else ""
        return {"reason": "programme", "radius_km": radius_km, "other_offerings": nearby,
                "message": f"Für {programme_name} gibt es zurzeit kein Angebot mit Ort{others}. "
                           f"Eine andere Programmart wählen."}
    return {"reason": "none", "radius_km": radius_km, "message": "Zurzeit ist kein Angebot mit Ort erfasst."}
