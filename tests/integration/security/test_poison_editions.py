"""Nothing is stored that a later read can't replay (issue 14, point 2): a tariff edition with a maximum that is
no amount is refused before it is stored, and a store that already holds such an edition (written before
editions were checked) still takes every provider's uploads: the unreadable edition stays out of force."""
from __future__ import annotations

import logging
from datetime import date

import pytest

from shared.register.domain.register import TariffEditionRecord
from tests.integration.test_register import csv, upload


def edition(supervision, headers, **tariff):
    return supervision.post("/api/v1/tariff-editions", headers=headers, json={
        "label": "2025/26", "valid_from": "2025-03-01",
        "tariffs": [{"programme_type": "qualifizierung", "unit": "assignment_day", "max_chf": "75.00", **tariff}]})


@pytest.mark.parametrize(("field", "value"), [
    ("max_chf", "NaN"), ("max_chf", "Infinity"), ("max_chf", "-1"), ("max_chf", "75.001"), ("max_chf", "1e9"),
    ("max_chf", "abc"), ("monthly_cap_chf", "350 CHF x"), ("monthly_cap_chf", "NaN"), ("unit", "hour"),
])
def test_an_edition_that_can_not_be_read_is_refused_and_nothing_is_stored(supervision, tokens, portal, field, value):
    sup = tokens(role="supervisor")
    before = portal.supervision.register().version
    r = edition(supervision, sup, **{field: value})
    assert r.status_code == 422, r.text
    assert portal.supervision.register().version == before
    assert edition(supervision, sup).status_code == 201  # the same edition, corrected, is taken


@pytest.mark.parametrize("valid_from", ["1999-12-01", "1000-01-01", "2100-01-01"])
def test_an_edition_outside_the_years_the_portal_reads_is_refused(supervision, tokens, valid_from):
    r = supervision.post("/api/v1/tariff-editions", headers=tokens(role="supervisor"), json={
        "label": "alt", "valid_from": valid_from,
        "tariffs": [{"programme_type": "qualifizierung", "unit": "assignment_day", "max_chf": "75.00"}]})
    assert r.status_code == 422


def test_a_legacy_edition_that_can_not_be_read_stops_no_upload(portal, reporting, tokens, caplog):
    sup = portal.supervision
    register = sup.register()
    rows = [{"programme_type": "qualifizierung", "name_de": "Qualifizierung", "category": "qualifizierend",
             "unit": "assignment_day", "max_chf": "80.00", "monthly_cap_chf": "350 CHF",
             "social_assistance_only": "no"}]
    bad = TariffEditionRecord(label="kaputt", valid_from=date(2025, 1, 1).isoformat(), rows=rows, rules={},
                              actor="legacy")  # stored as an older version did, without any check
    register.list_edition(bad.id)
    sup.save(register, bad)
    with caplog.at_level(logging.ERROR, logger="ami.register"):
        r = upload(reporting, tokens("regiomech"),
                   csv("02.2025;Q-1;Qualifizierung;;Selbstzahler;;Einsatztag;10;78.00;780.00"))
    assert r.status_code == 201, r.text
    assert r.json()["edition"] == "2024/25"  # the readable edition before it stays in force
    assert "kaputt" in caplog.text
