"""Programme types and the canton's tariff editions: effective-dated data, never hard-coded per month."""
from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from importlib import resources

from shared.kernel.periods import Period

UNITS = ("assignment_day", "reduced_day", "coaching_hour", "hour_worked")
UNIT_NAMES_DE = {
    "assignment_day": "Einsatztag",
    "reduced_day": "Einsatztag <4h",
    "coaching_hour": "Coachingstunde",
    "hour_worked": "Arbeitsstunde",
}
DAY_UNITS = frozenset({"assignment_day", "reduced_day"})


@dataclass(frozen=True)
class ProgrammeType:
    slug: str
    name_de: str
    category: str
    social_assistance_only: bool


def name_de(ptype: ProgrammeType | None, slug: str) -> str:
    """A programme type's German name; its slug where the catalogue does not know it."""
    return ptype.name_de if ptype is not None else slug


def programme_name_de(types: Mapping[str, ProgrammeType], slug: str) -> str:
    return name_de(types.get(slug), slug)


@dataclass(frozen=True)
class Tariff:
    """The canton's maximum for one programme type and unit, and its monthly cap if any."""

    programme_type: str
    unit: str
    max_price: Decimal
    monthly_cap: Decimal | None = None


@dataclass(frozen=True)
class BillingRules:
    """The brochure's figures that an edition may change (rules 2, 4, 6)."""

    full_month_days: Decimal = Decimal("21.7")
    reduced_day_factor: Decimal = Decimal("0.70")
    dropout_cap_days: Decimal = Decimal("5")
    dropout_cap_hours: Decimal = Decimal("2")


@dataclass(frozen=True)
class TariffEdition:
    label: str
    valid_from: date
    programme_types: Mapping[str, ProgrammeType]
    tariffs: Mapping[tuple[str, str], Tariff]
    rules: BillingRules = field(default_factory=BillingRules)

    def tariff(self, programme_type: str, unit: str) -> Tariff | None:
        """The maximum in force; a reduced day is billable wherever a day is, at 70 % of it."""
        if unit == "reduced_day":
            day = self.tariffs.get((programme_type, "assignment_day"))
            if day is None:
                return None
            return Tariff(programme_type, unit, day.max_price * self.rules.reduced_day_factor, day.monthly_cap)
        return self.tariffs.get((programme_type, unit))

    def billable_units(self, programme_type: str) -> frozenset[str]:
        units = {u for (pt, u), t in self.tariffs.items() if pt == programme_type and t.max_price > 0}
        if "assignment_day" in units:
            units.add("reduced_day")
        return frozenset(units)


@dataclass(frozen=True)
class Catalogue:
    """All tariff editions; a month is always checked against the edition in force in that month."""

    editions: tuple[TariffEdition, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "editions", tuple(sorted(self.editions, key=lambda e: e.valid_from)))

    def in_force(self, period: Period) -> TariffEdition | None:
        """The edition in force in the month; None before the first one (no edition, no tariff: §4)."""
        day = period.first_day
        found = None
        for edition in self.editions:  # sorted by valid_from
            if edition.valid_from > day:
                break
            found = edition
        return found

    def edition_for(self, period: Period) -> TariffEdition:
        """The edition in force, or for a month before the first one that first edition: the register's
        reference for programme types and units. The checks ask `in_force`."""
        return self.in_force(period) or self.editions[0]

    def with_edition(self, edition: TariffEdition) -> Catalogue:
        kept = [e for e in self.editions if e.valid_from != edition.valid_from]
        return Catalogue((*kept, edition))

    @property
    def programme_types(self) -> Mapping[str, ProgrammeType]:
        merged: dict[str, ProgrammeType] = {}
        for edition in self.editions:
            merged.update(edition.programme_types)
        return merged

    def programme_slug(self, text: str) -> str | None:
        """A programme type slug from its slug or German name, case-insensitive."""
        return self._slugs.get(_fold(text))

    @cached_property
    def _slugs(self) -> dict[str, str]:
        """Each folded slug, German name and alias with its slug (the first programme type naming it wins)."""
        slugs: dict[str, str] = {}
        for pt in self.programme_types.values():
            for name in (_fold(pt.slug), _fold(pt.name_de), *ALIASES.get(pt.slug, ())):
                slugs.setdefault(name, pt.slug)
        return slugs


ALIASES = {
    "beschaeftigung-1": ("beschäftigung i", "beschaeftigung i", "beschäftigung 1"),
    "beschaeftigung-2": ("beschäftigung ii", "beschaeftigung ii", "beschäftigung 2"),
    "beschaeftigung-1-r": ("beschäftigung i: programm r", "programm r", "beschäftigung i programm r",
                           "beschäftigung i: programm r (pilot)"),
    "integration-arbeit": ("integration.arbeit", "integration arbeit"),
}


def _fold(text: str) -> str:
    return " ".join(text.strip().lower().split())


def edition_from_rows(label: str, valid_from: date, rows: Iterable[Mapping[str, str]],
                      rules: BillingRules | None = None) -> TariffEdition:
    """Build an edition from rows shaped like the canton's tariff CSV."""
    types: dict[str, ProgrammeType] = {}
    tariffs: dict[tuple[str, str], Tariff] = {}
    for row in rows:
        slug = row["programme_type"].strip()
        types[slug] = ProgrammeType(slug, row["name_de"].strip(), row["category"].strip(),
                                    row["social_assistance_only"].strip().lower() in ("yes", "ja", "true", "1"))
        unit = row["unit"].strip()
        if unit:
            cap = row.get("monthly_cap_chf", "").strip()
            tariffs[(slug, unit)] = Tariff(slug, unit, Decimal(row["max_chf"]), Decimal(cap) if cap else None)
    return TariffEdition(label, valid_from, types, tariffs, rules or BillingRules())


EDITION_2024_25_FROM = date(2024, 1, 1)


def load_default_catalogue() -> Catalogue:
    """The 2024/25 edition shipped with the package (the seed of every new store)."""
    text = resources.files("shared.register.data").joinpath("max-tariffs-2024-25.csv").read_text(encoding="utf-8")
    return Catalogue((edition_from_rows("2024/25", EDITION_2024_25_FROM, csv.DictReader(text.splitlines())),))


def edition_with_max(edition: TariffEdition, label: str, valid_from: date,
                     changes: Mapping[tuple[str, str], Decimal]) -> TariffEdition:
    """A new edition that copies another and changes some maxima (used by the register and tests)."""
    tariffs = dict(edition.tariffs)
    for (pt, unit), price in changes.items():
        old = tariffs.get((pt, unit))
        tariffs[(pt, unit)] = Tariff(pt, unit, price, old.monthly_cap if old else None)
    return replace(edition, label=label, valid_from=valid_from, tariffs=tariffs)
