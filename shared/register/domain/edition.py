"""The rows of a tariff edition, checked before it is published: every row must be one the catalogue can read
for as long as the store lives (a bad edition would stop every upload of every provider)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from shared.kernel.errors import Invalid
from shared.kernel.limits import FIRST_DAY, LAST_DAY, MAX_TARIFF, day_ok
from shared.kernel.money import parse_decimal
from shared.register.domain.catalogue import UNITS

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
YES, NO = ("yes", "ja", "true", "1"), ("no", "nein", "false", "0", "")
TEXTS = {"name_de": 80, "category": 40}


def check_valid_from(valid_from: date) -> date:
    if not day_ok(valid_from):
        raise Invalid(f"«Gültig ab» liegt ausserhalb {FIRST_DAY.year}–{LAST_DAY.year}", "valid_from",
                      valid_from.isoformat())
    return valid_from


def rows_with_changes(base_rows: Iterable[Mapping], known_types: Iterable[str],
                      changes: Iterable[Mapping]) -> list[dict]:
    """A new edition's rows: the rows of the edition before, with the given maxima (and caps) replaced or added."""
    known = set(known_types)
    rows = {(r["programme_type"], r["unit"]): dict(r) for r in base_rows}
    for change in changes:
        pt, unit = str(change.get("programme_type") or ""), str(change.get("unit") or "")
        if pt not in known:
            raise Invalid(f"Unbekannte Programmart «{pt}»", "programme_type", pt)
        row = rows.get((pt, unit)) or {**next(r for r in rows.values() if r["programme_type"] == pt), "unit": unit}
        row.update({"max_chf": change.get("max_chf"), "monthly_cap_chf": change.get("monthly_cap_chf") or ""})
        rows[(pt, unit)] = row
    return list(rows.values())


def validate_edition(label: str, valid_from: date, rows: Iterable[Mapping]) -> list[dict]:
    """The clean rows (amounts as «80.00», yes/no as «yes»/«no»), or Invalid naming the row, column and value."""
    label = _text(label, "label", 40, "Bezeichnung")
    if not label:
        raise Invalid("Bitte eine Bezeichnung angeben (z. B. 2026/27)", "label", label)
    check_valid_from(valid_from)
    clean, seen = [], set()
    for i, row in enumerate(rows, start=1):
        slug = str(row.get("programme_type") or "").strip()
        if not SLUG.fullmatch(slug):
            raise Invalid(f"Zeile {i}: Programmart «{slug}» ist kein Kürzel", "programme_type", slug)
        unit = str(row.get("unit") or "").strip()
        if unit and unit not in UNITS:
            raise Invalid(f"Zeile {i}: unbekannte Leistung «{unit}»", "unit", unit)
        if (slug, unit) in seen:
            raise Invalid(f"Zeile {i}: {slug} / {unit or '–'} steht zweimal", "programme_type", slug)
        seen.add((slug, unit))
        texts = {k: _text(row.get(k), k, n, f"Zeile {i}") for k, n in TEXTS.items()}
        if not texts["name_de"]:
            raise Invalid(f"Zeile {i}: der Name der Programmart fehlt", "name_de", "")
        flag = str(row.get("social_assistance_only") or "").strip().lower()
        if flag not in YES + NO:
            raise Invalid(f"Zeile {i}: «nur Sozialhilfe» ist ja oder nein", "social_assistance_only", flag)
        cap = str(row.get("monthly_cap_chf") or "").strip()
        clean.append({"programme_type": slug, **texts, "unit": unit,
                      "max_chf": _amount(row.get("max_chf"), "max_chf", f"Zeile {i}: Höchsttarif"),
                      "monthly_cap_chf": _amount(cap, "monthly_cap_chf", f"Zeile {i}: Monatsobergrenze") if cap else "",
                      "social_assistance_only": "yes" if flag in YES else "no"})
    if not clean:
        raise Invalid("Eine Tarifausgabe braucht mindestens eine Zeile", "tariffs", "")
    return clean


def _amount(value, field: str, what: str) -> str:
    text = str(value if value is not None else "").strip()
    try:
        amount = parse_decimal(text)
    except ValueError:
        raise Invalid(f"{what} «{text}» ist kein Betrag in Franken", field, text) from None
    if amount < 0 or amount > MAX_TARIFF or amount != amount.quantize(Decimal("0.01")):
        raise Invalid(f"{what} «{text}»: 0.00 bis {MAX_TARIFF:.2f}, auf Rappen genau", field, text)
    return f"{amount:.2f}"


def _text(value, field: str, limit: int, what: str) -> str:
    text = str(value if value is not None else "").strip()
    if len(text) > limit or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
        raise Invalid(f"{what}: «{field}» hat höchstens {limit} Zeichen, ohne Steuerzeichen", field,
                      text[:40].encode("unicode_escape").decode())
    return text
