"""Budgets per funding source and year, and the rules that attribute lines to the federal integration credit
(domain-rules §5), mixed into the supervision Application."""
from __future__ import annotations

from datetime import date

from shared.finance.domain.aggregates import (
    Budget,
    FederalCreditRule,
    budget_id,
    credit_rule_id,
)
from shared.finance.domain.inputs import (
    amount_field,
    credit_categories,
    month_start,
    text_field,
    year_field,
)
from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import DEFAULT_CREDIT_RULE, CreditRule, rule_shares
from shared.kernel.errors import Invalid


class BudgetCommands:
    # --- budgets ---------------------------------------------------------------------------------
    def set_budget(self, year: int, source: str, amount, actor: str, comment: str = "") -> Budget:
        year = year_field(year)
        if source not in SOURCES:
            raise Invalid(f"Unbekannte Finanzierungsquelle «{source}»: erlaubt sind {', '.join(SOURCES)}",
                          "source", str(source))
        value = amount_field(amount, "amount", "Budget")
        comment = text_field(comment, "comment")

        def command() -> Budget:
            existing = self.get_or_none(budget_id(year, source))
            if existing is not None:
                existing.revise(amount=value, comment=comment, actor=actor)
                self.save(existing)
                return existing
            directory = self.finance_directory()
            budget = Budget(year=year, source=source, amount=value, comment=comment, actor=actor)
            directory.list_budget(budget.id)
            self.save(directory, budget)
            return budget

        return self.retrying(command)

    def budgets(self, year: int | None = None) -> list[Budget]:
        """The budgets recorded (of `year`), read again once the store moved (shared: only to be read)."""
        found = self.while_unchanged("budgets", lambda: self.listed("budgets"))
        found = [b for b in found if year is None or b.year == year]
        return sorted(found, key=lambda b: (b.year, SOURCES.index(b.source)))

    # --- federal integration credit rules --------------------------------------------------------
    def record_credit_rule(self, valid_from: str, programmes: list[str], refugees: bool, label: str,
                           actor: str, categories=None, share=None) -> FederalCreditRule:
        """``categories``: the funding categories the rule covers (``self_payer``: the canton's share of
        self-payers' lines; ``social_assistance``: social-assistance lines), a list at ``share`` or a mapping
        category → share; none given = ``self_payer`` at 100 %, as before categories existed."""
        start = month_start(valid_from)
        covered = credit_categories(categories, share)
        known = set(self.catalogue().programme_types)
        clean = sorted({str(p).strip() for p in programmes or [] if str(p).strip()})
        for p in clean:
            if p not in known:
                raise Invalid(f"Unbekannte Programmart «{p}»", "programmes", p)
        label = text_field(label, "label")

        def command() -> FederalCreditRule:
            existing = self.get_or_none(credit_rule_id(start.isoformat()))
            if existing is not None:
                existing.revise(programmes=clean, refugees=bool(refugees), label=label, actor=actor,
                                categories=covered)
                self.save(existing)
                return existing
            directory = self.finance_directory()
            rule = FederalCreditRule(valid_from=start.isoformat(), programmes=clean, refugees=bool(refugees),
                                     label=label, actor=actor, categories=covered)
            directory.list_credit_rule(rule.id)
            self.save(directory, rule)
            return rule

        return self.retrying(command)

    def credit_rule_records(self) -> list[FederalCreditRule]:
        """The rules recorded, read again once the store moved (shared: only to be read)."""
        return sorted(self.while_unchanged("credit_rule_records", lambda: self.listed("credit_rules")),
                      key=lambda r: r.valid_from)

    def credit_rules(self) -> list[CreditRule]:
        """The rules in force over time: the built-in default from 2022-10-01 unless a recorded rule starts on
        the same day, and every recorded rule (read again once the store moved: every split takes them)."""
        return list(self.while_unchanged("credit_rules", lambda: tuple(self._credit_rules())))

    def _credit_rules(self) -> list[CreditRule]:
        recorded = [CreditRule(valid_from=date.fromisoformat(r.valid_from),
                               programmes=frozenset(r.programmes), refugees=r.refugees, id=str(r.id),
                               label=r.label, shares=rule_shares(getattr(r, "categories", None)))
                    for r in self.credit_rule_records()]
        rules = list(recorded)
        if not any(r.valid_from == DEFAULT_CREDIT_RULE.valid_from for r in recorded):
            rules.append(DEFAULT_CREDIT_RULE)
        return sorted(rules, key=lambda r: r.valid_from)
