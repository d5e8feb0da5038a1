"""Swiss postcodes and localities with their WGS84 coordinates (Quelle: swisstopo), and distances between them."""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from shared.kernel.errors import Invalid

SOURCE = "Quelle: swisstopo"
EARTH_RADIUS_KM = 6371.0088  # the mean radius of the WGS84 ellipsoid
POSTCODE = re.compile(r"[1-9][0-9]{3}")
_LEADING_POSTCODE = re.compile(r"\s*([0-9]{4})\b\s*(.*)")


@dataclass(frozen=True)
class Locality:
    postcode: str
    place: str
    canton: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        """«4600 Olten», as the finder's field shows it and reads it back."""
        return f"{self.postcode} {self.place}"


def folded(text: str) -> str:
    """For comparing names as people type them: no case, no accents, single spaces («Zürich» is «zurich»)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").split())


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance on the sphere of mean earth radius (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Localities:
    """The register of localities: by postcode (its main locality first) and by name."""

    def __init__(self, rows: list[Locality]):
        self.all = tuple(rows)
        self._by_postcode: dict[str, list[Locality]] = {}
        self._by_name: dict[str, list[Locality]] = {}
        for loc in rows:
            self._by_postcode.setdefault(loc.postcode, []).append(loc)
            self._by_name.setdefault(folded(loc.place), []).append(loc)
        self._search = [(folded(loc.place), loc) for loc in rows]

    def of_postcode(self, postcode: str) -> tuple[Locality, ...]:
        return tuple(self._by_postcode.get((postcode or "").strip(), ()))

    def named(self, place: str) -> tuple[Locality, ...]:
        return tuple(self._by_name.get(folded(place), ()))

    def find(self, postcode: str, place: str = "") -> Locality | None:
        """The locality of a postcode (its main one without a place), or None."""
        found = self.of_postcode(postcode)
        if not found:
            return None
        if not place:
            return found[0]
        key = folded(place)
        return next((loc for loc in found if folded(loc.place) == key), None)

    def resolve(self, text: str, field: str = "plz") -> Locality:
        """What someone typed: «4600», «4600 Olten» or «Olten»; Invalid with a German message otherwise."""
        text = (text or "").strip()
        if not text:
            raise Invalid("Bitte eine Postleitzahl oder einen Ort angeben", field, "")
        match = _LEADING_POSTCODE.fullmatch(text)
        if match:
            postcode, place = match.groups()
            found = self.find(postcode) if POSTCODE.fullmatch(postcode) else None
            if found is None:
                raise Invalid(f"Die Postleitzahl «{postcode}» gibt es nicht ({SOURCE})", field, postcode)
            return self.find(postcode, place) or found
        named = self.named(text)
        if not named:
            raise Invalid(f"Den Ort «{text[:60]}» gibt es nicht; bitte die Postleitzahl angeben ({SOURCE})",
                          field, text[:60])
        return named[0]

    def suggest(self, query: str, limit: int = 10) -> list[Locality]:
        """Localities for a field as it is typed: postcodes that start with the digits, else places whose name
        (or a word of it) starts with the text, whole-name starts first."""
        query = (query or "").strip()
        if not query:
            return []
        match = _LEADING_POSTCODE.fullmatch(query)
        if query.isascii() and query.isdigit():
            found = [loc for code, locs in self._by_postcode.items() if code.startswith(query) for loc in locs]
            return sorted(found, key=lambda loc: loc.postcode)[:limit]
        if match:
            return [loc for loc in self.of_postcode(match.group(1))
                    if folded(loc.place).startswith(folded(match.group(2)))][:limit]
        key = folded(query)
        first = [loc for name, loc in self._search if name.startswith(key)]
        words = [loc for name, loc in self._search if not name.startswith(key) and f" {key}" in f" {name}"]
        first.sort(key=lambda loc: (len(loc.place), loc.place, loc.postcode))
        words.sort(key=lambda loc: (loc.place, loc.postcode))
        return (first + words)[:limit]

    def place_of(self, postcode: str, place: str) -> tuple[str, str]:
        """An offering's postcode and place as the register keeps them: checked against the localities and
        written as swisstopo writes them; both empty is allowed (the offering is then not in the finder)."""
        postcode, place = (postcode or "").strip(), (place or "").strip()
        if not postcode and not place:
            return "", ""
        if not postcode:
            named = self.named(place)
            if len(named) == 1:
                return named[0].postcode, named[0].place
            if not named:
                raise Invalid(f"Den Ort «{place}» gibt es nicht ({SOURCE})", "location", place)
            raise Invalid(f"«{place}» hat mehrere Postleitzahlen: bitte die Postleitzahl angeben", "postcode", "")
        if not POSTCODE.fullmatch(postcode) or not self.of_postcode(postcode):
            raise Invalid(f"Die Postleitzahl «{postcode}» gibt es nicht ({SOURCE})", "postcode", postcode)
        found = self.find(postcode, place)
        if found is None:
            names = ", ".join(loc.place for loc in self.of_postcode(postcode))
            raise Invalid(f"«{place}» ist keine Ortschaft mit der Postleitzahl {postcode} (möglich: {names})",
                          "location", place)
        return found.postcode, found.place


@functools.cache
def localities() -> Localities:
    """The packaged register (shared/register/data/localities-swisstopo.csv, made by tools/make-localities)."""
    text = resources.files("shared.register.data").joinpath("localities-swisstopo.csv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines()[2:]:  # the source line, the header
        postcode, place, canton, lat, lon = line.split(";")
        rows.append(Locality(postcode, place, canton, float(lat), float(lon)))
    return Localities(rows)
