"""de-CH display of values for pages, PDFs and exports: CHF 1’736.00, 25.03.2025, 25.03.2025 09:12, März 2025.

Times are shown in Swiss local time (`AMI_TIMEZONE`); the stored times are UTC."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from shared.kernel.limits import swiss_count
from shared.kernel.money import format_chf
from shared.kernel.periods import Period


def chf(value) -> str:
    if value is None or value == "":
        return ""
    return format_chf(Decimal(str(value)))


def chf_plain(value) -> str:
    if value is None or value == "":
        return ""
    return format_chf(Decimal(str(value)), prefix=False)


def local_time(value, tz: str) -> datetime | None:
    """A stored moment (ISO text or datetime) in the local time zone `tz`."""
    if not value:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ZoneInfo(tz))


def date_de(value) -> str:
    """25.03.2025 for a date; 25.03.2025 09:12 for a moment (shown as it is: convert with local_time first)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return value.strftime("%d.%m.%Y")


def period_de(value) -> str:
    if not value:
        return ""
    return _period_label(str(value))


@lru_cache(maxsize=4096)
def _period_label(text: str) -> str:
    """«März 2025» for 2025-03 (remembered: a provider's page names its months on every row)."""
    return Period.parse(text).label_de()


@lru_cache(maxsize=16384)
def _moment_de(value: str, timezone: str) -> str:
    """A stored moment's text in local time (remembered: a provider's page shows each document's receipt)."""
    return date_de(local_time(value, timezone))


def time_de(value, timezone: str) -> str:
    """25.03.2025 09:12, a stored moment (ISO text or datetime) in the local time of `timezone`."""
    return _moment_de(value, timezone) if isinstance(value, str) else date_de(local_time(value, timezone))


def scope_de(scope) -> str:
    """A report's months as a heading reads them: «November 2026», «3. Quartal 2025», «2025». `scope` has
    `kind` (period | quarter | year) and `label` (2026-11 | 2025-Q3 | 2025), as finance's Scope."""
    kind, label = getattr(scope, "kind", None), str(getattr(scope, "label", scope))
    if kind == "period":
        return period_de(label)
    if kind == "quarter":
        year, _, q = label.partition("-Q")
        return f"{q}. Quartal {year}"
    return label


def scope_choices(today: date, first_year: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """The choices of a period picker, newest first, grouped by year: the year, its quarters and its months
    up to today's month, as (value, German label) with values 2026 | 2026-Q4 | 2026-11."""
    groups = []
    for year in range(today.year, first_year - 1, -1):
        last = today.month if year == today.year else 12
        options = [(str(year), f"Ganzes Jahr {year}")]
        options += [(f"{year}-Q{q}", f"{q}. Quartal {year}") for q in range((last - 1) // 3 + 1, 0, -1)]
        options += [(str(Period(year, m)), Period(year, m).label_de()) for m in range(last, 0, -1)]
        groups.append((str(year), options))
    return groups


def row_ranges(rows, limit: int | None = None) -> str:
    """The rows a finding or notice concerns, runs shortened: «2–4, 7, 9–10»; with `limit`, at most that many
    runs and how many rows are left: «2–4, 7 … und 1’234 weitere» (a notice on a long invoice's every line)."""
    runs: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    text = ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs[:limit])
    if limit is not None and len(runs) > limit:
        text += f" … und {swiss_count(sum(b - a + 1 for a, b in runs[limit:]))} weitere"
    return text


def field_value_de(value, key: str) -> str:
    """A register entry's value of field `key` as a person reads it in a history: dates de-CH, programme types
    and units by their German names, lists and tables spelled out, «–» for nothing."""
    from shared.presentation import labels

    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if key in ("valid_from", "valid_to") and isinstance(value, str):
        return date_de(value)
    if key == "programme_type":
        return labels.programme(value)
    if key == "agreed_tariffs" and isinstance(value, dict):
        return ", ".join(f"{labels.unit(u)}: {p}" for u, p in value.items())
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def count_de(value):
    """A count as people read it in Switzerland («11’587»); a figure already written (the evaluation's «< 5»,
    «1’234») or none as it is."""
    return swiss_count(value) if isinstance(value, int) else value


def counted(value, one: str, many: str) -> str:
    """A count with its noun: «1 Zeile», «2 Zeilen», «11’587 Zeilen»."""
    return f"{count_de(value)} {one if value == 1 else many}"


def register_filters(filters: dict, timezone: str = "Europe/Zurich") -> None:
    """The template filters of pages and PDFs: values (this module), a stored moment in local time
    (`time_de`), and the German names of codes (labels)."""
    from shared.presentation.labels import FILTERS

    filters.update({"chf": chf, "chf_plain": chf_plain, "date_de": date_de, "period_de": period_de,
                    "scope_de": scope_de, "row_ranges": row_ranges, "count_de": count_de,
                    "counted": counted, "field_value_de": field_value_de,
                    "time_de": lambda value: time_de(value, timezone), **FILTERS})
