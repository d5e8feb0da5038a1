"""Free text in a submission: participant numbers, offering codes, cost approval references.

Text is what it shows: no control characters (a message shows them escaped, ``\\x07``), no spreadsheet
formula (``=1+1``, ``+41-79``, ``-2``, ``@SUM(A1:A9)`` would run when a person opens an export), no
personal data in a participant number (an AHV number, a name with a space).
"""
from __future__ import annotations

from shared.submissions.parsers.shown import quoted
from shared.submissions.parsers.values import Invalid, as_text

MAX_TEXT = 100  # characters in a participant number, offering code or cost approval reference
FORMULA_STARTS = ("=", "+", "-", "@")
PSEUDONYM_HINT = ("Personendaten gehören nicht in eine Einreichung – bitte die pseudonyme "
                  "Teilnehmernummer des Anbieters verwenden.")


def looks_like_ahv(text: str) -> bool:
    """756.1234.5678.97, 7561234567897, 756 1234 5678 97: the Swiss social security number."""
    text = text.strip()
    if not text.startswith("756"):
        return False
    compact = "".join(text.split()).replace(".", "").replace("-", "")
    return len(compact) == 13 and compact.isascii() and compact.isdigit()


def _formula(raw: object, text: str) -> Invalid:
    return Invalid(f"{quoted(raw)} beginnt mit «{text[0]}» wie eine Tabellenformel – bitte ohne "
                   f"«=», «+», «-» oder «@» am Anfang angeben")


def _control(raw: object) -> Invalid:
    return Invalid(f"{quoted(raw)} enthält unzulässige Steuerzeichen")


def _too_long(raw: object) -> Invalid:
    return Invalid(f"{quoted(raw)} ist zu lang (höchstens {MAX_TEXT} Zeichen)")


def convert_text(raw: object) -> object:
    """An offering code or a cost approval reference: spaces collapsed, at most MAX_TEXT characters."""
    if raw is None:
        return None
    text = as_text(raw)
    if text is None:
        return Invalid(f"{quoted(raw)} ist kein Text")
    text = text.strip()
    if not text:
        return None
    if not text.isprintable():
        text = " ".join(text.split())  # tabs, non-breaking and other spaces become one space
        if not text.isprintable():
            return _control(raw)
    if text.startswith(FORMULA_STARTS):
        return _formula(raw, text)
    if len(text) > MAX_TEXT:
        return _too_long(raw)
    return text


def convert_participant(raw: object) -> object:
    """The provider's pseudonymous participant number: one word, no AHV number, no formula."""
    if raw is None:
        return None
    text = as_text(raw)
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
        return _control(raw)
    if text.startswith(FORMULA_STARTS):
        return _formula(raw, text)
    if len(text) > MAX_TEXT:
        return _too_long(raw)
    return text
