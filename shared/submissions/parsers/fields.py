"""The fields of the two documents and how one raw value becomes a domain value.

A converter takes one raw value (text from CSV, text or a typed cell from XLSX, a JSON value) and
returns the domain value, ``None`` for an empty value, or an :class:`Invalid` with the German
reason. Converters never raise: garbage in a cell is a format error, not an exception.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from shared.kernel.money import parse_decimal
from shared.kernel.periods import Period
from shared.register.domain.catalogue import Catalogue

MAX_TEXT = 100  # characters in a participant number, offering code or cost approval reference
MAX_ADJUSTED_EXPONENT = 11  # numbers must stay below 10^12: anything larger is not a plausible entry
SHOWN = 60  # characters of a value quoted in a message


class Invalid:
    """A value that can not be read; ``message`` says why in German (the caller adds the column name)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


# A value whose problem is already reported once for the whole document (a JSON line without its own
# period when the document's period is invalid): the row fails without an error of its own.
REPORTED = Invalid("")

Converter = Callable[[object], object]


@dataclass(frozen=True)
class FieldSpec:
    attr: str  # attribute of the domain object, and the JSON key
    header: str  # the German CSV/XLSX header as the spec writes it
    required: bool
    kind: str
    aliases: tuple[str, ...] = ()  # further accepted header spellings


INVOICE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("period", "Monat", True, "period"),
    FieldSpec("participant", "Teilnehmer", True, "participant"),
    FieldSpec("programme", "Programm", True, "programme"),
    FieldSpec("offering", "Angebot", False, "text"),
    FieldSpec("funding", "Finanzierung", True, "funding"),
    FieldSpec("cost_approval", "Kostengutsprache", False, "text"),
    FieldSpec("entry_date", "Eintritt", False, "date"),
    FieldSpec("exit_date", "Austritt", False, "date"),
    FieldSpec("exit_reason", "Austrittsgrund", False, "exit_reason"),
    FieldSpec("unit", "Leistung", True, "unit"),
    FieldSpec("quantity", "Menge", True, "decimal"),
    FieldSpec("unit_price", "Ansatz", True, "decimal"),
    FieldSpec("amount", "Betrag", True, "decimal"),
    FieldSpec("refugee", "Flüchtling/VA", False, "flag", ("Fluechtling/VA", "Flüchtling", "Fluechtling")),
)

CAPACITY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("period", "Monat", True, "period"),
    FieldSpec("programme", "Programm", True, "programme"),
    FieldSpec("offering", "Angebot", False, "text"),
    FieldSpec("places", "Plätze", True, "integer", ("Plaetze",)),
    FieldSpec("occupied", "Belegt", True, "integer"),
    FieldSpec("entries", "Eintritte", True, "integer"),
    FieldSpec("exits", "Austritte", True, "integer"),
    FieldSpec("waiting_list", "Warteliste", False, "integer"),
)


def fold_key(text: str) -> str:
    """Header and vocabulary key: NFC, lower case, all whitespace removed."""
    return "".join(unicodedata.normalize("NFC", text).lower().split())


def _vocabulary(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold_key(word): code for code, words in table.items() for word in (code, *words)}


FUNDING_WORDS = _vocabulary({
    "social_assistance": ("Sozialhilfe", "SH"),
    "self_payer": ("Selbstzahler", "Selbstzahlende", "ohne SH"),
    "alv_iv": ("ALV", "IV", "ALV/IV", "ALV_IV"),
})
UNIT_WORDS = _vocabulary({
    "assignment_day": ("Einsatztag", "Einsatztage"),
    "reduced_day": ("Einsatztag <4h", "Einsatztag < 4 h", "Einsatztag unter 4 Stunden", "Einsatztag unter 4h",
                    "Einsatztag < 4 Stunden"),
    "coaching_hour": ("Coachingstunde", "Coachingstunden"),
    "hour_worked": ("Arbeitsstunde", "Arbeitsstunden", "geleistete Stunde"),
})
EXIT_REASON_WORDS = _vocabulary({
    "job_first_labour_market": ("Stelle 1. Arbeitsmarkt", "Stelle erster Arbeitsmarkt", "1. Arbeitsmarkt"),
    "apprenticeship": ("Lehre", "Lehrstelle"),
    "programme_change": ("Programmwechsel",),
    "dropout": ("Abbruch", "Programmabbruch"),
    "no_show": ("Nichterscheinen",),
    "regular_end": ("Regulärer Abschluss", "Regulaerer Abschluss"),
    "other": ("Andere", "Anderer"),
})
TRUE_WORDS = frozenset({"ja", "yes", "1", "x", "true", "wahr", "j", "y"})
FALSE_WORDS = frozenset({"nein", "no", "0", "false", "falsch", "n", "-"})

