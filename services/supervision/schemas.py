"""Request bodies of the JSON API (plain dataclasses, validated by the web layer's decoder)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReviewIn:
    decision: str
    comment: str | None = None


@dataclass
class ApprovalIn:
    comment: str | None = None


@dataclass
class ReturnIn:
    reason: str


@dataclass
class OfferingIn:
    code: str
    programme_type: str
    valid_from: str
    name: str | None = None
    location: str = ""
    postcode: str = ""
    places: int = 0
    valid_to: str | None = None
    agreed_tariffs: dict[str, str] = field(default_factory=dict)

    def terms(self) -> dict:
        return {"programme_type": self.programme_type, "name": self.name or self.code, "location": self.location,
                "postcode": self.postcode, "places": self.places, "valid_from": self.valid_from,
                "valid_to": self.valid_to, "agreed_tariffs": self.agreed_tariffs}
