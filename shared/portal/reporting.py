"""The reporting service's Application: the providers' side, composed of the use cases for invoices, capacity
reports, the provider-month they are filed in and the Kostengutsprachen (one eventsourcing Application, one
store, per service)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.costapprovals.application.commands import CostApprovalCommands
from shared.store.application import PortalApplication
from shared.submissions.application.capacity import CapacityCommands
from shared.submissions.application.invoices import InvoiceCommands
from shared.submissions.application.provider_month import ProviderMonthCommands
from shared.submissions.application.uploads import Stored, Upload
from shared.submissions.domain.deadlines import Deadlines
from shared.submissions.parsers import Limits

__all__ = ["ReportingApplication", "Stored", "Upload"]


class ReportingApplication(InvoiceCommands, CapacityCommands, ProviderMonthCommands, CostApprovalCommands,
                           PortalApplication):
    name = "reporting"

    def __init__(self, env=None, *, register=None, limits: Limits | None = None, deadline_day: int = 10,
                 timezone: str = "Europe/Zurich", clock: Callable[[], datetime] | None = None, sealer=None) -> None:
        super().__init__(env, sealer=sealer)
        self.register_app = register  # the supervision Application: the register (catalogue, offerings), reviews
        self.limits = limits or Limits()
        self.deadlines = Deadlines(deadline_day, timezone)
        self.deadline_day = deadline_day
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))
