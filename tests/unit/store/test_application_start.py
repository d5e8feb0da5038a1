"""Two processes opening the store at once: PostgreSQL may refuse one of them «tuple concurrently updated» while
both make sure of the tables; that one tries again (shared/store/application.py) instead of failing to start."""
from __future__ import annotations

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import InternalError

from shared.store.application import STARTS, PortalApplication


def test_a_start_refused_as_concurrent_is_tried_again(monkeypatch, tmp_path):
    calls = []
    real = Application.__init__

    def racing(self, env=None):
        calls.append(1)
        if len(calls) < 3:
            raise InternalError("tuple concurrently updated")
        real(self, env)

    monkeypatch.setattr(Application, "__init__", racing)
    app = PortalApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert len(calls) == 3 and app.recorder is not None


def test_any_other_failure_and_a_race_that_never_ends_are_not_hidden(monkeypatch):
    def refused(self, env=None):
        raise InternalError("permission denied for schema ami_reporting")

    monkeypatch.setattr(Application, "__init__", refused)
    with pytest.raises(InternalError, match="permission"):
        PortalApplication()
    calls = []

    def always(self, env=None):
        calls.append(1)
        raise InternalError("tuple concurrently updated")

    monkeypatch.setattr(Application, "__init__", always)
    monkeypatch.setattr("shared.store.application.time.sleep", lambda s: None)
    with pytest.raises(InternalError):
        PortalApplication()
    assert len(calls) == STARTS
