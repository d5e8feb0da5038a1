"""What an entry of the social services' register may hold, checked before it is stored (German refusals)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from shared.kernel.errors import Invalid

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,19}")
FIELDS = ("code", "name", "address", "valid_from", "valid_to")
LIMITS = {"name": 200, "address": 500}


@dataclass(frozen=True)
class SocialServiceEntry:
    """One social service as the register holds it (codes in capitals, dates as ISO text)."""

    code: str
    name: str
    address: str
    valid_from: str
    valid_to: str | None
    demo: bool = False

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day.isoformat() and (self.valid_to is None or day.isoformat() <= self.valid_to)

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "address": self.address, "valid_from": self.valid_from,
                "valid_to": self.valid_to, "demo": self.demo}


def clean_code(value) -> str:
    text = (value if isinstance(value, str) else "").strip().upper()
    if not CODE.fullmatch(text):
        raise Invalid("Code: 2–20 Zeichen, Buchstaben, Ziffern und Bindestriche (z. B. SD-OLTEN)", "code",
                      str(value)[:60] if value is not None else None)
    return text


def _text(value, field: str, label: str, *, required: bool) -> str:
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{label} ist ein Text", field, str(value)[:60])
    text = (value or "").strip().replace("\r\n", "\n")
    if required and not text:
        raise Invalid(f"{label} darf nicht leer sein", field, "")
    if len(text) > LIMITS[field]:
        raise Invalid(f"{label} hat höchstens {LIMITS[field]} Zeichen", field, text[:40] + "…")
    if any(ord(c) < 32 and c != "\n" for c in text):
        raise Invalid(f"{label} enthält Steuerzeichen", field, text.encode("unicode_escape").decode()[:60])
    if text[:1] in ("=", "+", "-", "@"):
        raise Invalid(f"{label} beginnt wie eine Tabellenformel", field, text[:60])
    return text


def _date(value, field: str, label: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
            d, m, y = (int(p) for p in text.split("."))
            return date(y, m, d).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise Invalid(f"{label}: ein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)", field, text[:60]) from exc


def social_service_entry(data: dict, *, demo: bool = False) -> SocialServiceEntry:
    """An entry from what an admin typed or a CSV row held; Invalid (field, value) for the first problem."""
    unknown = [k for k in data if k not in FIELDS and k != "demo"]
    if unknown:
        raise Invalid(f"Unbekanntes Feld «{unknown[0]}»", unknown[0], None)
    valid_from = _date(data.get("valid_from"), "valid_from", "Gültig ab")
    if valid_from is None:
        raise Invalid("Gültig ab: bitte ein Datum angeben", "valid_from", None)
    valid_to = _date(data.get("valid_to"), "valid_to", "Gültig bis")
    if valid_to is not None and valid_to < valid_from:
        raise Invalid("«Gültig bis» liegt vor «Gültig ab»", "valid_to", valid_to)
    return SocialServiceEntry(code=clean_code(data.get("code")), name=_text(data.get("name"), "name", "Name",
                                                                            required=True),
                              address=_text(data.get("address"), "address", "Adresse", required=False),
                              valid_from=valid_from, valid_to=valid_to, demo=bool(data.get("demo", demo)))
