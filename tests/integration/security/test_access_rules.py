"""Access that ends when it should (issue 14, points 10 and 11): a deactivated provider's tokens and web logins
are refused until it is active again; a token is revoked only by its whole id or an unambiguous prefix of at
least 8 characters, and the command says which one it revoked; a provider's details are checked before they
are stored."""
from __future__ import annotations

from uuid import UUID

import pytest

from shared.access.application.commands import token_by_reference
from shared.kernel.errors import Invalid, NotFound
from tests.integration.web_cases import login


@pytest.mark.usefixtures("accounts")
def test_a_deactivated_provider_keeps_neither_its_tokens_nor_its_logins(portal, reporting, tokens):
    sup = portal.supervision
    header = tokens("regiomech")
    assert reporting.get("/api/v1/invoices", headers=header).status_code == 200
    sup.change_provider("regiomech", {"active": False}, "test")
    assert reporting.get("/api/v1/invoices", headers=header).status_code == 401
    assert login(reporting, "anna").status_code != 303  # the provider's staff can't log in
    assert sup.account_principal("anna") is None
    assert login(reporting, "otto").status_code == 303  # another provider's staff still can
    sup.change_provider("regiomech", {"active": True}, "test")
    assert reporting.get("/api/v1/invoices", headers=header).status_code == 200


def test_a_token_is_revoked_only_by_a_whole_id_or_a_long_unique_prefix(portal):
    sup = portal.supervision
    for _ in range(3):
        sup.issue_token("provider", "regiomech", "t", "test")
    ids = [t.id.hex for t in sup.tokens()]
    for ref in ("", "   ", ids[0][:7], "zzzzzzzzzz"):
        with pytest.raises(Invalid):
            sup.revoke_token(ref, "test")
    assert not any(t.revoked for t in sup.tokens())  # nothing was revoked by a vague reference
    revoked = sup.revoke_token(ids[1][:8], "test")
    assert revoked.id.hex == ids[1]
    assert [t.revoked for t in sup.tokens()] == [False, True, False]
    with pytest.raises(NotFound):
        sup.revoke_token(ids[1], "test")  # already revoked


def test_an_ambiguous_prefix_names_no_token():
    class Record:
        def __init__(self, hex_id: str):
            self.id = UUID(hex_id)

    records = [Record("abcdef01" + "0" * 24), Record("abcdef01" + "1" * 24), Record("12345678" + "0" * 24)]
    with pytest.raises(Invalid, match="passt auf 2 Tokens"):
        token_by_reference("abcdef01", records)
    assert token_by_reference("abcdef010", records) is records[0]
    assert token_by_reference("1234-5678", records) is records[2]  # dashes as in a printed UUID
    with pytest.raises(NotFound):
        token_by_reference("ffffffff", records)


@pytest.mark.parametrize(("changes", "field"), [
    ({"active": "nein"}, "active"), ({"website": "javascript:alert(1)"}, "website"), ({"name": "  "}, "name"),
    ({"name": "x" * 201}, "name"), ({"contact": "a\x1bb"}, "contact"), ({"owner": "x"}, "owner"),
])
def test_a_providers_details_are_checked_before_they_are_stored(portal, changes, field):
    sup = portal.supervision
    before = sup.repository.get(sup.provider("regiomech").id).version
    with pytest.raises(Invalid) as caught:
        sup.change_provider("regiomech", changes, "test")
    assert caught.value.field == field
    assert sup.repository.get(sup.provider("regiomech").id).version == before
