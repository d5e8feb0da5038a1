"""Size limits of a submission, checked before anything is parsed or inflated."""
from __future__ import annotations

from dataclasses import dataclass

from shared.kernel.limits import swiss_count
from shared.submissions.domain.documents import SubmissionTooLarge


@dataclass(frozen=True)
class Limits:
    """What a single uploaded document may be: bytes, data rows, and for XLSX the zip container."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000
    max_xlsx_members: int = 200
    max_xlsx_uncompressed: int = 60 * 1024 * 1024
    max_xlsx_ratio: int = 150  # per member: uncompressed size / compressed size


DEFAULT_LIMITS = Limits()


def megabytes(n: int) -> str:
    mib = 1024 * 1024
    return f"{n // mib} MB" if n % mib == 0 else f"{n / mib:.1f} MB"


def check_bytes(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise SubmissionTooLarge(
            f"Die Datei ist zu gross ({megabytes(len(data))}); erlaubt sind höchstens "
            f"{megabytes(limits.max_bytes)}. Bitte die Einreichung aufteilen.")


def too_many_rows(limits: Limits) -> SubmissionTooLarge:
    return SubmissionTooLarge(
        f"Die Datei enthält mehr als {swiss_count(limits.max_rows)} Datenzeilen; erlaubt sind höchstens "
        f"{swiss_count(limits.max_rows)}. Bitte die Einreichung aufteilen.")
