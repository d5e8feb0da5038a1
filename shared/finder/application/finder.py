"""The finder over one portal: the offerings running today with their places and the latest capacity reports,
read again only when either log moved, then searched in memory (api.md «Public, no login»)."""
from __future__ import annotations

import threading
from datetime import date

from shared.checks.offerings import code_key
from shared.finder.domain.search import Found, Listing, radius_of, search
from shared.kernel.errors import Invalid
from shared.readmodels.latest_capacity import LatestCapacity, latest_capacity
from shared.register.domain.localities import POSTCODE, SOURCE, Locality, localities
from shared.register.domain.offering import OfferingTerms


class Finder:
    """`portal.finder`: search(programme, plz, radius) answers the public API; listings() the pages."""

    def __init__(self, portal):
        self.portal = portal
        self._lock = threading.Lock()
        self._register_key: tuple | None = None
        self._register: list[tuple[OfferingTerms, object, Locality]] = []
        self._names: dict[str, str] = {}
        self._capacity_key: int | None = None
        self._capacity: dict[tuple[str, str, str], LatestCapacity] = {}
        self._listings: tuple[Listing, ...] = ()

    # --- what can be found ------------------------------------------------------------------------
    def listings(self) -> tuple[Listing, ...]:
        """Every offering running today at a known place, with its places as last reported."""
        return self._current()[0]

    def programme_names(self) -> dict[str, str]:
        """The German names of the programme types (the catalogue in force)."""
        return self._current()[1]

    def _current(self) -> tuple[tuple[Listing, ...], dict[str, str]]:
        """The listings and the programme names, read again only when a log moved (else two indexed queries):
        a register change or a capacity report committed before this call is in them."""
        sup, rep = self.portal.supervision, self.portal.reporting
        today = rep.clock().date()
        register_key = (sup.recorder.max_notification_id() or 0, today)
        capacity_key = rep.recorder.max_notification_id() or 0
        with self._lock:
            if register_key == self._register_key and capacity_key == self._capacity_key:
                return self._listings, self._names
            if register_key != self._register_key:
                self._register = self._running(today)
                self._names = {slug: pt.name_de for slug, pt in sup.catalogue().programme_types.items()}
                self._register_key = register_key
            if capacity_key != self._capacity_key:
                views = self.portal.views
                views.catch_up()  # the capacity view up to (at least) the reporting log's head read above
                self._capacity = _by_offering(latest_capacity(views))
                self._capacity_key = capacity_key
            self._listings = tuple(self._combine())
            return self._listings, self._names

    def _running(self, today: date) -> list[tuple[OfferingTerms, object, Locality]]:
        sup = self.portal.supervision
        providers = {p.slug: p for p in sup.providers() if p.active}
        found = localities()
        running = []
        for o in sup.all_offerings():
            provider = providers.get(o.provider)
            if provider is None or o.valid_from > today or (o.valid_to is not None and o.valid_to < today):
                continue
            where = found.find(o.postcode, o.location) or found.find(o.postcode)
            if where is not None:
                running.append((o, provider, where))
        return running

    def _combine(self):
        same_type: dict[tuple[str, str], int] = {}
        for o, _, _ in self._register:
            same_type[(o.provider, o.programme_type)] = same_type.get((o.provider, o.programme_type), 0) + 1
        for o, provider, where in self._register:
            row = self._capacity.get((o.provider, o.programme_type, code_key(o.code)))
            if row is None and same_type[(o.provider, o.programme_type)] == 1:
                row = self._capacity.get((o.provider, o.programme_type, ""))  # reported without a code
            yield Listing(
                provider=o.provider, provider_name=provider.name, website=provider.website, programme=o.programme_type,
                offering=o.code, name=o.name, postcode=where.postcode, place=where.place, lat=where.lat,
                lon=where.lon, places=row.places if row else o.places,
                free_places=max(0, row.places - row.occupied) if row else None,
                waiting_list=row.waiting_list if row else None, as_of=row.period if row else None)

    # --- the public API ---------------------------------------------------------------------------
    def programme_of(self, value: str | None, field: str = "programme") -> str | None:
        """A programme type slug of the catalogue, or None for all; Invalid with a German message otherwise."""
        return _programme(value, self.programme_names(), field)

    def origin(self, plz: str | None, place: str | None = None) -> Locality:
        """The locality of a postcode (and place, where one postcode has several)."""
        plz = (plz or "").strip()
        if not plz:
            raise Invalid("Bitte eine Postleitzahl angeben (plz=NNNN)", "plz", "")
        if not POSTCODE.fullmatch(plz):
            raise Invalid(f"Postleitzahl «{plz[:20]}»: bitte vier Ziffern angeben", "plz", plz[:20])
        found = localities().find(plz, place or "") or localities().find(plz)
        if found is None:
            raise Invalid(f"Die Postleitzahl «{plz}» gibt es nicht ({SOURCE})", "plz", plz)
        return found

    def find(self, origin: Locality, radius_km: int, programme: str | None) -> Found:
        listings, names = self._current()
        return search(listings, origin, radius_km, programme, names.get(programme or "", ""))

    def search(self, programme: str | None, plz: str | None, radius_km=None, place: str | None = None) -> dict:
        """api.md: GET /api/v1/public/offerings — the offerings within the radius, nearest first."""
        listings, names = self._current()
        slug = _programme(programme, names, "programme")
        origin = self.origin(plz, place)
        radius = radius_of(radius_km)
        found = search(listings, origin, radius, slug, names.get(slug or "", ""))
        return {"plz": origin.postcode, "place": origin.place, "programme": slug, "radius_km": radius,
                "offerings": [offering_dict(h.listing, h.distance_km, names.get(h.listing.programme, ""))
                              for h in found.hits],
                "widen": found.widen, "source": SOURCE}


def _programme(value: str | None, names: dict[str, str], field: str) -> str | None:
    if not value:
        return None
    if value not in names:
        raise Invalid(f"Unbekannte Programmart «{value[:40]}»", field, value[:40])
    return value


def offering_dict(item: Listing, distance_km: float, programme_name: str) -> dict:
    return {"provider": item.provider, "provider_name": item.provider_name, "programme": item.programme,
            "programme_name": programme_name, "offering": item.offering, "name": item.name, "place": item.place,
            "plz": item.postcode, "distance_km": distance_km, "places": item.places,
            "free_places": item.free_places, "waiting_list": item.waiting_list, "as_of": item.as_of,
            "website": item.website}


def _by_offering(rows: list[LatestCapacity]) -> dict[tuple[str, str, str], LatestCapacity]:
    """The latest row per (provider, programme, offering code as the checks compare it)."""
    result: dict[tuple[str, str, str], LatestCapacity] = {}
    for row in rows:
        key = (row.provider, row.programme, code_key(row.offering))
        if key not in result or result[key].period < row.period:
            result[key] = row
    return result
