"""What a provider's details may hold: checked before a change is stored (a later read must be able to use it)."""
from __future__ import annotations

from shared.kernel.errors import Invalid

LIMITS = {"name": 200, "website": 300, "contact": 500}


def provider_changes(changes: dict) -> dict:
    """The changes of a provider's details, checked: known fields, texts of bounded length without control
    characters, a website as http(s) address, `active` as yes/no. Invalid with a German message otherwise."""
    clean: dict = {}
    for key, value in changes.items():
        if key == "active":
            if not isinstance(value, bool):
                raise Invalid("«Aktiv» ist ja oder nein (true/false)", "active", str(value))
            clean[key] = value
            continue
        if key not in LIMITS:
            raise Invalid(f"Unbekanntes Feld «{key}»", key, None)
        if not isinstance(value, str):
            raise Invalid(f"«{key}» ist ein Text", key, str(value))
        text = value.strip()
        if len(text) > LIMITS[key]:
            raise Invalid(f"«{key}» hat höchstens {LIMITS[key]} Zeichen", key, text[:40] + "…")
        if any(ord(c) < 32 and c not in "\n" for c in text):
            raise Invalid(f"«{key}» enthält Steuerzeichen", key, text.encode("unicode_escape").decode()[:60])
        if key == "name" and not text:
            raise Invalid("Der Name darf nicht leer sein", "name", "")
        if key == "website" and text and not text.startswith(("https://", "http://")):
            raise Invalid("Die Website beginnt mit https://", "website", text)
        clean[key] = text
    return clean
