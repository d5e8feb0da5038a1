"""One month of an invoice as the checks see it: the tariff edition in force, its tariffs, the offerings."""
from __future__ import annotations

from decimal import Decimal

from shared.checks import line_checks as L
from shared.checks.findings import CheckContext, Finding
from shared.checks.group_checks import full_month_limit
from shared.checks.offerings import OfferingIndex, OfferingMatch, code_key
from shared.kernel.periods import Period
from shared.register.domain.catalogue import UNITS, BillingRules, ProgrammeType, Tariff, name_de
from shared.register.domain.offering import OfferingTerms
from shared.submissions.domain.documents import InvoiceLine

UnitInfo = tuple[Tariff | None, Decimal | None, frozenset[str], ProgrammeType | None]
# the unit's info, then the offerings the line may belong to, their agreed tariff for the unit, and the
# offering code as codes compare (without case and surrounding spaces)
Terms = tuple[Tariff | None, Decimal | None, frozenset[str], ProgrammeType | None, OfferingMatch,
              tuple[Decimal, OfferingTerms] | None, str]
ALL_UNITS = frozenset(UNITS)


class MonthTerms:
    """The edition in force in one month (None before the first edition: every line is period_not_billable)
    and what it says, and the provider's offerings for that month; looked up once per programme and unit."""

    __slots__ = ("period", "edition", "rules", "text", "future", "no_tariff", "first", "last", "full_month",
                 "_units", "_types", "_offerings", "terms_cache", "_not_registered")

    def __init__(self, ctx: CheckContext, period: Period, today: Period | None,
                 types: dict[str, ProgrammeType], offerings: OfferingIndex):
        self.period = period
        self.edition = ctx.catalogue.in_force(period)
        self.rules = self.edition.rules if self.edition is not None else BillingRules()
        self.text = str(period)
        self.future = today is not None and period > today
        first_edition = ctx.catalogue.editions[0]
        self.no_tariff = None if self.edition is not None else first_edition  # the first one, for the message
        self.first, self.last = period.first_day, period.last_day
        self.full_month = full_month_limit(self.rules)
        self._units: dict[tuple[str, str], UnitInfo] = {}
        self._types = types
        self._offerings = offerings
        self.terms_cache: dict[tuple[str, str, str | None], Terms] = {}
        self._not_registered: dict[tuple[str, str], Finding] = {}

    @property
    def label(self) -> str | None:
        return self.edition.label if self.edition is not None else None

    def unit(self, programme: str, unit: str) -> UnitInfo:
        """The maximum tariff, the day's maximum, the billable units and the programme type."""
        info = self._units.get((programme, unit))
        if info is None:
            edition = self.edition
            if edition is None:  # no tariff at all: the line is period_not_billable, nothing else to say
                info = (None, None, ALL_UNITS, self._types.get(programme))
            else:
                billable = edition.billable_units(programme)
                tariff = edition.tariff(programme, unit) if unit in billable else None
                day = edition.tariffs.get((programme, "assignment_day"))
                ptype = edition.programme_types.get(programme) or self._types.get(programme)
                info = (tariff, day.max_price if day else None, billable, ptype)
            self._units[(programme, unit)] = info
        return info

    def terms(self, programme: str, unit: str, code: str | None) -> Terms:
        """unit(), the provider's offerings the line may belong to with their agreed tariff, the folded code."""
        found = self.terms_cache.get((programme, unit, code))
        if found is None:
            match = self._offerings.match(programme, code, self.period)
            agreed = match.agreed_price(unit, self.rules.reduced_day_factor) if match.covering else None
            found = (*self.unit(programme, unit), match, agreed, code_key(code))
            self.terms_cache[(programme, unit, code)] = found
        return found

    def not_registered(self, line: InvoiceLine, match: OfferingMatch, ptype: ProgrammeType | None,
                       code: str) -> Finding:
        """The warning offering_not_registered (the same one for every line of that offering)."""
        found = self._not_registered.get((line.programme, code))
        if found is None:
            found = L.offering_not_registered(line, match, name_de(ptype, line.programme))
            self._not_registered[(line.programme, code)] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]
