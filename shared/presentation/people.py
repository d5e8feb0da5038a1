"""Who did something, as a person reads it in a PDF or an export: «user:demo-aufsicht» → «demo-aufsicht
(Aufsicht)», «user:demo-regiomech» → «demo-regiomech (Genossenschaft Regiomech)», a token by its label, the
command line and the system by their German names. The names come from the accounts, tokens and providers of
the supervision service; `labels.actor` applies them."""
from __future__ import annotations

from shared.presentation import labels


def display_names(supervision) -> dict[str, str]:
    """{actor as stored: display name} for every account and API token the supervision service knows."""
    providers = {p.slug: p.name for p in supervision.providers()}

    def who(role: str, provider: str | None) -> str:
        return providers.get(provider, provider) if provider else labels.role(role)

    names = {f"user:{a.username}": f"{a.username} ({who(a.role, a.provider)})" for a in supervision.accounts()}
    holders: dict[str, set[str]] = {}
    for t in supervision.tokens():
        holders.setdefault(t.label or t.id.hex[:8], set()).add(who(t.role, t.provider))
    for label, held in holders.items():  # a label several tokens share names no one holder
        names[f"token:{label}"] = f"Token «{label}»" + (f" ({next(iter(held))})" if len(held) == 1 else "")
    return names


def person(actor: str | None, names: dict[str, str], provider_name: str | None = None) -> str:
    """One actor's display name. `provider_name`: the actor filed a provider's document (only provider staff
    do), so a user without an account here (imported, or since removed) is named with that provider."""
    if not actor:
        return "–"
    if actor in names:
        return names[actor]
    kind, _, rest = actor.partition(":")
    if kind == "cli":
        return f"Kommandozeile ({rest})" if rest else "Kommandozeile"
    if kind == "system":
        return "System"
    if kind == "user" and provider_name:
        return f"{rest} ({provider_name})"
    return labels.actor(actor)
