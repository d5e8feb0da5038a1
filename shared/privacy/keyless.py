"""The opener of an Application that holds no keys (the projector's, a reader without a vault)."""
from __future__ import annotations

from shared.privacy.sealing import open_result, open_stored_submission


class Keyless:
    """The opener without keys (an Application without a Sealer): invoices as their skeleton (pseudonyms,
    figures), sealed fields and texts unopened, as after crypto-shredding."""

    @staticmethod
    def open_fields(subject: str, sealed: str) -> None:
        return None

    @staticmethod
    def open_bytes(subject: str, data: bytes) -> None:
        return None

    @staticmethod
    def open_submission(stored: dict) -> dict:
        return open_stored_submission(stored, None) if "body" in stored else stored

    @staticmethod
    def open_result(body: bytes | dict) -> dict:
        return open_result(body, None)


KEYLESS = Keyless()
