"""An offering as the checks see it (what a provider may run and bill, from the canton's register), and the rules
its terms must keep."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.kernel.errors import Invalid
from shared.kernel.limits import FIRST_DAY, LAST_DAY, MAX_PLACES, day_ok, swiss_count
from shared.kernel.money import parse_decimal, to_cents
from shared.kernel.periods import Period
from shared.register.domain.catalogue import UNIT_NAMES_DE
from shared.register.domain.localities import localities


@dataclass(frozen=True)
class OfferingTerms:
    provider: str
    programme_type: str
    code: str
    name: str
    places: int
    valid_from: date
    valid_to: date | None = None
    agreed_tariffs: Mapping[str, Decimal] = field(default_factory=dict)  # unit -> agreed price
    location: str = ""
    postcode: str = ""

    def covers(self, period: Period) -> bool:
        return self.valid_from <= period.last_day and (self.valid_to is None or self.valid_to >= period.first_day)


def validate_offering(catalogue, existing: Iterable[OfferingTerms], code: str, terms: dict) -> dict:
    """An offering's terms checked against the catalogue in force and the provider's other offerings
    (`existing`, without the one being changed): the clean terms as stored, or Invalid with a German message."""
    pt = terms.get("programme_type", "")
    if pt not in catalogue.programme_types:
        raise Invalid(f"Unbekannte Programmart «{pt}»", "programme_type", pt)
    try:
        valid_from = date.fromisoformat(str(terms["valid_from"]))
        valid_to = date.fromisoformat(str(terms["valid_to"])) if terms.get("valid_to") else None
    except (KeyError, ValueError) as exc:
        raise Invalid("Gültig ab/bis: Datum im Format JJJJ-MM-TT angeben", "valid_from",
                      str(terms.get("valid_from"))) from exc
    for name, day in (("valid_from", valid_from), ("valid_to", valid_to)):
        if day is not None and not day_ok(day):
            label = "Gültig ab" if name == "valid_from" else "Gültig bis"
            raise Invalid(f"«{label}» {day:%d.%m.%Y} liegt ausserhalb {FIRST_DAY.year}–{LAST_DAY.year}", name,
                          day.isoformat())
    if valid_to and valid_to < valid_from:
        raise Invalid("«Gültig bis» liegt vor «Gültig ab»", "valid_to", valid_to.isoformat())
    try:
        places = int(terms.get("places", 0))
    except (TypeError, ValueError, OverflowError) as exc:
        raise Invalid(f"Plätze «{terms.get('places')}» ist keine ganze Zahl", "places",
                      str(terms.get("places"))[:40]) from exc
    if places < 0:
        raise Invalid("Plätze darf nicht negativ sein", "places", str(places))
    if places > MAX_PLACES:
        raise Invalid(f"Plätze «{str(places)[:40]}»: höchstens {swiss_count(MAX_PLACES)}", "places",
                      str(places)[:40])
    postcode, location = localities().place_of(str(terms.get("postcode") or ""), str(terms.get("location") or ""))
    edition = catalogue.edition_for(Period.of(valid_from))
    agreed: dict[str, str] = {}
    for unit, price in (terms.get("agreed_tariffs") or {}).items():
        if unit not in edition.billable_units(pt):
            raise Invalid(f"Die Programmart «{pt}» kennt die Leistung «{unit}» nicht", "agreed_tariffs", unit)
        try:  # the one parser of amounts: Swiss forms, no NaN, no infinity, no exponent
            value = parse_decimal(str(price))
        except ValueError as exc:
            raise Invalid(f"Vereinbarter Tarif «{price}» ist kein Betrag", "agreed_tariffs", str(price)) from exc
        name = UNIT_NAMES_DE.get(unit, unit)
        if value != to_cents(value):
            raise Invalid(f"Vereinbarter Tarif «{price}» für {name}: höchstens zwei Nachkommastellen (Rappen)",
                          "agreed_tariffs", str(price))
        if value < 0:
            raise Invalid(f"Vereinbarter Tarif CHF {value:.2f} für {name} darf nicht negativ sein",
                          "agreed_tariffs", str(price))
        maximum = edition.tariff(pt, unit).max_price
        if value > maximum:
            raise Invalid(f"Vereinbarter Tarif CHF {value:.2f} für {name} liegt über dem Höchsttarif "
                          f"CHF {maximum:.2f} der Ausgabe {edition.label}", "agreed_tariffs", str(price))
        agreed[unit] = f"{value:.2f}"
    for other in existing:
        if other.code == code:
            if other.valid_from <= (valid_to or date.max) and valid_from <= (other.valid_to or date.max):
                raise Invalid(f"Die Gültigkeit überschneidet sich mit dem Angebot «{code}»", "valid_from",
                              valid_from.isoformat())
    return {"programme_type": pt, "name": str(terms.get("name") or code),
            "location": location, "postcode": postcode, "places": places, "agreed_tariffs": agreed,
            "valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat() if valid_to else None}


def terms_from_record(off) -> OfferingTerms:
    """The terms of a register Offering aggregate as the checks read them."""
    t = off.terms
    return OfferingTerms(
        provider=off.provider, programme_type=t["programme_type"], code=off.code, name=t.get("name", off.code),
        places=int(t.get("places", 0)), valid_from=date.fromisoformat(t["valid_from"]),
        valid_to=date.fromisoformat(t["valid_to"]) if t.get("valid_to") else None,
        agreed_tariffs={u: Decimal(p) for u, p in (t.get("agreed_tariffs") or {}).items()},
        location=t.get("location", ""), postcode=t.get("postcode", ""),
    )
