"""The register of social services: an index of codes, and one aggregate per social service with its history."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names

SOCIAL_SERVICE_REGISTER_ID = stable_id("social-service-register")


def social_service_id(code: str) -> UUID:
    return stable_id("social-service", code.upper())


class SocialServiceRegister(Aggregate):
    """The codes of every registered social service, in the order they were registered."""

    @staticmethod
    def create_id() -> UUID:
        return SOCIAL_SERVICE_REGISTER_ID

    @event("Opened")
    def __init__(self) -> None:
        self.codes: list[str] = []

    @event("Listed")
    def list_code(self, code: str) -> None:
        self.codes.append(code)

    @event("EntryChanged")
    def note_changed(self, code: str) -> None:
        """Any change of an entry moves the register's version, so readers know to refresh."""


class SocialService(Aggregate):
    """A municipal social service: code, name, postal address, validity; `demo` marks invented entries."""

    @staticmethod
    def create_id(code: str, **_: object) -> UUID:
        return social_service_id(code)

    @event("Registered")
    def __init__(self, code: str, name: str, address: str, valid_from: str, valid_to: str | None, demo: bool,
                 actor: str):
        self.code = code
        self.name = name
        self.address = address
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.demo = demo

    @event("Changed")
    def change(self, changes: dict, actor: str) -> None:
        for key, value in changes.items():
            setattr(self, key, value)


keep_stored_names("shared.socialservices.domain.register", SocialServiceRegister, SocialService)
