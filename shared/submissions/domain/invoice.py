"""The monthly invoice of one provider: every version as received, with its check result.

The parsed lines and the check result of a version are stored packed (compact JSON, zlib) in the event's
`body`: a 10,000-line invoice is half a megabyte instead of fourteen, and encodes ten times faster.
The original upload, hashes, times and totals stay readable beside it."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import NotFound
from shared.kernel.ids import stable_id
from shared.kernel.packing import pack
from shared.kernel.topics import keep_stored_names


def invoice_id(provider: str, period: str, sha256: str) -> UUID:
    return stable_id("invoice", provider, period, sha256)


def stored_submission(opened: dict) -> dict:
    """A submission as events recorded before sealing hold it (lines and result packed, totals readable);
    the application now stores shared.privacy.sealing.Sealer.seal_submission's form, and reads both."""
    sub = {k: v for k, v in opened.items() if k not in ("lines", "result")}
    sub["totals"] = opened["result"]["totals"]
    sub["body"] = pack({"lines": opened["lines"], "result": opened["result"]})
    return sub


class Invoice(Aggregate):
    """A submission is a dict: version, sha256, filename, content_type, original (bytes, sealed), received_at,
    actor, warnings, totals and body (the parsed lines and the check result, packed, personal fields sealed).

    The aggregate never decrypts: the application attaches an opener when it loads or makes an invoice (its
    shared.privacy Sealer, or one without keys that gives the skeleton), and the versions open through it."""

    _sealer = None

    def attach_sealer(self, opener) -> None:
        """`opener` has open_submission(stored) -> dict and open_result(body) -> dict."""
        self._sealer = opener

    def _opener(self):
        if self._sealer is None:
            raise RuntimeError("Invoice versions open only through an opener (attach_sealer)")
        return self._sealer

    @staticmethod
    def create_id(provider: str, period: str, submission: dict) -> UUID:
        return invoice_id(provider, period, submission["sha256"])

    @event("Received")
    def __init__(self, provider: str, period: str, submission: dict):
        self.provider = provider
        self.period = period
        self._stored = [submission]
        self._opened: dict[int, dict] = {}
        self._reevaluated: bytes | None = None
        self._reevaluated_result: dict | None = None
        self.reevaluations: list[dict] = []

    @event("Corrected")
    def correct(self, submission: dict) -> None:
        self._stored.append(submission)
        self._reevaluated = self._reevaluated_result = None

    @event("Reevaluated")
    def reevaluate(self, result_body: bytes, totals: dict, reason: str, actor: str) -> None:
        self._reevaluated = result_body
        self._reevaluated_result = None
        self.reevaluations.append({"version": self.document_version, "reason": reason})

    def remember(self, opened: dict) -> None:
        """Keep the unpacked form of a version just made here, so it is not unpacked again."""
        self._opened[opened["version"]] = opened

    @property
    def document_version(self) -> int:
        return len(self._stored)

    def submission(self, version: int) -> dict:
        """One version, opened (NotFound for a version the invoice does not have)."""
        if not isinstance(version, int) or not 1 <= version <= len(self._stored):
            raise NotFound(f"Version {str(version)[:20]} dieser Rechnung gibt es nicht "
                           f"(vorhanden: 1 bis {len(self._stored)})")
        opened = self._opened.get(version)
        if opened is None:
            opened = self._opened[version] = self._opener().open_submission(self._stored[version - 1])
        return opened

    @property
    def stored_submissions(self) -> list[dict]:
        """Every version as the events hold it: personal fields sealed, nothing opened."""
        return list(self._stored)

    @property
    def submissions(self) -> list[dict]:
        return [self.submission(v) for v in range(1, self.document_version + 1)]

    @property
    def latest(self) -> dict:
        return self.submission(self.document_version)

    @property
    def result(self) -> dict:
        """The current check result: the latest version's, or its re-evaluation."""
        if self._reevaluated is None:
            return self.latest["result"]
        if self._reevaluated_result is None:
            self._reevaluated_result = self._opener().open_result(self._reevaluated)
        return self._reevaluated_result  # type: ignore[return-value]

    @property
    def totals(self) -> dict:
        """The current totals without unpacking the lines."""
        if self._reevaluated is not None:
            return self.result["totals"]
        return self._stored[-1].get("totals") or self.latest["result"]["totals"]

    @property
    def first_received_at(self) -> str:
        return self._stored[0]["received_at"]

    def has_content(self, sha256: str) -> bool:
        return self._stored[-1]["sha256"] == sha256


keep_stored_names("shared.aggregates.invoice", Invoice)
