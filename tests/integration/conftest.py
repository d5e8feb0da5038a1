"""Fixtures of the integration tests beyond tests/conftest.py: the web pages' accounts, the projector's month."""
from __future__ import annotations

import pytest

from tests.integration.projector_cases import tell_a_month
from tests.integration.web_cases import PASSWORD


@pytest.fixture
def accounts(portal):
    """Two providers' staff (anna: regiomech, otto: oltech), a supervisor (sara) and finance (fina), password
    PASSWORD."""
    sup = portal.supervision
    sup.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    sup.create_account("otto", PASSWORD, "provider", "oltech", "test")
    sup.create_account("sara", PASSWORD, "supervisor", None, "test")
    sup.create_account("fina", PASSWORD, "finance", None, "test")


@pytest.fixture
def told(portal, clock):
    """The month of tests/integration/projector_cases.py told; the invoices by name."""
    return tell_a_month(portal, clock)
