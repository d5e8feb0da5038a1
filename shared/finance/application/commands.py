"""Finance commands of the supervision Application: fee waivers, budgets, federal credit rules.

Each command validates its input (``Invalid`` with a German message → 422), then loads, decides and saves
inside ``retrying`` so that two finance staff working at once never lose an event.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from shared.finance.domain.aggregates import (
    Budget,
    FederalCreditRule,
    FeeWaiver,
    FinanceDirectory,
    budget_id,
    credit_rule_id,
)
from shared.finance.domain.sources import SOURCE_NAMES_DE, SOURCES
from shared.finance.domain.split import DEFAULT_CREDIT_RULE, CreditRule, WaiverTerms
from shared.kernel.errors import Conflict, Invalid, NotFound
from shared.kernel.money import amount_str
from shared.kernel.periods import Period
from shared.privacy.sealing import SHREDDED, shredded_name
from shared.store.history import read_history
from shared.submissions.parsers.fields import looks_like_ahv

MAX_AMOUNT = Decimal("1000000000")  # a budget or a contribution above a billion francs is a typing error
MAX_TEXT = 500


class FinanceCommands:
    """Mixed into SupervisionApplication (one Application per service)."""

    # --- the directory ---------------------------------------------------------------------------
    def finance_directory(self) -> FinanceDirectory:
        found = self.get_or_none(FinanceDirectory.create_id())
        return found if found is not None else FinanceDirectory()

    # --- fee waivers -----------------------------------------------------------------------------
    def record_fee_waiver(self, provider: str, participant: str, valid_from: str, valid_to: str | None,
                          monthly_contribution, actor: str, reference: str = "",
                          comment: str = "") -> FeeWaiver:
        provider = (provider or "").strip()
        if provider not in self.provider_slugs():
            raise Invalid(f"Anbieter «{provider}» ist nicht registriert", "provider", provider)
        participant = _participant(participant)
        start, end = _validity(valid_from, valid_to)
        contribution = _amount(monthly_contribution, "monthly_contribution", "Monatlicher Beitrag")
        reference, comment = _text(reference, "reference"), _text(comment, "comment")

        def command() -> FeeWaiver:
            directory = self.finance_directory()
            self._refuse_overlap(directory, provider, participant, start, end, exclude=None)
            sealer = self.required_sealer()
            subject = sealer.vault.participant_subject(provider, participant)
            sealed = sealer.seal_fields(subject, {"participant": participant, "reference": reference,
                                                  "comment": comment})
            waiver = FeeWaiver(provider=provider, subject=subject, sealed=sealed, valid_from=start.isoformat(),
                               valid_to=end.isoformat() if end else None, monthly_contribution=contribution,
                               actor=actor)
            waiver.attach_sealer(sealer)
            directory.list_waiver(waiver.id)
            self.save(directory, waiver)
            return waiver

        return self.retrying(command)

    def change_fee_waiver(self, waiver_id: UUID, valid_from: str, valid_to: str | None, monthly_contribution,
                          actor: str, reference: str | None = None, comment: str = "",
                          provider: str | None = None, participant: str | None = None) -> FeeWaiver:
        start, end = _validity(valid_from, valid_to)
        contribution = _amount(monthly_contribution, "monthly_contribution", "Monatlicher Beitrag")
        comment = _text(comment, "comment")

        def command() -> FeeWaiver:
            waiver = self.fee_waiver(waiver_id)
            if provider not in (None, waiver.provider):
                raise Invalid("Der Anbieter eines Kostenerlasses lässt sich nicht ändern", "provider",
                              provider)
            if participant not in (None, waiver.participant):
                raise Invalid("Die Teilnehmernummer eines Kostenerlasses lässt sich nicht ändern",
                              "participant", participant)
            if not waiver.active:
                raise Conflict("Dieser Kostenerlass ist widerrufen und lässt sich nicht mehr ändern")
            self._refuse_overlap(self.finance_directory(), waiver.provider, waiver.participant, start, end,
                                 exclude=waiver.id)
            subject = self._waiver_subject(waiver)
            sealed = self.required_sealer().seal_fields(subject, {
                "participant": waiver.participant,
                "reference": waiver.reference if reference is None else _text(reference, "reference"),
                "comment": comment})
            waiver.change(valid_from=start.isoformat(), valid_to=end.isoformat() if end else None,
                          monthly_contribution=contribution, sealed=sealed, subject=subject, actor=actor)
            self.save(waiver)
            return waiver

        return self.retrying(command)

    def revoke_fee_waiver(self, waiver_id: UUID, reason: str, actor: str) -> FeeWaiver:
        reason = _text(reason, "reason")

        def command() -> FeeWaiver:
            waiver = self.fee_waiver(waiver_id)
            if not waiver.active:
                raise Conflict("Dieser Kostenerlass ist bereits widerrufen")
            subject = self._waiver_subject(waiver)
            waiver.revoke(sealed_reason=self.required_sealer().seal_fields(subject, {"reason": reason}),
                          subject=subject, actor=actor)
            self.save(waiver)
            return waiver

        return self.retrying(command)

    def _waiver_subject(self, waiver: FeeWaiver) -> str:
        """The participant's pseudonym; a decision recorded before sealing gets it now."""
        return waiver.subject or self.required_sealer().vault.participant_subject(waiver.provider,
                                                                                  waiver.participant)

    def fee_waiver(self, waiver_id: UUID) -> FeeWaiver:
        found = self.get_or_none(waiver_id)
        if not isinstance(found, FeeWaiver):
            raise NotFound("Kostenerlass nicht gefunden")
        return found

    def fee_waivers(self, provider: str | None = None, participant: str | None = None) -> list[FeeWaiver]:
        directory = self.get_or_none(FinanceDirectory.create_id())
        if directory is None:
            return []
        waivers = [self.repository.get(w) for w in directory.waivers]
        return [w for w in waivers if (provider is None or w.provider == provider)
                and (participant is None or w.participant == participant)]

    def waiver_terms(self) -> list[WaiverTerms]:
        """The decisions in force (not revoked), as the funding split takes them."""
        return [waiver_terms(w) for w in self.fee_waivers() if w.active]

    def _refuse_overlap(self, directory: FinanceDirectory, provider: str, participant: str, start: date,
                        end: date | None, exclude: UUID | None) -> None:
        first, last = Period.of(start), Period.of(end) if end else None
        for wid in directory.waivers:
            if wid == exclude:
                continue
            other: FeeWaiver = self.repository.get(wid)
            if not other.active or other.provider != provider or other.participant != participant:
                continue
            o_first = Period.of(date.fromisoformat(other.valid_from))
            o_last = Period.of(date.fromisoformat(other.valid_to)) if other.valid_to else None
            if (last is None or o_first <= last) and (o_last is None or first <= o_last):
                raise Invalid(f"Für {participant} bei {provider} gilt in diesen Monaten bereits ein "
                              f"Kostenerlass (ab {o_first}); bitte jenen ändern oder widerrufen",
                              "valid_from", start.isoformat())

    # --- budgets ---------------------------------------------------------------------------------
    def set_budget(self, year: int, source: str, amount, actor: str, comment: str = "") -> Budget:
        year = _year(year)
        if source not in SOURCES:
            raise Invalid(f"Unbekannte Finanzierungsquelle «{source}»: erlaubt sind {', '.join(SOURCES)}",
                          "source", str(source))
        value = _amount(amount, "amount", "Budget")
        comment = _text(comment, "comment")

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
        directory = self.get_or_none(FinanceDirectory.create_id())
        if directory is None:
            return []
        found = [self.repository.get(b) for b in directory.budgets]
        found = [b for b in found if year is None or b.year == year]
        return sorted(found, key=lambda b: (b.year, SOURCES.index(b.source)))

    # --- federal integration credit rules --------------------------------------------------------
    def record_credit_rule(self, valid_from: str, programmes: list[str], refugees: bool, label: str,
                           actor: str) -> FederalCreditRule:
        start = _month_start(valid_from)
        known = set(self.catalogue().programme_types)
        clean = sorted({str(p).strip() for p in programmes or [] if str(p).strip()})
        for p in clean:
            if p not in known:
                raise Invalid(f"Unbekannte Programmart «{p}»", "programmes", p)
        label = _text(label, "label")

        def command() -> FederalCreditRule:
            existing = self.get_or_none(credit_rule_id(start.isoformat()))
            if existing is not None:
                existing.revise(programmes=clean, refugees=bool(refugees), label=label, actor=actor)
                self.save(existing)
                return existing
            directory = self.finance_directory()
            rule = FederalCreditRule(valid_from=start.isoformat(), programmes=clean, refugees=bool(refugees),
                                     label=label, actor=actor)
            directory.list_credit_rule(rule.id)
            self.save(directory, rule)
            return rule

        return self.retrying(command)

    def credit_rule_records(self) -> list[FederalCreditRule]:
        directory = self.get_or_none(FinanceDirectory.create_id())
        if directory is None:
            return []
        return sorted((self.repository.get(r) for r in directory.credit_rules), key=lambda r: r.valid_from)

    def credit_rules(self) -> list[CreditRule]:
        """The rules in force over time: the built-in default from 2022-10-01 unless a recorded rule starts on
        the same day, and every recorded rule."""
        recorded = [CreditRule(valid_from=date.fromisoformat(r.valid_from),
                               programmes=frozenset(r.programmes), refugees=r.refugees, id=str(r.id),
                               label=r.label)
                    for r in self.credit_rule_records()]
        rules = list(recorded)
        if not any(r.valid_from == DEFAULT_CREDIT_RULE.valid_from for r in recorded):
            rules.append(DEFAULT_CREDIT_RULE)
        return sorted(rules, key=lambda r: r.valid_from)

    # --- history -------------------------------------------------------------------------------
    def finance_history(self, aggregate_id: UUID) -> list[dict]:
        """Every event of a finance aggregate: type, time, actor and what it recorded (sealed fields opened,
        or «gelöscht» after crypto-shredding)."""
        history = []
        subject = None
        for entry in read_history(self, aggregate_id):
            state = dict(entry.data)
            subject = state.pop("subject", subject)
            for key, gone in (("sealed", "participant"), ("sealed_reason", "reason")):
                if key in state:
                    sealed = state.pop(key)
                    opened = self.required_sealer().open_fields(subject, sealed) if subject else None
                    state.update(opened or {gone: shredded_name(subject) if subject else SHREDDED})
            history.append({"type": entry.kind, "event": entry.event, "time": entry.time.isoformat(),
                            "actor": entry.actor, "version": entry.version,
                            "data": {k: v for k, v in state.items() if isinstance(v, str | int | bool | list)
                                     or v is None}})
        return history


