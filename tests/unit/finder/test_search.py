"""The search by region: within the radius, nearest first, and what to widen when nothing is found."""
from __future__ import annotations

import math

import pytest

from shared.finder.domain.search import Listing, radius_of, search
from shared.kernel.errors import Invalid
from shared.register.domain.localities import great_circle_km, localities


def listing(code: str, programme: str, postcode: str, provider: str = "p") -> Listing:
    loc = localities().find(postcode)
    return Listing(provider, provider.upper(), "https://example.ch", programme, code, code, loc.postcode, loc.place,
                   loc.lat, loc.lon, 10, 3, 0, "2025-10")


LISTINGS = [listing("OL", "coaching", "4600"), listing("SO", "coaching", "4500"), listing("GR", "coaching", "2540"),
            listing("AA", "qualifizierung", "5000"), listing("ZU", "coaching", "4528")]


def test_within_the_radius_nearest_first_with_great_circle_distances():
    origin = localities().find("4500")
    found = search(LISTINGS, origin, 20, "coaching")
    assert [h.listing.offering for h in found.hits] == ["SO", "ZU", "GR"]
    assert found.widen is None
    zuchwil = localities().find("4528")
    assert found.hits[1].distance_km == round(great_circle_km(origin.lat, origin.lon, zuchwil.lat, zuchwil.lon), 1)
    assert [h.listing.offering for h in search(LISTINGS, origin, 40, None).hits] == ["SO", "ZU", "GR", "OL"]


def test_an_empty_result_says_what_to_widen():
    olten = localities().find("4600")
    nothing_near = search(LISTINGS, olten, 5, "qualifizierung")  # Aarau is about 11 km away
    assert nothing_near.hits == []
    assert nothing_near.widen["reason"] == "radius" and nothing_near.widen["radius_km"] == 20
    assert 10 < nothing_near.widen["nearest_km"] < 13
    assert "den Umkreis auf 20 km erweitern" in nothing_near.widen["message"]
    no_type = search(LISTINGS, olten, 20, "traumaprogramm", "Traumaprogramm")
    assert no_type.widen["reason"] == "programme" and no_type.widen["other_offerings"] == 2  # Olten, Aarau
    assert "Für Traumaprogramm gibt es zurzeit kein Angebot" in no_type.widen["message"]
    assert search([], olten, 20, None).widen["reason"] == "none"
    geneva = localities().find("1201")
    far = search(LISTINGS, geneva, 100, "coaching")
    assert far.widen["nearest_km"] > 100 and far.widen["radius_km"] == math.ceil(far.widen["nearest_km"])  # beyond 100


@pytest.mark.parametrize("value", ["0", "401", "-5", "3.5", "zwanzig", "٥"])
def test_a_radius_out_of_range_is_refused_in_german(value):
    with pytest.raises(Invalid) as exc:
        radius_of(value)
    assert "ganze Zahl von 1 bis 400 km" in exc.value.message


def test_the_default_radius():
    assert radius_of(None) == radius_of("") == 20 and radius_of(" 50 ") == 50
