"""What finance staff type, checked before anything is stored: texts, participant numbers, dates, validity spans,
amounts and years (each refusal an Invalid with a German message, the field and the value)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from shared.kernel.errors import Invalid
from shared.kernel.money import amount_str
from shared.kernel.periods import Period
from shared.submissions.parsers.texts import looks_like_ahv

MAX_AMOUNT = Decimal("1000000000")  # a budget or a contribution above a billion francs is a typing error
MAX_TEXT = 500


def text_field(value, field: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_TEXT or not all(c.isprintable() or c in "\n\t" for c in text):
        raise Invalid(f"Text zu lang (höchstens {MAX_TEXT} Zeichen) oder mit Steuerzeichen", field, text[:60])
    return text


def participant_number(value) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise Invalid("Bitte die pseudonyme Teilnehmernummer des Anbieters angeben", "participant", value)
    if looks_like_ahv(text):
        raise Invalid("Das sieht aus wie eine AHV-Nummer: bitte die pseudonyme Teilnehmernummer des "
                      "Anbieters angeben", "participant", None)
    if len(text) > 100 or len(text.split()) > 1 or not text.isprintable():
        raise Invalid("Die Teilnehmernummer ist die pseudonyme Nummer des Anbieters: ohne Leerzeichen, "
                      "höchstens 100 Zeichen", "participant", text[:60])
    return text


def date_field(value, field: str, label: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{label}: Datum im Format JJJJ-MM-TT angeben", field, str(value)) from exc


def validity(valid_from, valid_to) -> tuple[date, date | None]:
    start = date_field(valid_from, "valid_from", "Gültig ab")
    end = date_field(valid_to, "valid_to", "Gültig bis") if valid_to not in (None, "") else None
    if end is not None and end < start:
        raise Invalid("«Gültig bis» liegt vor «Gültig ab»", "valid_to", end.isoformat())
    if not 2000 <= start.year <= 2999 or (end is not None and end.year > 2999):
        raise Invalid("Gültigkeit ausserhalb der Jahre 2000–2999", "valid_from", start.isoformat())
    return start, end


def month_start(value) -> date:
    text = str(value or "").strip()
    try:
        if len(text) <= 7:
            return Period.parse(text).first_day
        day = date.fromisoformat(text)
        Period.of(day)
    except ValueError as exc:
        raise Invalid("Gültig ab: ein Monat (JJJJ-MM) oder ein Monatserster (JJJJ-MM-01)", "valid_from",
                      text) from exc
    if day.day != 1:
        raise Invalid("Regeln gelten ab einem Monatsersten (JJJJ-MM-01)", "valid_from", text)
    return day


def amount_field(value, field: str, label: str) -> str:
    if isinstance(value, bool) or value is None:
        raise Invalid(f"{label}: Betrag in Franken angeben, z. B. 50.00", field, str(value))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise Invalid(f"{label}: «{value}» ist kein Betrag", field, str(value)) from exc
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise Invalid(f"{label}: «{value}» ist kein zulässiger Betrag (0 oder mehr)", field, str(value))
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(f"{label}: höchstens zwei Nachkommastellen (Rappen)", field, str(value))
    return amount_str(amount)


def year_field(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"Jahr «{value}» ist ungültig", "year", str(value)) from exc
    if not 2000 <= year <= 2999:
        raise Invalid(f"Jahr «{value}» ist ungültig", "year", str(value))
    return year


def credit_categories(categories, share) -> dict[str, str]:
    """The funding categories a federal credit rule covers, each with the share of a covered line the credit
    takes (0 < share ≤ 1, at most four decimals). ``categories`` is a list of names (all at ``share``, 1 unless
    given) or a mapping name → share; nothing given means ``self_payer`` at 100 % (the rule before categories)."""
    from shared.finance.domain.split import CREDIT_CATEGORIES

    if categories in (None, "", [], {}):
        categories = ["self_payer"]
    if isinstance(categories, str):
        categories = [c for c in categories.replace(";", ",").split(",") if c.strip()]
    if isinstance(categories, list | tuple):
        categories = {str(c).strip(): share for c in categories}
    if not isinstance(categories, dict):
        raise Invalid("Kategorien: eine Liste oder ein Objekt Kategorie → Anteil", "categories", str(categories))
    clean = {}
    for name, value in categories.items():
        name = str(name).strip()
        if name not in CREDIT_CATEGORIES:
            raise Invalid(f"Unbekannte Kategorie «{name}»: erlaubt sind {', '.join(CREDIT_CATEGORIES)}",
                          "categories", name)
        clean[name] = share_field(value)
    return dict(sorted(clean.items()))


def share_field(value) -> str:
    """A share of a line: a decimal fraction 0 < s ≤ 1 (0.5) or a percentage (50 %); None or "" is 1."""
    if value in (None, ""):
        return "1"
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        share = Decimal(text.rstrip("%").strip().replace(",", "."))
    except InvalidOperation as exc:
        raise Invalid(f"Anteil «{text}» ist keine Zahl (z. B. 0.5 oder 50 %)", "share", text) from exc
    if isinstance(value, bool) or not share.is_finite():
        raise Invalid(f"Anteil «{text}» ist keine Zahl (z. B. 0.5 oder 50 %)", "share", text)
    if percent:
        share = share / 100
    if not 0 < share <= 1 or share != share.quantize(Decimal("0.0001")):
        raise Invalid(f"Anteil «{text}»: grösser als 0, höchstens 1 (100 %), höchstens vier Nachkommastellen",
                      "share", text)
    return format(share.normalize(), "f")