# --- views -------------------------------------------------------------------------------------------

def waiver_terms(w: FeeWaiver) -> WaiverTerms:
    return WaiverTerms(id=str(w.id), provider=w.provider, participant=w.participant,
                       valid_from=date.fromisoformat(w.valid_from),
                       valid_to=date.fromisoformat(w.valid_to) if w.valid_to else None,
                       monthly_contribution=Decimal(w.monthly_contribution))


def waiver_view(w: FeeWaiver, history: list[dict] | None = None) -> dict:
    view = {"id": str(w.id), "provider": w.provider, "participant": w.participant, "valid_from": w.valid_from,
            "valid_to": w.valid_to, "monthly_contribution": w.monthly_contribution, "reference": w.reference,
            "comment": w.comment, "status": "active" if w.active else "revoked",
            "revoked_reason": w.revoked_reason, "version": w.version,
            "created_at": w.created_on.isoformat(), "modified_at": w.modified_on.isoformat()}
    if history is not None:
        view["history"] = history
    return view


def budget_view(b: Budget) -> dict:
    return {"id": str(b.id), "year": b.year, "source": b.source, "source_de": SOURCE_NAMES_DE[b.source],
            "amount": b.amount, "comment": b.comment, "version": b.version,
            "modified_at": b.modified_on.isoformat()}


