"""What an entry of the social services' register may hold (issue 19, point 1)."""
from __future__ import annotations

import pytest

from services.demo.social_services import demo_social_services
from shared.kernel.errors import Invalid
from shared.socialservices.domain.entry import social_service_entry

GOOD = {"code": "sd-olten", "name": " Sozialdienst Olten ", "address": "Dornacherstrasse 1\n4600 Olten",
        "valid_from": "01.01.2024", "valid_to": ""}


def test_a_good_entry_is_cleaned():
    e = social_service_entry(GOOD)
    assert (e.code, e.name, e.valid_from, e.valid_to, e.demo) == ("SD-OLTEN", "Sozialdienst Olten", "2024-01-01",
                                                                  None, False)


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "S"}, "code"), ({"code": "SD OLTEN"}, "code"), ({"name": ""}, "name"),
    ({"valid_from": "2024-13-01"}, "valid_from"), ({"valid_to": "31.12.2023"}, "valid_to"),
    ({"name": "=HYPERLINK()"}, "name"), ({"address": "a\x07b"}, "address"), ({"colour": "red"}, "colour"),
])
def test_a_bad_entry_names_its_field(change, field):
    with pytest.raises(Invalid) as exc:
        social_service_entry({**GOOD, **change})
    assert exc.value.field == field


def test_valid_to_on_valid_from_is_a_one_day_entry_not_an_error():
    assert social_service_entry({**GOOD, "valid_to": "2024-01-01"}).valid_to == "2024-01-01"


def test_the_demo_social_services_are_invented_and_marked():
    entries = [social_service_entry(d, demo=True) for d in demo_social_services()]
    assert len({e.code for e in entries}) == len({e.name for e in entries}) == len(entries) > 5
    assert all(e.demo and "(Demo)" in e.name for e in entries)
