"""An upload as it reaches the use cases (bytes, declared type, file name) and the outcome of storing it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from shared.submissions.domain.documents import FormatIssue


@dataclass(frozen=True)
class Upload:
    data: bytes
    content_type: str | None
    filename: str | None

    @cached_property
    def sha256(self) -> str:
        """Hashed once (the invoice's id and its version both need it; a 10,000-line file is a megabyte)."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Stored:
    """The outcome of a submission: the document and whether this call created it (201) or found it (200)."""

    document: dict
    created: bool


def safe_filename(name: str | None) -> str | None:
    """Only for display: never used as a path. Keeps the last path segment, printable, at most 120 chars."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable())
    return cleaned[:120] or None


def period_mismatch(parsed, period: str) -> FormatIssue:
    """A correction must be for the month of the document it corrects."""
    return FormatIssue(None, "Monat", str(parsed.period),
                       f"Eine Korrektur muss denselben Monat haben wie das Original ({period})")
