"""The signing key (outside the database), signed checkpoints and the store digest."""

from __future__ import annotations

import stat

import pytest

from shared.audit.application.checkpoints import (
    Checkpoint,
    key_id,
    load_signing_key,
    load_verify_key,
    parse_public_key,
    public_key_path,
    signing_key_path,
    store_digest_hex,
)
from shared.config import load_settings


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.delenv("AMI_SIGNING_KEY", raising=False)
    return load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})


def test_key_is_made_once_with_mode_0600_and_its_public_key_beside_it(settings):
    path = signing_key_path(settings)
    assert path == settings.keys_dir / "signing.key"
    assert load_signing_key(settings, create=False) is None
    key = load_signing_key(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_signing_key(settings).encode() == key.encode()  # the same key the second time
    pub = public_key_path(path)
    assert parse_public_key(str(pub)) == key.verify_key
    assert parse_public_key(pub.read_text().strip()) == key.verify_key  # hex text works too
    assert load_verify_key(settings) == key.verify_key


def test_key_path_from_the_environment(settings, tmp_path, monkeypatch):
    target = tmp_path / "elsewhere" / "ami.key"
    monkeypatch.setenv("AMI_SIGNING_KEY", str(target))
    assert signing_key_path(settings) == target
    load_signing_key(settings)
    assert target.exists() and target.with_suffix(".pub").exists()


def test_checkpoint_signature_covers_every_field(settings):
    key = load_signing_key(settings)
    cp = Checkpoint(
        "reporting", 12, 10, "ab" * 32, "2025-04-03T07:12:00+00:00", key_id(key.verify_key)
    ).signed(key)
    assert cp.signature_valid(key.verify_key)
    assert Checkpoint.from_dict(cp.as_dict()) == cp
    for change in (
        {"position": 13},
        {"tree_size": 11},
        {"root": "cd" * 32},
        {"service": "supervision"},
        {"time": "2025-04-03T07:12:01+00:00"},
    ):
        forged = Checkpoint.from_dict({**cp.as_dict(), **change})
        assert not forged.signature_valid(key.verify_key), change
    other = load_signing_key(load_settings({"AMI_DATA_DIR": str(settings.data_dir / "other")}))
    assert not cp.signature_valid(other.verify_key)


def test_store_digest_depends_on_every_service_root_and_position():
    a = Checkpoint("reporting", 5, 5, "11" * 32, "t", "k")
    b = Checkpoint("supervision", 9, 9, "22" * 32, "t", "k")
    base = store_digest_hex({"reporting": a, "supervision": b})
    assert base == store_digest_hex({"supervision": b, "reporting": a})
    assert base != store_digest_hex(
        {"reporting": a, "supervision": Checkpoint("supervision", 9, 9, "23" * 32, "t", "k")}
    )
    assert base != store_digest_hex(
        {"reporting": Checkpoint("reporting", 6, 5, "11" * 32, "t", "k"), "supervision": b}
    )
