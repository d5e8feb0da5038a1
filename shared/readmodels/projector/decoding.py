"""The projector's events as the views read them: only the fields used, decoded with msgspec (fast path)."""
# No `from __future__ import annotations` here: msgspec resolves these TypedDicts at runtime.
from collections.abc import Callable
from typing import Any, NotRequired, TypedDict

from shared.readmodels.projector import topics as T


class FindingFields(TypedDict):
    code: str
    severity: str


class ResultLineFields(TypedDict):
    row: int
    programme: str
    offering: NotRequired[str | None]  # the findings table's (the work queue names it beside a notice)
    claimed: str
    allowed: str
    subject: NotRequired[str]  # the participant's pseudonym; an unsealed (older) result has `participant`
    participant: NotRequired[str]
    funding: NotRequired[str]
    unit: NotRequired[str]
    findings: list[dict[str, Any]]  # whole: the provider's pages list them as stored (FindingFields at least)


class TotalsFields(TypedDict):
    claimed: str
    allowed: str
    reduction: str


class ResultFields(TypedDict):
    totals: TotalsFields
    lines: list[ResultLineFields]
    edition: NotRequired[str | None]


class LineFields(TypedDict):
    subject: NotRequired[str]  # the participant's pseudonym (shared.privacy); the number itself is sealed
    participant: NotRequired[str]
    programme: str
    offering: NotRequired[str | None]
    exit_date: NotRequired[str | None]
    exit_reason: NotRequired[str | None]
    row: NotRequired[int]
    period: NotRequired[str | None]
    refugee: NotRequired[bool | None]
    cost_approval: NotRequired[str | None]  # only in bodies packed before sealing


class ContentFields(TypedDict):
    """A version's packed body (shared.privacy.sealing): the skeleton, and the sealed parts unopened (the
    funding read model keeps them as they are, per participant, for the exports)."""

    lines: list[LineFields]
    result: ResultFields
    sealed: NotRequired[dict[str, str]]  # per pseudonym one ciphertext: kept unopened


class ReevaluationFields(TypedDict):
    """A re-evaluation's packed body: {"result": …} when sealed, the result itself when packed before."""

    result: NotRequired[ResultFields]
    sealed: NotRequired[dict[str, str]]
    totals: NotRequired[TotalsFields]
    lines: NotRequired[list[ResultLineFields]]
    edition: NotRequired[str | None]


def body_decoders() -> tuple[Callable[[bytes | dict], dict], Callable[[bytes | dict], dict]]:
    """(content, result): decode a packed body as stored (bytes, or the transcoder's Base64 form); content is
    {"lines", "result", "sealed"?}, a re-evaluation {"result", "sealed"}."""
    import msgspec

    from shared.kernel.packing import inflate

    content = msgspec.json.Decoder(ContentFields).decode
    reevaluation = msgspec.json.Decoder(ReevaluationFields).decode

    def decode_result(body: bytes | dict) -> dict:
        value = reevaluation(inflate(body))
        if "result" in value:
            return {"result": value["result"], "sealed": value.get("sealed") or {}}
        return {"result": value, "sealed": {}}

    return (lambda body: content(inflate(body))), decode_result


class InvoiceSubmissionFields(TypedDict):
    """Lines and result are packed in `body` (see shared.submissions.domain.invoice); unpacked by the projector."""

    version: int
    received_at: str
    filename: NotRequired[str | None]
    warnings: NotRequired[Any]  # the parser's, in clear as the event holds them (any shape: never set aside for it)
    body: "TranscodedFields"


class InvoiceReceivedFields(TypedDict):
    provider: str
    period: str
    submission: InvoiceSubmissionFields


class InvoiceCorrectedFields(TypedDict):
    submission: InvoiceSubmissionFields


class InvoiceReevaluatedFields(TypedDict):
    result_body: "TranscodedFields"


class CapacityRowFields(TypedDict):
    row: int
    period: NotRequired[str | None]
    programme: str
    offering: NotRequired[str | None]
    places: int
    occupied: int
    entries: int
    exits: int
    waiting_list: NotRequired[int | None]


class ReportSubmissionFields(TypedDict):
    version: int
    received_at: str
    filename: NotRequired[str | None]
    rows: list[CapacityRowFields]
    warnings: NotRequired[Any]


class ReportReceivedFields(TypedDict):
    provider: str
    period: str
    submission: ReportSubmissionFields


class ReportCorrectedFields(TypedDict):
    submission: ReportSubmissionFields


def decoders(types: dict[str, type]) -> dict[str, Callable[[bytes], dict]]:
    """topic -> decode(bytes) for the given TypedDicts; {} where msgspec is not installed."""
    try:
        import msgspec
    except ImportError:  # pragma: no cover - msgspec comes with Litestar
        return {}
    return {topic: msgspec.json.Decoder(t).decode for topic, t in types.items()}


class TranscodedFields(TypedDict):
    """A value the application's transcoder wrote as {"_type_": …, "_data_": …} (here: a UUID as hex)."""

    _type_: str
    _data_: str


class ReviewOpenedFields(TypedDict):
    invoice_id: TranscodedFields
    provider: str
    period: str


class FindingReviewedFields(TypedDict):
    row: int
    code: str
    decision: str
    comment: NotRequired[str]
    actor: NotRequired[str]
    version: int


class FindingsReviewedFields(TypedDict):
    rows: list[int]
    code: str
    decision: str
    comment: NotRequired[str]
    actor: NotRequired[str]
    version: int


class ApprovedFields(TypedDict):
    version: int


class ReturnedFields(TypedDict):
    version: int
    reason: NotRequired[str]


def fast_decoders() -> dict[str, Callable[[bytes], dict]]:
    """topic -> decode(bytes): the projector's events as plain dicts with only the fields the views read."""
    return decoders({
        T.INVOICE_RECEIVED: InvoiceReceivedFields, T.INVOICE_CORRECTED: InvoiceCorrectedFields,
        T.INVOICE_REEVALUATED: InvoiceReevaluatedFields, T.REPORT_RECEIVED: ReportReceivedFields,
        T.REPORT_CORRECTED: ReportCorrectedFields, T.REVIEW_OPENED: ReviewOpenedFields,
        T.FINDING_REVIEWED: FindingReviewedFields, T.FINDINGS_REVIEWED: FindingsReviewedFields,
        T.APPROVED: ApprovedFields, T.RETURNED: ReturnedFields,
    })
