"""A real SQLite key vault in a temporary data directory, and a Sealer on it."""
from __future__ import annotations

import pytest

from shared.config import load_settings
from shared.privacy.adapters.key_vault import KeyVault
from shared.privacy.sealing import Sealer


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.delenv("AMI_MASTER_KEY", raising=False)  # the master key file in the data directory
    return load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def vault(settings):
    v = KeyVault(settings)
    yield v
    v.close()


@pytest.fixture
def sealer(vault):
    return Sealer(vault)
