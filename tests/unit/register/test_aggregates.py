"""The event-sourced aggregates of register/domain: Register, Provider, Offering, ServiceAgreement and
TariffEditionRecord — created and commanded, replayed into the same state (in memory and through a real
SQLite store), with stable ids and the event names first stored under shared.aggregates.register."""
from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from shared.register.domain.register import (
    REGISTER_ID,
    Offering,
    Provider,
    Register,
    ServiceAgreement,
    TariffEditionRecord,
    agreement_id,
    edition_id,
    offering_id,
    provider_id,
)
from tests.unit.eventsourced import assert_topics_kept, replay, sqlite_application, state, stored_topics

ROWS = [{"programme_type": "qualifizierung", "unit": "assignment_day", "max_chf": "80.00"}]
RULES = {"full_month_days": "21.7", "reduced_day_factor": "0.70"}
FIRST = "shared.aggregates.register"


def make_register() -> Register:
    register = Register()
    register.list_provider("regiomech")
    register.list_offering(offering_id("regiomech", "RM-Q1"))
    register.list_edition(edition_id("2024-01-01"))
    register.note_offering_changed(offering_id("regiomech", "RM-Q1"))
    register.list_agreement(agreement_id("regiomech", "2025-01-01"))
    return register


def make_provider() -> Provider:
    provider = Provider(slug="regiomech", name="RegioMech AG", website="https://regiomech.ch",
                        integration_arbeit_test=False, actor="user:admin")
    provider.change({"contact": "Frau Muster", "active": False}, actor="user:anna")
    return provider


def make_offering() -> Offering:
    offering = Offering(provider="regiomech", code="RM-Q1", actor="user:anna",
                        terms={"programme_type": "qualifizierung", "places": 12, "valid_from": date(2024, 1, 1),
                               "agreed_tariffs": {"assignment_day": "78.00"}})
    offering.change({"places": 14, "valid_to": date(2025, 12, 31)}, actor="user:anna")
    return offering


def make_agreement() -> ServiceAgreement:
    agreement = ServiceAgreement(provider="regiomech", valid_from="2025-01-01", actor="user:anna",
                                 terms={"goals": "Integration", "target_values": {"placements": 10}})
    agreement.change({"target_values": {"placements": 12}}, actor="user:anna")
    return agreement


def make_edition() -> TariffEditionRecord:
    return TariffEditionRecord(label="2024/25", valid_from="2024-01-01", rows=ROWS, rules=RULES, actor="cli")


MAKERS = {"Register": make_register, "Provider": make_provider, "Offering": make_offering,
          "ServiceAgreement": make_agreement, "TariffEditionRecord": make_edition}


# --- stable ids -----------------------------------------------------------------------------------------

def test_ids_are_the_same_in_every_version_of_the_portal():
    assert REGISTER_ID == UUID("c1054e49-0830-54bf-b918-cdfbf6f18fee")
    assert provider_id("regiomech") == UUID("97f29543-fbe8-5361-bdc8-5585f3bf1b4f")
    assert offering_id("regiomech", "RM-Q1") == UUID("592594e3-ce4c-533e-948f-56f200943280")
    assert edition_id("2024-01-01") == UUID("13a5a0b0-af05-5236-91dc-98f8aab21f33")
    assert agreement_id("regiomech", "2025-01-01") == UUID("0a1aaac6-5063-58d3-9272-6fffaaf0f82c")


def test_a_new_aggregate_gets_its_stable_id():
    assert make_register().id == REGISTER_ID
    assert make_provider().id == provider_id("regiomech")
    assert make_offering().id == offering_id("regiomech", "RM-Q1")
    assert make_agreement().id == agreement_id("regiomech", "2025-01-01")
    assert make_edition().id == edition_id("2024-01-01")
    assert offering_id("regiomech", "RM-Q1") != offering_id("regiomech", "RM-Q2")
    assert offering_id("regiomech", "RM-Q1") != offering_id("other", "RM-Q1")


# --- commands -------------------------------------------------------------------------------------------

def test_the_register_lists_what_exists_and_moves_on_any_change():
    register = make_register()
    assert register.providers == ["regiomech"]
    assert register.offerings == [offering_id("regiomech", "RM-Q1")]
    assert register.editions == [edition_id("2024-01-01")]
    assert register.agreements == [agreement_id("regiomech", "2025-01-01")]
    assert register.version == 6  # opened, five commands: an offering's change moves it too


def test_changes_merge_into_what_was_there():
    provider = make_provider()
    assert (provider.name, provider.contact, provider.active) == ("RegioMech AG", "Frau Muster", False)
    offering = make_offering()
    assert offering.terms == {"programme_type": "qualifizierung", "places": 14, "valid_from": date(2024, 1, 1),
                              "valid_to": date(2025, 12, 31), "agreed_tariffs": {"assignment_day": "78.00"}}
    assert make_agreement().terms == {"goals": "Integration", "target_values": {"placements": 12}}
    edition = make_edition()
    assert (edition.label, edition.valid_from, edition.rows, edition.rules) == ("2024/25", "2024-01-01", ROWS,
                                                                               RULES)


# --- replay ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", MAKERS)
def test_replay_in_memory_gives_the_same_state(name):
    aggregate = MAKERS[name]()
    expected = state(aggregate)
    assert state(replay(aggregate.collect_events())) == expected


def test_replay_from_the_store_gives_the_same_state(tmp_path):
    app = sqlite_application(tmp_path)
    made = [make() for make in MAKERS.values()]
    expected = [state(a) for a in made]
    app.save(*made)
    for aggregate, before in zip(made, expected, strict=True):
        loaded = app.repository.get(aggregate.id)
        assert type(loaded) is type(aggregate) and state(loaded) == before
    offering = app.repository.get(offering_id("regiomech", "RM-Q1"))
    assert offering.terms["valid_to"] == date(2025, 12, 31)  # a date stays a date through the store


# --- stored event names ---------------------------------------------------------------------------------

def test_every_event_class_keeps_its_first_stored_topic():
    assert_topics_kept(FIRST, Register, Provider, Offering, ServiceAgreement, TariffEditionRecord)


def test_the_store_holds_the_first_names(tmp_path):
    app = sqlite_application(tmp_path)
    made = {name: make() for name, make in MAKERS.items()}
    app.save(*made.values())
    topics = {name: stored_topics(app, a.id) for name, a in made.items()}
    assert topics == {
        "Register": [f"{FIRST}:Register.{e}" for e in ("Opened", "ProviderListed", "OfferingListed",
                                                       "EditionListed", "OfferingChanged", "AgreementListed")],
        "Provider": [f"{FIRST}:Provider.Registered", f"{FIRST}:Provider.Changed"],
        "Offering": [f"{FIRST}:Offering.Registered", f"{FIRST}:Offering.Changed"],
        "ServiceAgreement": [f"{FIRST}:ServiceAgreement.Concluded", f"{FIRST}:ServiceAgreement.Changed"],
        "TariffEditionRecord": [f"{FIRST}:TariffEditionRecord.Published"],
    }
