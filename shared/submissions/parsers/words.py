"""Words a submission may use for a code: funding, units, exit reasons, yes/no, programme types."""
from __future__ import annotations

import unicodedata

from shared.register.domain.catalogue import Catalogue
from shared.submissions.parsers.shown import quoted
from shared.submissions.parsers.values import Converter, Invalid, as_text


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


def enumeration(words: dict[str, str], what: str, hint: str) -> Converter:
    def convert(raw: object) -> object:
        if raw is None:
            return None
        text = as_text(raw)
        if text is not None:
            if not text or text.isspace():
                return None
            code = words.get(fold_key(text))
            if code is not None:
                return code
        return Invalid(f"{quoted(raw)} ist {what} ({hint})")
    return convert


def programme(catalogue: Catalogue) -> Converter:
    def convert(raw: object) -> object:
        if raw is None:
            return None
        text = as_text(raw)
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
    text = as_text(raw)
    if text is not None:
        if not text or text.isspace():
            return False
        key = fold_key(text)
        if key in TRUE_WORDS:
            return True
        if key in FALSE_WORDS:
            return False
    return Invalid(f"{quoted(raw)} ist kein Ja/Nein-Wert (erlaubt: ja, nein)")
