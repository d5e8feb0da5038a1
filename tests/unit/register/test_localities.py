"""The packaged localities (Quelle: swisstopo): what people type resolves to one locality, offerings' places are
checked and written as swisstopo writes them, distances are great-circle kilometres."""
from __future__ import annotations

import pytest

from shared.kernel.errors import Invalid
from shared.register.domain.localities import EARTH_RADIUS_KM, great_circle_km, localities


def test_the_package_names_its_source_and_holds_every_postcode_of_swisstopo():
    from importlib import resources

    text = resources.files("shared.register.data").joinpath("localities-swisstopo.csv").read_text(encoding="utf-8")
    assert text.startswith("# Quelle: swisstopo")
    found = localities()
    assert len(found.all) == 4072  # one row per postcode and locality of swisstopo's 5,762 (tools/make-localities)
    assert len({loc.postcode for loc in found.all}) == 3194
    assert {loc.canton for loc in found.all} >= {"SO", "BL", "BS", "AG", "BE", "FL"}


@pytest.mark.parametrize(("typed", "label"), [
    ("4600", "4600 Olten"), ("4600 Olten", "4600 Olten"), ("olten", "4600 Olten"), ("  2540 ", "2540 Grenchen"),
    ("Zurich", "8001 Zürich"), ("4500 Solothurn", "4500 Solothurn"), ("4410 nicht da", "4410 Liestal"),
])
def test_what_people_type_resolves_to_one_locality(typed, label):
    assert localities().resolve(typed).label == label


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Bitte eine Postleitzahl oder einen Ort angeben"),
    ("9999", "Die Postleitzahl «9999» gibt es nicht (Quelle: swisstopo)"),
    ("0999 Olten", "Die Postleitzahl «0999» gibt es nicht"),
    ("Atlantis", "Den Ort «Atlantis» gibt es nicht"),
])
def test_what_does_not_resolve_is_refused_in_german(typed, message):
    with pytest.raises(Invalid) as exc:
        localities().resolve(typed)
    assert message in exc.value.message


def test_suggestions_as_typed():
    found = localities()
    assert [loc.label for loc in found.suggest("Olt")][0] == "4600 Olten"
    assert all(loc.postcode.startswith("45") for loc in found.suggest("45"))
    assert len(found.suggest("45")) == 10 and len(found.suggest("45", limit=3)) == 3
    assert [loc.label for loc in found.suggest("4600 Ol")] == ["4600 Olten"]
    assert "4655 Rohr b. Olten" in [loc.label for loc in found.suggest("olten")]  # a word of the name
    assert found.suggest("") == [] and found.suggest("qqqq") == []


def test_an_offerings_place_is_checked_and_written_as_swisstopo_writes_it():
    found = localities()
    assert found.place_of("4600", "") == ("4600", "Olten")
    assert found.place_of("4600", "OLTEN") == ("4600", "Olten")
    assert found.place_of("", "Grenchen") == ("2540", "Grenchen")
    assert found.place_of("", "") == ("", "")
    for postcode, place, field in (("9999", "", "postcode"), ("46000", "", "postcode"), ("4600", "Aarau", "location"),
                                   ("", "Basel", "postcode"), ("", "Atlantis", "location")):
        with pytest.raises(Invalid) as exc:
            found.place_of(postcode, place)
        assert exc.value.field == field


def test_great_circle_distances():
    assert great_circle_km(47.0, 7.5, 48.0, 7.5) == pytest.approx(EARTH_RADIUS_KM * 3.141592653589793 / 180)
    assert great_circle_km(47.3, 7.9, 47.3, 7.9) == 0
    olten, solothurn = localities().find("4600"), localities().find("4500")
    assert great_circle_km(olten.lat, olten.lon, solothurn.lat, solothurn.lon) == pytest.approx(31.8, abs=0.3)
