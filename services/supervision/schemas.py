"""Request and answer shapes of the supervision service's JSON API: reviews, register, finance, public."""
# Plain dataclasses decoded by Litestar; the application validates them again and answers Invalid with a German
# message (422).
from __future__ import annotations

from dataclasses import dataclass, field

from litestar.openapi.datastructures import ResponseSpec

from services.common.errors import DetailOut


# --- an invoice's review ------------------------------------------------------------------------------------
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


# --- the register ------------------------------------------------------------------------------------------
@dataclass
class TariffIn:
    programme_type: str
    unit: str
    max_chf: str
    monthly_cap_chf: str | None = None


@dataclass
class EditionIn:
    label: str
    valid_from: str
    tariffs: list[TariffIn]


@dataclass
class OfferingChangeIn:
    name: str | None = None
    location: str | None = None
    postcode: str | None = None
    places: int | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    agreed_tariffs: dict[str, str] | None = None


@dataclass
class ProviderChangeIn:
    name: str | None = None
    website: str | None = None
    contact: str | None = None
    active: bool | None = None
    iban: str | None = None  # IBAN or QR-IBAN (CH/LI) of the participants' QR-bills
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


@dataclass
class ProviderIn:
    slug: str
    name: str
    website: str = ""


@dataclass
class AgreementIn:
    valid_from: str
    valid_to: str | None = None
    goals: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    target_values: dict[str, str] = field(default_factory=dict)


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


# --- finance -----------------------------------------------------------------------------------------------
@dataclass
class FeeWaiverIn:
    provider: str
    participant: str
    valid_from: str
    monthly_contribution: str | int | float
    valid_to: str | None = None
    reference: str = ""  # the decision's reference number (optional)
    comment: str = ""


@dataclass
class FeeWaiverChangeIn:
    """PUT: the decision's terms as they now are (provider and participant can not change)."""

    valid_from: str
    monthly_contribution: str | int | float
    valid_to: str | None = None
    provider: str | None = None
    participant: str | None = None
    reference: str | None = None
    comment: str = ""


@dataclass
class RevokeIn:
    reason: str = ""


@dataclass
class BudgetIn:
    year: int
    source: str
    amount: str | int | float
    comment: str = ""


@dataclass
class FederalCreditRuleIn:
    valid_from: str  # YYYY-MM-01 or YYYY-MM
    programmes: list[str] = field(default_factory=list)
    refugees: bool = False
    label: str = ""
    # the funding categories covered: ["self_payer", "social_assistance"] at `share`, or {"category": share}
    categories: list[str] | dict[str, str] | None = None
    share: str | int | float | None = None  # 0 < share ≤ 1 of a covered line (1 unless set)


# --- the public API's answers (no login) ----------------------------------------------------------------
LIMITED = {304: ResponseSpec(data_container=None, description="Unverändert (If-None-Match mit dem ETag)"),
           429: ResponseSpec(data_container=DetailOut, description="Zu viele Anfragen; Retry-After in Sekunden")}


@dataclass
class PublicOfferingOut:
    provider: str
    provider_name: str
    programme: str
    programme_name: str
    offering: str
    name: str
    place: str
    plz: str
    distance_km: float
    places: int
    free_places: int | None
    waiting_list: int | None
    as_of: str | None
    website: str


@dataclass
class WidenOut:
    reason: str
    radius_km: int
    message: str
    nearest_km: float | None = None
    other_offerings: int | None = None


@dataclass
class PublicOfferingsOut:
    plz: str
    place: str
    programme: str | None
    radius_km: int
    offerings: list[PublicOfferingOut]
    widen: WidenOut | None
    source: str


@dataclass
class AnswerOut:
    label: str
    next: str


@dataclass
class QuestionOut:
    id: str
    text: str
    hint: str | None
    answers: list[AnswerOut]


@dataclass
class ProgrammeOut:
    programme: str
    name: str
    description: str
    finder: str


@dataclass
class FallbackOut:
    text: str
    programmes: list[ProgrammeOut]


@dataclass
class OutcomeOut:
    id: str
    title: str
    text: str
    programmes: list[ProgrammeOut]
    link: str | None
    fallback: FallbackOut | None


@dataclass
class DecisionTreeOut:
    version: int
    start: str
    questions: list[QuestionOut]
    outcomes: list[OutcomeOut]


@dataclass
class LocalityOut:
    plz: str
    place: str
    canton: str
    label: str


@dataclass
class LocalitiesOut:
    localities: list[LocalityOut]
    source: str
