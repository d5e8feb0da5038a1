"""The supervision service's Application: the canton's side, composed of the use cases of the register, access,
reviews, finance, the social services and the decision tool (one eventsourcing Application, one store, per service)."""
from __future__ import annotations

from shared.access.application.commands import AccessCommands
from shared.finance.application.commands import FinanceCommands
from shared.finder.application.decision import DecisionTreeCommands
from shared.register.application.commands import RegisterCommands
from shared.review.application.commands import ReviewCommands
from shared.socialservices.application.commands import SocialServiceCommands
from shared.store.application import PortalApplication


class SupervisionApplication(RegisterCommands, AccessCommands, ReviewCommands, FinanceCommands, DecisionTreeCommands,
                             SocialServiceCommands, PortalApplication):
    name = "supervision"

    def __init__(self, env=None, *, sealer=None) -> None:
        super().__init__(env, sealer=sealer)
        self.documents = None  # the reporting Application (invoices under review), wired by shared.portal
