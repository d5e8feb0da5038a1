"""A store written by the version before the redesign (modules moved, event names kept) opens, replays,
verifies and takes new events: on SQLite from a data directory made by that version, on PostgreSQL from
the same events copied over as stored (topic and state bytes unchanged; the participants' keys stay in
the old vault, so only the figures are read there)."""
from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from shared.audit.application.checkpoints import checkpoint_store
from shared.audit.application.verify_store import verify_store
from shared.config import load_settings
from shared.portal import open_portal

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store-before-redesign.tar.gz"
SERVICES = ("reporting", "supervision")


@pytest.fixture
def old_data_dir(tmp_path) -> Path:
    target = tmp_path / "data"
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(target, filter="data")
    return target


def _stored_topics(portal) -> set[str]:
    topics = set()
    for service in SERVICES:
        app = getattr(portal, service)
        topics |= {n.topic for n in app.recorder.select_notifications(1, 100_000)}
    return topics


def _read_everything(portal) -> None:
    sup, rep = portal.supervision, portal.reporting
    assert len(sup.provider_slugs()) == 26
    invoices = rep.invoices("regiomech", "2025-01")
    assert invoices and invoices[0].result["lines"]
    assert sup.review_of(invoices[0].id).approved_version == invoices[0].document_version
    waivers = sup.fee_waivers("regiomech")
    assert [w.monthly_contribution for w in waivers] == ["40.00"]
    assert [b.amount for b in sup.budgets(2025)] == ["1000000.00"]
    assert any(a.username == "demo-aufsicht" for a in sup.accounts())
    assert any(t.label == "old" for t in sup.tokens())
    assert sup.catalogue().editions


def test_an_old_data_directory_opens_verifies_and_goes_on(old_data_dir):
    settings = load_settings({"AMI_DATA_DIR": str(old_data_dir)})
    assert verify_store(settings) == []
    portal = open_portal(settings)
    try:
        before = _stored_topics(portal)
        assert any(t.startswith("shared.aggregates.invoice:") for t in before)  # written before the move
        _read_everything(portal)
        assert portal.views.catch_up() > 0  # the read models rebuild from the old events
        assert portal.views.overview("2025-01")["providers"]
        portal.supervision.issue_token("provider", "oltech", "new", "test")
    finally:
        portal.close()
    assert verify_store(settings) == []


@pytest.mark.postgres
def test_old_events_copied_to_postgres_read_and_verify(old_data_dir, pg_database_url, tmp_path):
    old = open_portal(load_settings({"AMI_DATA_DIR": str(old_data_dir)}), bootstrap=False)
    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "pg"), "DATABASE_URL": pg_database_url})
    new = open_portal(settings, bootstrap=False)
    try:
        for service in SERVICES:
            source, target = getattr(old, service), getattr(new, service)
            target.recorder.insert_events(source.recorder.select_notifications(1, 100_000))
        assert _stored_topics(new) == _stored_topics(old)
        _read_everything(new)
        assert new.views.catch_up() > 0
        checkpoint_store(settings)  # the old events hashed and signed in their new home
        assert verify_store(settings) == []
        new.supervision.issue_token("provider", "oltech", "new", "test")
        checkpoint_store(settings)
        assert verify_store(settings) == []
    finally:
        new.close()
        old.close()
