"""When a month's documents are due, and the status of a month's document (domain-rules §4, late_submission).

The one home of the deadline: the checks, the overview, the dashboard, the provider's months, the PDFs and
the reminders all ask here. The deadline is the `deadline_day` of the month after the document's month
(the month's last day where it is shorter; **Assumption**: the 10th, `AMI_DEADLINE_DAY`), counted in the
local date of `AMI_TIMEZONE`."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from shared.kernel.periods import Period

RECEIVED, LATE, MISSING, PENDING = "received", "late", "missing", "pending"
STATUSES = (RECEIVED, LATE, MISSING, PENDING)  # pending: nothing yet, and the deadline has not passed
DEFAULT_TIMEZONE = "Europe/Zurich"


@dataclass(frozen=True)
class Deadlines:
    """The deadline rule in force: the day of the following month and the time zone that dates count in."""

    day: int = 10
    timezone: str = DEFAULT_TIMEZONE

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def deadline(self, period: Period) -> date:
        return _deadline(self.day, period.year, period.month)

    def local_date(self, moment: datetime | str) -> date:
        """The calendar date of a moment where the canton is (a naive moment is taken as local)."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return moment.astimezone(self.tz).date() if moment.tzinfo else moment.date()

    def is_late(self, period: Period, received_at: datetime | str) -> bool:
        return self.local_date(received_at) > self.deadline(period)

    def is_due(self, period: Period, today: date) -> bool:
        """The deadline has passed: a document not received by now is missing."""
        return today > self.deadline(period)

    def status(self, period: Period, received_at: Iterable[datetime | str], today: date) -> str:
        """received | late (by the first receipt) | missing (after the deadline) | pending (not yet due)."""
        first = min((self.local_date(r) for r in received_at), default=None)
        if first is None:
            return MISSING if self.is_due(period, today) else PENDING
        return LATE if first > self.deadline(period) else RECEIVED


@lru_cache(maxsize=4096)
def _deadline(day: int, year: int, month: int) -> date:
    """The deadline of a month (remembered: a provider's home asks it ~180 times, the overview 26 times a month)."""
    following = Period(year, month).next()
    return date(following.year, following.month, min(max(day, 1), following.last_day.day))


def month_due(today: date) -> Period:
    """The month whose documents are now due: the month before today's (the dashboard opens on it, the
    provider's months list it while nothing came for it)."""
    return Period.of(today).previous()


def contract_status(status: str) -> str:
    """The overview of api.md knows received, late and missing: a month not yet due reads missing there."""
    return MISSING if status == PENDING else status
