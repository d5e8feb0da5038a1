"""The register's use cases (mixed into the supervision Application): the bootstrap of a new store, providers,
offerings, service agreements and tariff editions, each change an event with its actor."""
from __future__ import annotations

import csv
import logging
import re
from datetime import date
from decimal import Decimal
from importlib import resources

from shared.access.domain.accounts import AccessDirectory
from shared.kernel.errors import Invalid, NotFound
from shared.register.application.moment import held, hold
from shared.register.domain.catalogue import BillingRules, Catalogue, edition_from_rows
from shared.register.domain.edition import check_valid_from, rows_with_changes, validate_edition
from shared.register.domain.offering import OfferingTerms, terms_from_record, validate_offering
from shared.register.domain.provider import provider_changes
from shared.register.domain.register import (
    REGISTER_ID,
    Offering,
    Provider,
    Register,
    ServiceAgreement,
    TariffEditionRecord,
    offering_id,
    provider_id,
)

log = logging.getLogger("ami.register")
BOOTSTRAP_ACTOR = "system:bootstrap"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")


def _read_package_csv(name: str) -> list[dict]:
    text = resources.files("shared.register.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def packaged_provider_slugs() -> list[str]:
    """The providers every new store starts with (providers.csv): what `ami check` knows without a store."""
    return [row["slug"] for row in _read_package_csv("providers.csv")]


class RegisterCommands:
    """Mixed into SupervisionApplication; the register is read often and replayed only when it moved."""

    _catalogue_cache: tuple[int, Catalogue] | None = None
    # the register as last read, and the store's commit mark (shared.store.watch) when it was found current
    _register_cache: tuple[int | None, Register | None] = (None, None)
    _offerings_cache: tuple[int, dict[str, tuple[OfferingTerms, ...]]] | None = None
    _inactive_cache: tuple[int, frozenset[str]] | None = None

    # --- bootstrap -------------------------------------------------------------------------
    def bootstrap(self) -> bool:
        """A new store starts with the 26 providers and the 2024/25 tariff edition, as events."""
        if self.get_or_none(REGISTER_ID) is not None:
            return False
        register = Register()
        aggregates: list = [register]
        for row in _read_package_csv("providers.csv"):
            aggregates.append(Provider(slug=row["slug"], name=row["name"], website=row["website"],
                                       integration_arbeit_test=row["integration_arbeit_test_programme"] == "yes",
                                       actor=BOOTSTRAP_ACTOR))
            register.list_provider(row["slug"])
        edition = TariffEditionRecord(label="2024/25", valid_from="2024-01-01",
                                      rows=_read_package_csv("max-tariffs-2024-25.csv"),
                                      rules={k: str(v) for k, v in BillingRules().__dict__.items()},
                                      actor=BOOTSTRAP_ACTOR)
        register.list_edition(edition.id)
        aggregates.append(edition)
        directory = AccessDirectory()
        aggregates.append(directory)
        try:
            self.save(*aggregates)
        except Exception:
            if self.get_or_none(REGISTER_ID) is not None:  # another process bootstrapped first
                return False
            raise
        return True

    def register(self) -> Register:
        """The register, replayed: for a command that changes it."""
        return self.repository.get(REGISTER_ID)

    def register_for_reading(self) -> Register:
        """The register for reading only: replayed again only when it moved (every upload reads it; its
        version costs one indexed row, its replay a hundred events); within one command once (`moment`).
        Never change the returned object."""
        if (found := held(self)) is not None:
            return found
        mark = self.commits.mark()  # taken before the read: no commit to the store since, the register stands
        seen, cached = self._register_cache
        if cached is None or mark is None or mark != seen:
            head = self.recorder.select_events(REGISTER_ID, desc=True, limit=1)
            version = head[0].originator_version if head else 0
            if cached is None or cached.version < version:
                cached = self.repository.get(REGISTER_ID)
            self._register_cache = (mark, cached)  # one assignment: a thread never sees one without the other
        hold(self, cached)
        return cached

    # --- register: providers, offerings, editions ------------------------------------------
    def provider_slugs(self) -> list[str]:
        return list(self.register_for_reading().providers)

    def provider(self, slug: str) -> Provider:
        found = self.get_or_none(provider_id(slug))
        if found is None:
            raise NotFound(f"Anbieter «{slug}» ist nicht registriert")
        return found

    def providers(self) -> list[Provider]:
        return self.get_many(*(provider_id(s) for s in self.provider_slugs()))  # one read

    def catalogue(self) -> Catalogue:
        register = self.register_for_reading()
        cached = self._catalogue_cache
        if cached and cached[0] == register.version:
            return cached[1]
        editions = []
        for eid in register.editions:
            rec: TariffEditionRecord = self.repository.get(eid)
            try:
                rules = BillingRules(**{k: Decimal(v) for k, v in rec.rules.items()})
                edition = edition_from_rows(rec.label, date.fromisoformat(rec.valid_from), rec.rows, rules)
                if not all(t.max_price.is_finite() for t in edition.tariffs.values()):
                    raise ValueError("a maximum that is not a number")
            except (ArithmeticError, KeyError, TypeError, ValueError) as exc:
                # an edition stored before editions were checked, that can't be read: every upload would fail
                # on it, so it is left out (the edition before it stays in force) and reported once per version
                log.error("Tarifausgabe «%s» ab %s ist unlesbar und bleibt ausser Kraft: %s", rec.label,
                          rec.valid_from, exc)
                continue
            editions.append(edition)
        catalogue = Catalogue(tuple(editions))
        self._catalogue_cache = (register.version, catalogue)
        return catalogue

    def publish_edition(self, label: str, valid_from: date, rows: list[dict], actor: str) -> TariffEditionRecord:
        """A new edition: rows shaped like the tariff CSV (programme_type, name_de, category, unit, max_chf,
        monthly_cap_chf, social_assistance_only). Earlier editions stay in force for their months."""
        clean = validate_edition(label, valid_from, rows)

        def command() -> TariffEditionRecord:
            register = self.register()
            record = TariffEditionRecord(label=label.strip(), valid_from=valid_from.isoformat(), rows=clean,
                                         rules={k: str(v) for k, v in BillingRules().__dict__.items()}, actor=actor)
            if record.id in register.editions:
                raise Invalid(f"Ab {valid_from:%d.%m.%Y} gilt bereits eine Tarifausgabe", "valid_from",
                              valid_from.isoformat())
            register.list_edition(record.id)
            self.save(register, record)
            return record

        return self.retrying(command)

    def publish_edition_changes(self, label: str, valid_from: date, changes: list, actor: str) -> TariffEditionRecord:
        """A new edition from a date: the given maxima (dicts or objects with programme_type, unit, max_chf,
        monthly_cap_chf) replace those of the latest edition; the rest carry over."""
        check_valid_from(valid_from)
        wanted = [c if isinstance(c, dict) else vars(c) for c in changes]
        base = self.editions()[-1]
        rows = rows_with_changes(base.rows, self.catalogue().programme_types, wanted)
        return self.publish_edition(label, valid_from, rows, actor)

    def editions(self) -> list[TariffEditionRecord]:
        return [self.repository.get(e) for e in self.register_for_reading().editions]

    def register_provider(self, slug: str, name: str, website: str, actor: str) -> Provider:
        """A new provider in the register (the 26 of the brochure come with the bootstrap)."""
        if not SLUG.fullmatch(slug or ""):
            raise Invalid(f"Kürzel «{slug}»: nur Kleinbuchstaben, Ziffern und Bindestriche (2–40 Zeichen)", "slug",
                          slug)
        clean = provider_changes({"name": name or "", "website": website or ""})

        def command() -> Provider:
            register = self.register()
            if slug in register.providers:
                raise Invalid(f"Den Anbieter «{slug}» gibt es schon", "slug", slug)
            provider = Provider(slug=slug, name=clean["name"], website=clean["website"],
                                integration_arbeit_test=False, actor=actor)
            register.list_provider(slug)
            self.save(register, provider)
            return provider

        return self.retrying(command)

    def change_provider(self, slug: str, changes: dict, actor: str, *, only_differences: bool = False) -> Provider:
        """Change a provider's name, website, contact or whether it is active (an inactive provider's tokens
        and logins are refused from then on). With `only_differences` the details as they now are: only those
        that differ are recorded (Invalid when none does)."""
        current = self.provider(slug)
        if only_differences:
            wanted, changes = changes, {k: v for k, v in changes.items() if getattr(current, k, None) != v}
            if not changes:
                raise Invalid("Keine Änderung angegeben", "name", wanted.get("name"))
        clean = provider_changes(changes)

        def command() -> Provider:
            provider: Provider = self.repository.get(provider_id(slug))
            register = self.register()
            provider.change(changes=clean, actor=actor)
            register.note_provider_changed(slug)
            self.save(register, provider)
            return provider

        return self.retrying(command)

    def inactive_providers(self) -> frozenset[str]:
        """The slugs of deactivated providers, read again only when the register moved."""
        register = self.register_for_reading()
        cached = self._inactive_cache
        if cached is None or cached[0] != register.version:
            inactive = frozenset(p.slug for p in self.providers() if not p.active)
            cached = self._inactive_cache = (register.version, inactive)
        return cached[1]

    def conclude_agreement(self, provider: str, valid_from: date, terms: dict, actor: str) -> ServiceAgreement:
        self.provider(provider)
        valid_to = terms.get("valid_to")
        if valid_to and date.fromisoformat(valid_to) < valid_from:
            raise Invalid("«Gültig bis» liegt vor «Gültig ab»", "valid_to", valid_to)

        def command() -> ServiceAgreement:
            register = self.register()
            agreement = ServiceAgreement(provider=provider, valid_from=valid_from.isoformat(), terms=terms, actor=actor)
            if agreement.id in register.agreements:
                raise Invalid(f"Ab {valid_from:%d.%m.%Y} gibt es schon eine Leistungsvereinbarung", "valid_from",
                              valid_from.isoformat())
            register.list_agreement(agreement.id)
            self.save(register, agreement)
            return agreement

        return self.retrying(command)

    def agreements(self, provider: str) -> list[ServiceAgreement]:
        found = self.get_many(*self.register_for_reading().agreements)  # one read (each provider's home)
        return [a for a in found if a.provider == provider]

    def offerings(self, provider: str) -> tuple[OfferingTerms, ...]:
        """The provider's offerings; all offerings are read once per register version (every change moves it)."""
        return self._offerings_by_provider().get(provider, ())

    def all_offerings(self) -> tuple[OfferingTerms, ...]:
        """Every provider's offerings, in the order they were registered (the finder reads them all)."""
        return tuple(o for offerings in self._offerings_by_provider().values() for o in offerings)

    def _offerings_by_provider(self) -> dict[str, tuple[OfferingTerms, ...]]:
        register = self.register_for_reading()
        cached = self._offerings_cache
        if cached is None or cached[0] != register.version:
            by_provider: dict[str, list[OfferingTerms]] = {}
            for oid in register.offerings:
                off: Offering = self.repository.get(oid)
                by_provider.setdefault(off.provider, []).append(terms_from_record(off))
            cached = (register.version, {k: tuple(v) for k, v in by_provider.items()})
            self._offerings_cache = cached
        return cached[1]

    def register_offering(self, provider: str, code: str, terms: dict, actor: str) -> Offering:
        self.provider(provider)
        clean = validate_offering(self.catalogue(), self.offerings(provider), code, terms)

        def command() -> Offering:
            register = self.register()
            oid = offering_id(provider, code)
            if oid in register.offerings:
                raise Invalid(f"Das Angebot «{code}» gibt es bei {provider} schon", "code", code)
            offering = Offering(provider=provider, code=code, terms=clean, actor=actor)
            register.list_offering(offering.id)
            self.save(register, offering)
            return offering

        return self.retrying(command)

    def change_offering(self, provider: str, code: str, changes: dict, actor: str, *,
                        agreed_tariff: tuple[str, str] | None = None) -> Offering:
        """The terms in `changes` replace the offering's; `agreed_tariff` (unit, CHF) sets one agreed tariff and
        keeps the others."""
        offering: Offering | None = self.get_or_none(offering_id(provider, code))
        if offering is None or offering.provider != provider:
            raise NotFound(f"Angebot «{code}» von {provider} nicht gefunden")
        if agreed_tariff is not None:
            unit, chf = agreed_tariff
            changes = {**changes, "agreed_tariffs": {**(offering.terms.get("agreed_tariffs") or {}), unit: chf}}
        others = [o for o in self.offerings(provider) if o.code != offering.code]
        if "postcode" in changes and "location" not in changes:
            changes = {**changes, "location": ""}  # a new postcode brings its own place
        clean = validate_offering(self.catalogue(), others, code, {**offering.terms, **changes})

        def command() -> Offering:
            current: Offering = self.repository.get(offering.id)
            register = self.register()
            current.change(terms=clean, actor=actor)
            register.note_offering_changed(current.id)
            self.save(register, current)
            return current

        return self.retrying(command)
