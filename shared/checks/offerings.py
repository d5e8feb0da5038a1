"""Which of the provider's offerings a line belongs to, and the intake's offering-code errors."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.kernel.periods import Period
from shared.register.domain.catalogue import ProgrammeType, programme_name_de
from shared.register.domain.offering import OfferingTerms
from shared.submissions.domain.documents import FormatIssue, ParsedInvoice


def code_key(code: str | None) -> str:
    """Offering codes compare without surrounding blanks and case: «rm-q1 » is RM-Q1."""
    return code.strip().casefold() if code else ""


@dataclass(frozen=True)
class OfferingMatch:
    """The provider's offerings of the line's programme type (and code, if the line names one)."""

    candidates: tuple[OfferingTerms, ...]  # whatever their validity
    covering: tuple[OfferingTerms, ...]  # those valid in the line's month

    def agreed_price(self, unit: str, reduced_day_factor: Decimal) -> tuple[Decimal, OfferingTerms] | None:
        """The agreed tariff for the unit; a reduced day is at most 70 % of an agreed day (rule 4).

        With several offerings that could be meant (the line names no code), the most favourable one
        for the provider applies, and none if one of them has no agreed tariff for the unit.
        """
        best: tuple[Decimal, OfferingTerms] | None = None
        for o in self.covering:
            price = o.agreed_tariffs.get(unit)
            if price is None and unit == "reduced_day":
                day = o.agreed_tariffs.get("assignment_day")
                price = day * reduced_day_factor if day is not None else None
            if price is None:
                return None
            if best is None or price > best[0]:
                best = (price, o)
        return best


class OfferingIndex:
    """The provider's own offerings, looked up per programme type, code and month (cached)."""

    def __init__(self, offerings: tuple[OfferingTerms, ...], provider: str):
        self._by_type: dict[str, list[OfferingTerms]] = {}
        for o in offerings:
            if o.provider == provider:
                self._by_type.setdefault(o.programme_type, []).append(o)
        self._cache: dict[tuple[str, str, Period], OfferingMatch] = {}

    def match(self, programme: str, code: str | None, period: Period) -> OfferingMatch:
        key = (programme, code_key(code), period)
        found = self._cache.get(key)
        if found is None:
            candidates = tuple(o for o in self._by_type.get(programme, ())
                               if not key[1] or code_key(o.code) == key[1])
            found = OfferingMatch(candidates, tuple(o for o in candidates if o.covers(period)))
            self._cache[key] = found
        return found


def offering_errors(parsed: ParsedInvoice, offerings: tuple[OfferingTerms, ...], provider: str,
                    programme_types: Mapping[str, ProgrammeType] | None = None) -> list[FormatIssue]:
    """Lines naming an offering code the provider does not have for the line's programme type (named in the
    messages from `programme_types`).

    A provider without any registered offering (a new store) gets no errors here: its lines are
    checked and carry the warning offering_not_registered instead.
    """
    known: dict[str, dict[str, str]] = {}
    for o in offerings:
        if o.provider == provider:
            known.setdefault(o.programme_type, {})[code_key(o.code)] = o.code
    if not known:
        return []
    issues: list[FormatIssue] = []
    for line in parsed.lines:
        code = (line.offering or "").strip()
        if not code:
            continue
        codes = known.get(line.programme, {})
        if code_key(code) in codes:
            continue
        programme = programme_name_de(programme_types or {}, line.programme)
        if codes:
            listed = ", ".join(sorted(codes.values()))
            message = (f"Angebot «{code}» ist für die Programmart {programme} nicht registriert; "
                       f"bekannte Angebote: {listed}")
        else:
            message = (f"Angebot «{code}» ist nicht registriert: für die Programmart {programme} "
                       f"ist kein Angebot registriert")
        issues.append(FormatIssue(line.row, "Angebot", code, message))
    return issues