FUNDING_HINT = "erlaubt: Sozialhilfe/SH, Selbstzahler/ohne SH, ALV/IV"
UNIT_HINT = "erlaubt: Einsatztag, Einsatztag <4h, Coachingstunde, Arbeitsstunde"
EXIT_HINT = ("erlaubt: Stelle 1. Arbeitsmarkt, Lehre, Programmwechsel, Abbruch, Nichterscheinen, "
             "Regulärer Abschluss, Andere")


# --- showing raw values -------------------------------------------------------------------------

def float_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 6))


def raw_text(raw: object) -> str | None:
    """The raw value as the user would recognise it (for FormatIssue.value)."""
    if raw is None or raw.__class__ is str:
        return raw  # type: ignore[return-value]
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return float_text(raw)
    if isinstance(raw, int | Decimal):
        return str(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    text = repr(raw)
    return text if len(text) <= 200 else text[:200] + "…"


def quoted(raw: object) -> str:
    text = raw_text(raw) or ""
    if len(text) > SHOWN:
        text = text[:SHOWN] + "…"
    return f'"{text}"'


def _as_text(raw: object) -> str | None:
    """Text of a non-empty scalar, or None for something that is no scalar (list, object)."""
    if raw.__class__ is str:
        return raw  # type: ignore[return-value]
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal | date):
        return raw_text(raw)
    return None


# --- numbers ------------------------------------------------------------------------------------

def float_decimal(value: float) -> Decimal | None:
    """A float cell as the number the user typed: 21.699999999999999 -> 21.7 (at most 6 decimals)."""
    if not math.isfinite(value):
        return None
    if value.is_integer() and abs(value) < 1e15:
        return Decimal(int(value))
    return Decimal(repr(round(value, 6)))


