"""Both Applications on one store, opened together and kept alive for the life of the process."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from shared.config import Settings, load_settings
from shared.portal.reporting import ReportingApplication
from shared.portal.supervision import SupervisionApplication
from shared.store.eventstore import application_env
from shared.submissions.parsers import Limits


@dataclass
class Portal:
    settings: Settings
    supervision: SupervisionApplication
    reporting: ReportingApplication
    _views: object = field(default=None, init=False, repr=False, compare=False)
    _views_lock: object = field(default_factory=threading.Lock, init=False, repr=False, compare=False)
    _finder: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def views(self):
        """The read models (shared.readmodels.Views), opened on first use."""
        if self._views is None:
            from shared.readmodels import Views

            with self._views_lock:
                if self._views is None:
                    self._views = Views(self)
        return self._views

    @property
    def finder(self):
        """The public finder (shared.finder.application.finder.Finder), made on first use."""
        if self._finder is None:
            from shared.finder.application.finder import Finder

            with self._views_lock:
                if self._finder is None:
                    self._finder = Finder(self)
        return self._finder

    def close(self) -> None:
        if self._views is not None:
            self._views.close()
        self.reporting.close()
        self.supervision.close()
        if self.reporting.sealer is not None:
            self.reporting.sealer.vault.close()

    def health(self) -> dict:
        """Touch both stores for real: read the newest notification id of each."""
        return {
            "reporting": self.reporting.recorder.max_notification_id() or 0,
            "supervision": self.supervision.recorder.max_notification_id() or 0,
        }


def open_portal(settings: Settings | None = None, *, bootstrap: bool = True, clock=None) -> Portal:
    settings = settings or load_settings()
    from shared.privacy import KeyVault, Sealer

    sealer = Sealer(KeyVault(settings))
    supervision = SupervisionApplication(env=application_env(settings, "supervision"), sealer=sealer)
    if bootstrap:
        supervision.bootstrap()
        supervision.seed_decision_tree()
    limits = Limits(max_bytes=settings.max_upload_bytes, max_rows=settings.max_rows)
    reporting = ReportingApplication(env=application_env(settings, "reporting"), register=supervision,
                                     limits=limits, deadline_day=settings.deadline_day,
                                     timezone=settings.timezone, clock=clock, sealer=sealer)
    supervision.documents = reporting  # reviews read the invoice they decide on
    return Portal(settings, supervision, reporting)
