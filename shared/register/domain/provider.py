"""What a provider's details may hold: checked before a change is stored (a later read must be able to use it)."""
from __future__ import annotations

from shared.kernel.errors import Invalid

LIMITS = {"name": 200, "website": 300, "contact": 500, "iban": 42, "street": 70, "postcode": 16, "city": 35}
# the provider's account and postal address: the creditor of its participants' QR-bills (Swiss Payment Standards)
PAYMENT_FIELDS = ("iban", "street", "postcode", "city")


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
        if key == "iban" and text:
            text = checked_iban(text)
        if key == "postcode" and text and not (text.isdigit() and len(text) == 4):
            raise Invalid("Die Postleitzahl hat vier Ziffern", "postcode", text)
        if key in ("street", "city") and "\n" in text:
            raise Invalid(f"«{key}» ist eine Zeile", key, text[:40])
        clean[key] = text
    return clean


def checked_iban(value: str) -> str:
    """A Swiss or Liechtenstein IBAN or QR-IBAN (the QR-bill takes no other), checked (ISO 13616 check digits,
    length) and in its compact form CH4431999123000889012."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    compact = iban.compact(value)
    if compact[:2] not in ("CH", "LI"):
        raise Invalid("Für QR-Rechnungen nur eine IBAN aus der Schweiz oder Liechtenstein (CH…/LI…)", "iban", value)
    try:
        return iban.validate(compact)
    except ValidationError as exc:
        raise Invalid("Die IBAN ist ungültig (Prüfziffer oder Länge)", "iban", value) from exc


def is_qr_iban(value: str) -> bool:
    """A QR-IBAN has an institution identifier (positions 5–9) of 30000–31999: it takes a QR reference."""
    compact = (value or "").replace(" ", "")
    return len(compact) >= 9 and compact[4:9].isdigit() and 30000 <= int(compact[4:9]) <= 31999
