"""The canton's register: providers, their offerings and service agreements, and the tariff editions."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names

REGISTER_ID = stable_id("register")


def provider_id(slug: str) -> UUID:
    return stable_id("provider", slug)


def offering_id(provider: str, code: str) -> UUID:
    return stable_id("offering", provider, code)


def edition_id(valid_from: str) -> UUID:
    return stable_id("tariff-edition", valid_from)


def agreement_id(provider: str, valid_from: str) -> UUID:
    return stable_id("service-agreement", provider, valid_from)


class Register(Aggregate):
    """What exists: the index of providers, offerings, agreements and editions."""

    @staticmethod
    def create_id() -> UUID:
        return REGISTER_ID

    @event("Opened")
    def __init__(self) -> None:
        self.providers: list[str] = []
        self.offerings: list[UUID] = []
        self.editions: list[UUID] = []
        self.agreements: list[UUID] = []

    @event("ProviderListed")
    def list_provider(self, slug: str) -> None:
        self.providers.append(slug)

    @event("OfferingListed")
    def list_offering(self, offering_id: UUID) -> None:
        self.offerings.append(offering_id)

    @event("EditionListed")
    def list_edition(self, edition_id: UUID) -> None:
        self.editions.append(edition_id)

    @event("OfferingChanged")
    def note_offering_changed(self, offering_id: UUID) -> None:
        """Any change of an offering moves the register's version, so readers know to refresh."""

    @event("ProviderChanged")
    def note_provider_changed(self, slug: str) -> None:
        """A provider's details changed (its name, or whether it is active): readers refresh what they keep."""

    @event("AgreementListed")
    def list_agreement(self, agreement_id: UUID) -> None:
        self.agreements.append(agreement_id)


class Provider(Aggregate):
    # payment details (an IBAN or QR-IBAN and a postal address), set by a later Changed; none before
    iban = ""
    street = ""
    postcode = ""
    city = ""

    @staticmethod
    def create_id(slug: str, **_: object) -> UUID:
        return provider_id(slug)

    @event("Registered")
    def __init__(self, slug: str, name: str, website: str, integration_arbeit_test: bool, actor: str):
        self.slug = slug
        self.name = name
        self.website = website
        self.integration_arbeit_test = integration_arbeit_test
        self.contact = ""
        self.active = True

    @event("Changed")
    def change(self, changes: dict, actor: str) -> None:
        for key, value in changes.items():
            setattr(self, key, value)


class Offering(Aggregate):
    """A programme a provider runs: type, code, place, places, agreed tariffs (unit -> price), validity."""

    @staticmethod
    def create_id(provider: str, code: str, **_: object) -> UUID:
        return offering_id(provider, code)

    @event("Registered")
    def __init__(self, provider: str, code: str, terms: dict, actor: str):
        self.provider = provider
        self.code = code
        self.terms = terms

    @event("Changed")
    def change(self, terms: dict, actor: str) -> None:
        self.terms = {**self.terms, **terms}


class ServiceAgreement(Aggregate):
    """A Leistungsvereinbarung: period, goals, target groups, target values."""

    @staticmethod
    def create_id(provider: str, valid_from: str, **_: object) -> UUID:
        return agreement_id(provider, valid_from)

    @event("Concluded")
    def __init__(self, provider: str, valid_from: str, terms: dict, actor: str):
        self.provider = provider
        self.valid_from = valid_from
        self.terms = terms

    @event("Changed")
    def change(self, terms: dict, actor: str) -> None:
        self.terms = {**self.terms, **terms}


class TariffEditionRecord(Aggregate):
    """One edition of the canton's maximum tariffs, in force from a date until the next edition."""

    @staticmethod
    def create_id(valid_from: str, **_: object) -> UUID:
        return edition_id(valid_from)

    @event("Published")
    def __init__(self, label: str, valid_from: str, rows: list, rules: dict, actor: str):
        self.label = label
        self.valid_from = valid_from
        self.rows = rows
        self.rules = rules


keep_stored_names("shared.aggregates.register", Register, Provider, Offering, ServiceAgreement, TariffEditionRecord)