def _swiss_extras(text: str) -> str:
    """Forms parse_decimal does not know: «Fr. 80.–», «SFr. 80.-»."""
    s = text.strip()
    low = s.lower()
    for prefix in ("sfr.", "fr.", "sfr", "fr"):
        if low.startswith(prefix):
            s = s[len(prefix):].strip()
            break
    for suffix in (".–", ".-", ".—", ",–", ",-"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    return s


def _decimal_of(raw: object) -> Decimal | None | Invalid:
    """Any number; None when empty. Sign and magnitude are checked by the callers."""
    if raw.__class__ is str:
        text: str = raw  # type: ignore[assignment]
        plain = text.replace(".", "", 1)
        if plain.isdigit() and plain.isascii():  # fast path: 1234.56, 5
            value = Decimal(text)
            return value if value.adjusted() <= MAX_ADJUSTED_EXPONENT else Invalid(
                f"{quoted(raw)} ist unplausibel gross")
        if not text or text.isspace():
            return None
        try:
            value = parse_decimal(text)
        except ValueError:
            try:
                value = parse_decimal(_swiss_extras(text))
            except ValueError:
                return Invalid(f"{quoted(raw)} ist keine Zahl")
    elif raw is None:
        return None
    elif isinstance(raw, bool):
        return Invalid(f"{quoted(raw)} ist keine Zahl")
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        converted = float_decimal(raw)
        if converted is None:
            return Invalid(f"{quoted(raw)} ist keine Zahl")
        value = converted
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            return Invalid(f"{quoted(raw)} ist keine Zahl")
        value = raw
    else:
        return Invalid(f"{quoted(raw)} ist keine Zahl")
    if value.is_zero():
        return value.copy_abs()
    if value.adjusted() > MAX_ADJUSTED_EXPONENT:
        return Invalid(f"{quoted(raw)} ist unplausibel gross")
    return value


def convert_decimal(raw: object) -> object:
    value = _decimal_of(raw)
    if value.__class__ is Decimal and value < 0:  # type: ignore[operator]
        return Invalid(f"{quoted(raw)} darf nicht negativ sein")
    return value


def convert_integer(raw: object) -> object:
    value = _decimal_of(raw)
    if value.__class__ is not Decimal:
        return value
    if value != value.to_integral_value():  # type: ignore[union-attr]
        return Invalid(f"{quoted(raw)} ist keine ganze Zahl")
    if value < 0:  # type: ignore[operator]
        return Invalid(f"{quoted(raw)} darf nicht negativ sein")
    return int(value)  # type: ignore[arg-type]


# --- months and dates ---------------------------------------------------------------------------

def parse_date_text(text: str) -> date | None:
    """25.03.2025, 25.3.25, 2025-03-25 (a trailing 00:00:00 is ignored); None if not a date."""
    s = text.strip()
    for sep in (" ", "T"):
        if sep in s:
            s, _, rest = s.partition(sep)
            if rest.strip().replace(":", "").replace(".", "").strip("0"):
                return None  # a time other than midnight: not a plain date
            break
    if s.count(".") == 2:
        d, m, y = s.split(".")
    elif s.count("-") == 2:
        y, m, d = s.split("-")
    else:
        return None
    if not (d.isascii() and m.isascii() and y.isascii() and d.isdigit() and m.isdigit() and y.isdigit()):
        return None
    if len(d) > 2 or len(m) > 2 or len(y) not in (2, 4):
        return None
    year = int(y) + (2000 if len(y) == 2 else 0)
    if not 1900 <= year <= 2999:
        return None
    try:
        return date(year, int(m), int(d))
    except ValueError:
        return None


def convert_date(raw: object) -> object:
    if raw.__class__ is str:
        text: str = raw  # type: ignore[assignment]
        if not text or text.isspace():
            return None
        day = parse_date_text(text)
    elif raw is None:
        return None
    elif isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    else:
        day = None
    if day is None:
        return Invalid(f"{quoted(raw)} ist kein gültiges Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)")
    return day


def convert_period(raw: object) -> object:
    period: Period | None = None
    if raw.__class__ is Period or raw is REPORTED:  # a JSON line's default: the document's period
        return raw
    if raw.__class__ is str:
        text: str = raw  # type: ignore[assignment]
        if not text or text.isspace():
            return None
        try:
            period = Period.parse(text)
        except ValueError:
            day = parse_date_text(text)  # a full date names its month
            try:
                period = Period.of(day) if day is not None else None
            except ValueError:
                period = None
    elif raw is None:
        return None
    elif isinstance(raw, date):  # an XLSX date cell (datetime is a date): that month
        try:
            period = Period.of(raw)
        except ValueError:
            period = None
    elif isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        # 3.2025 typed into a cell that Excel took for a number
        try:
            number = float(raw)
            if math.isfinite(number) and 0 < number < 13:
                period = Period.parse(f"{number:.4f}")
        except ValueError:
            period = None
    if period is None:
        return Invalid(f"{quoted(raw)} ist kein gültiger Monat (erwartet z. B. 03.2025 oder 2025-03)")
    return period


# --- vocabularies and text ----------------------------------------------------------------------

def _enumeration(words: dict[str, str], what: str, hint: str) -> Converter:
    def convert(raw: object) -> object:
        if raw is None:
            return None
        text = _as_text(raw)
        if text is not None:
            if not text or text.isspace():
                return None
            code = words.get(fold_key(text))
            if code is not None:
                return code
        return Invalid(f"{quoted(raw)} ist {what} ({hint})")
    return convert


def _programme(catalogue: Catalogue) -> Converter:
    def convert(raw: object) -> object:
        if raw is None:
            return None
        text = _as_text(raw)
        if text is not None:
            if not text or text.isspace():
                return None
            slug = catalogue.programme_slug(unicodedata.normalize("NFC", text))
            if slug is not None:
                return slug
        return Invalid(f"{quoted(raw)} ist keine bekannte Programmart")
    return convert


def convert_flag(raw: object) -> object:
    """ja/yes/1/x/true -> True; empty, nein/no/0/false -> False."""
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    text = _as_text(raw)
    if text is not None:
        if not text or text.isspace():
            return False
        key = fold_key(text)
        if key in TRUE_WORDS:
            return True
        if key in FALSE_WORDS:
            return False
    return Invalid(f"{quoted(raw)} ist kein Ja/Nein-Wert (erlaubt: ja, nein)")


def convert_text(raw: object) -> object:
    if raw is None:
        return None
    text = _as_text(raw)
    if text is None:
        return Invalid(f"{quoted(raw)} ist kein Text")
    text = text.strip()
    if not text:
        return None
    if not text.isprintable():
        text = " ".join(text.split())  # tabs, non-breaking and other spaces become one space
        if not text.isprintable():
            return Invalid(f"{quoted(raw)} enthält unzulässige Steuerzeichen")
    if len(text) > MAX_TEXT:
        return Invalid(f"{quoted(raw)} ist zu lang (höchstens {MAX_TEXT} Zeichen)")
    return text


PSEUDONYM_HINT = ("Personendaten gehören nicht in eine Einreichung – bitte die pseudonyme "
                  "Teilnehmernummer des Anbieters verwenden.")


def looks_like_ahv(text: str) -> bool:
    """756.1234.5678.97, 7561234567897, 756 1234 5678 97: the Swiss social security number."""
    text = text.strip()
    if not text.startswith("756"):
        return False
    compact = "".join(text.split()).replace(".", "").replace("-", "")
    return len(compact) == 13 and compact.isascii() and compact.isdigit()


def convert_participant(raw: object) -> object:
    if raw is None:
        return None
    text = _as_text(raw)
    if text is None:
        return Invalid(f"{quoted(raw)} ist kein Text")
    text = text.strip()
    if not text:
        return None
    if text.startswith("756") and looks_like_ahv(text):
        return Invalid(f"sieht aus wie eine AHV-Nummer. {PSEUDONYM_HINT}")
    if " " in text or not text.isprintable():  # isprintable is False for tabs and other spaces too
        if len(text.split()) > 1:
            return Invalid("enthält Leerzeichen und sieht aus wie ein Name. Namen gehören nicht in eine "
                           "Einreichung – bitte die pseudonyme Teilnehmernummer des Anbieters verwenden.")
        return Invalid(f"{quoted(raw)} enthält unzulässige Steuerzeichen")
    if len(text) > MAX_TEXT:
        return Invalid(f"{quoted(raw)} ist zu lang (höchstens {MAX_TEXT} Zeichen)")
    return text


def converter(kind: str, catalogue: Catalogue) -> Converter:
    """The converter of one field kind (a fresh one per parse: some close over the catalogue)."""
    if kind == "programme":
        return _programme(catalogue)
    if kind == "funding":
        return _enumeration(FUNDING_WORDS, "keine bekannte Finanzierung", FUNDING_HINT)
    if kind == "unit":
        return _enumeration(UNIT_WORDS, "keine bekannte Leistung", UNIT_HINT)
    if kind == "exit_reason":
        return _enumeration(EXIT_REASON_WORDS, "kein bekannter Austrittsgrund", EXIT_HINT)
    return {
        "period": convert_period,
        "participant": convert_participant,
        "text": convert_text,
        "date": convert_date,
        "decimal": convert_decimal,
        "integer": convert_integer,
        "flag": convert_flag,
    }[kind]
