"""People as a reader of a PDF knows them: accounts with their role or provider, tokens by label, the command
line and the system by German names; a provider's staff without an account here by their provider."""
from __future__ import annotations

from types import SimpleNamespace as NS
from uuid import uuid4

from shared.presentation.people import display_names, person


class Supervision:
    def providers(self):
        return [NS(slug="regiomech", name="Genossenschaft Regiomech")]

    def accounts(self):
        return [NS(username="demo-aufsicht", role="supervisor", provider=None),
                NS(username="demo-regiomech", role="provider", provider="regiomech")]

    def tokens(self):
        return [NS(label="buchhaltung", role="provider", provider="regiomech", id=uuid4()),
                NS(label="test", role="provider", provider="regiomech", id=uuid4()),
                NS(label="test", role="supervisor", provider=None, id=uuid4())]


def test_display_names_of_accounts_tokens_and_the_rest():
    names = display_names(Supervision())
    assert person("user:demo-aufsicht", names) == "demo-aufsicht (Aufsicht)"
    assert person("user:demo-regiomech", names) == "demo-regiomech (Genossenschaft Regiomech)"
    assert person("token:buchhaltung", names) == "Token «buchhaltung» (Genossenschaft Regiomech)"
    assert person("token:test", names) == "Token «test»"  # two holders share the label: neither is named
    assert person("cli:root", names) == "Kommandozeile (root)"
    assert person("system:bootstrap", names) == "System"
    assert person("user:demo-profil", names, "Profil") == "demo-profil (Profil)"
    assert person("user:anna", names) == "anna"
    assert person(None, names) == "–"
