"""German names of the files the portal hands out (Content-Disposition): what the document is, for whom and
when, in ASCII so every mail program and file system keeps them: «Pruefbericht_Genossenschaft_Regiomech_
2025-10_V2.pdf», «Jahresbericht_Kanton_2025.pdf», «Finanzabstimmung_2025.pdf»."""
from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def name_part(text: str) -> str:
    """«Genossenschaft Regiomech» → «Genossenschaft_Regiomech», «Zug-Pferd» stays, «Suchthilfe Ost / Olten» →
    «Suchthilfe_Ost_Olten»; umlauts spelt out, other accents dropped."""
    plain = unicodedata.normalize("NFKD", str(text).translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.-]+", "_", plain).strip("_.") or "Dokument"


def audit_pdf(provider_name: str, period: str, version: int) -> str:
    return f"Pruefbericht_{name_part(provider_name)}_{period}_V{version}.pdf"


def check_result_csv(provider_name: str, period: str, version: int) -> str:
    return f"Pruefergebnis_{name_part(provider_name)}_{period}_V{version}.csv"


def provider_year_pdf(provider_name: str, year: int) -> str:
    return f"Jahresbericht_{name_part(provider_name)}_{year}.pdf"


def canton_year_pdf(year: int) -> str:
    return f"Jahresbericht_Kanton_{year}.pdf"


def reconciliation_pdf(year: int) -> str:
    return f"Finanzabstimmung_{year}.pdf"


def evaluation_pdf(programme_name: str, first: str, last: str) -> str:
    return f"Evaluation_{name_part(programme_name)}_{first}_bis_{last}.pdf"