def credit_rule_view(rule: CreditRule, record: FederalCreditRule | None = None) -> dict:
    return {"id": rule.id, "valid_from": rule.valid_from.isoformat(), "programmes": sorted(rule.programmes),
            "refugees": rule.refugees, "label": rule.label, "origin": "recorded" if record else "default",
            "version": record.version if record else None,
            "modified_at": record.modified_on.isoformat() if record else None}


# --- validation --------------------------------------------------------------------------------------

def _text(value, field: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_TEXT or not all(c.isprintable() or c in "\n\t" for c in text):
        raise Invalid(f"Text zu lang (höchstens {MAX_TEXT} Zeichen) oder mit Steuerzeichen", field, text[:60])
    return text


def _participant(value) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise Invalid("Bitte die pseudonyme Teilnehmernummer des Anbieters angeben", "participant", value)
    if looks_like_ahv(text):
        raise Invalid("Das sieht aus wie eine AHV-Nummer: bitte die pseudonyme Teilnehmernummer des "
                      "Anbieters angeben", "participant", None)
    if len(text) > 100 or len(text.split()) > 1 or not text.isprintable():
        raise Invalid("Die Teilnehmernummer ist die pseudonyme Nummer des Anbieters: ohne Leerzeichen, "
                      "höchstens 100 Zeichen", "participant", text[:60])
    return text


def _date(value, field: str, label: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{label}: Datum im Format JJJJ-MM-TT angeben", field, str(value)) from exc


def _validity(valid_from, valid_to) -> tuple[date, date | None]:
    start = _date(valid_from, "valid_from", "Gültig ab")
    end = _date(valid_to, "valid_to", "Gültig bis") if valid_to not in (None, "") else None
    if end is not None and end < start:
        raise Invalid("«Gültig bis» liegt vor «Gültig ab»", "valid_to", end.isoformat())
    if not 2000 <= start.year <= 2999 or (end is not None and end.year > 2999):
        raise Invalid("Gültigkeit ausserhalb der Jahre 2000–2999", "valid_from", start.isoformat())
    return start, end


def _month_start(value) -> date:
    text = str(value or "").strip()
    try:
        if len(text) <= 7:
            return Period.parse(text).first_day
        day = date.fromisoformat(text)
        Period.of(day)
    except ValueError as exc:
        raise Invalid("Gültig ab: ein Monat (JJJJ-MM) oder ein Monatserster (JJJJ-MM-01)", "valid_from",
                      text) from exc
    if day.day != 1:
        raise Invalid("Regeln gelten ab einem Monatsersten (JJJJ-MM-01)", "valid_from", text)
    return day


def _amount(value, field: str, label: str) -> str:
    if isinstance(value, bool) or value is None:
        raise Invalid(f"{label}: Betrag in Franken angeben, z. B. 50.00", field, str(value))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise Invalid(f"{label}: «{value}» ist kein Betrag", field, str(value)) from exc
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise Invalid(f"{label}: «{value}» ist kein zulässiger Betrag (0 oder mehr)", field, str(value))
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(f"{label}: höchstens zwei Nachkommastellen (Rappen)", field, str(value))
    return amount_str(amount)


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"Jahr «{value}» ist ungültig", "year", str(value)) from exc
    if not 2000 <= year <= 2999:
        raise Invalid(f"Jahr «{value}» ist ungültig", "year", str(value))
    return year
