"""Fee waivers (Kostenerlass, domain-rules §5), mixed into the supervision Application: recorded, changed and
revoked by finance, the participant's number, reference and comments sealed with the participant's key."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.finance.application.views import waiver_terms
from shared.finance.domain.aggregates import (
    FeeWaiver,
    FinanceDirectory,
)
from shared.finance.domain.inputs import (
    amount_field,
    participant_number,
    text_field,
    validity,
)
from shared.finance.domain.split import WaiverTerms
from shared.kernel.errors import Conflict, Invalid, NotFound
from shared.kernel.periods import Period
from shared.privacy.sealing import SHREDDED, shredded_name
from shared.store.history import read_history


class FeeWaiverCommands:
    # --- the directory ---------------------------------------------------------------------------
    def finance_directory(self) -> FinanceDirectory:
        found = self.get_or_none(FinanceDirectory.create_id())
        return found if found is not None else FinanceDirectory()

    def listed(self, kind: str) -> tuple:
        """The aggregates the finance directory lists as `kind` (waivers, budgets, credit_rules), in one read."""
        directory = self.get_or_none(FinanceDirectory.create_id())
        return () if directory is None else tuple(self.get_many(*getattr(directory, kind)))

    # --- fee waivers -----------------------------------------------------------------------------
    def record_fee_waiver(self, provider: str, participant: str, valid_from: str, valid_to: str | None,
                          monthly_contribution, actor: str, reference: str = "",
                          comment: str = "") -> FeeWaiver:
        provider = (provider or "").strip()
        if provider not in self.provider_slugs():
            raise Invalid(f"Anbieter «{provider}» ist nicht registriert", "provider", provider)
        participant = participant_number(participant)
        start, end = validity(valid_from, valid_to)
        contribution = amount_field(monthly_contribution, "monthly_contribution", "Monatlicher Beitrag")
        reference, comment = text_field(reference, "reference"), text_field(comment, "comment")

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
        start, end = validity(valid_from, valid_to)
        contribution = amount_field(monthly_contribution, "monthly_contribution", "Monatlicher Beitrag")
        comment = text_field(comment, "comment")

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
                "reference": waiver.reference if reference is None else text_field(reference, "reference"),
                "comment": comment})
            waiver.change(valid_from=start.isoformat(), valid_to=end.isoformat() if end else None,
                          monthly_contribution=contribution, sealed=sealed, subject=subject, actor=actor)
            self.save(waiver)
            return waiver

        return self.retrying(command)

    def revoke_fee_waiver(self, waiver_id: UUID, reason: str, actor: str) -> FeeWaiver:
        reason = text_field(reason, "reason")

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
        """The decisions recorded (read again once the store moved: the finance page and every invoice's documents
        ask; the aggregates returned are shared, only to be read)."""
        waivers = self.while_unchanged("fee_waivers", lambda: self.listed("waivers"))  # one read (26 before)
        return [w for w in waivers if (provider is None or w.provider == provider)
                and (participant is None or w.participant == participant)]

    def waiver_terms(self) -> list[WaiverTerms]:
        """The decisions in force (not revoked), as the funding split takes them (read again once the store moved:
        every invoice page's documents are split by them)."""
        return list(self.while_unchanged("waiver_terms",
                                         lambda: tuple(waiver_terms(w) for w in self.fee_waivers() if w.active)))

    def _refuse_overlap(self, directory: FinanceDirectory, provider: str, participant: str, start: date,
                        end: date | None, exclude: UUID | None) -> None:
        first, last = Period.of(start), Period.of(end) if end else None
        for other in self.get_many(*directory.waivers):
            if other.id == exclude:
                continue
            if not other.active or other.provider != provider or other.participant != participant:
                continue
            o_first = Period.of(date.fromisoformat(other.valid_from))
            o_last = Period.of(date.fromisoformat(other.valid_to)) if other.valid_to else None
            if (last is None or o_first <= last) and (o_last is None or first <= o_last):
                raise Invalid(f"Für {participant} bei {provider} gilt in diesen Monaten bereits ein "
                              f"Kostenerlass (ab {o_first}); bitte jenen ändern oder widerrufen",
                              "valid_from", start.isoformat())

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
