"""The canton's side: the register, tariff editions, access (tokens, accounts), reviews and finance."""
from __future__ import annotations

import csv
import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from uuid import UUID

from shared.access.domain.accounts import AccessDirectory, Account, ApiToken, account_id, token_id
from shared.access.domain.roles import Principal, hash_password, new_token, token_hash, validate_role, verify_password
from shared.finance.application.commands import FinanceCommands
from shared.kernel.errors import Invalid, NotFound
from shared.register.domain.catalogue import UNITS, BillingRules, Catalogue, edition_from_rows
from shared.register.domain.offering import OfferingTerms
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
from shared.review.domain.review import InvoiceReview, review_id
from shared.review.domain.status import DECISIONS
from shared.store.application import PortalApplication

BOOTSTRAP_ACTOR = "system:bootstrap"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")


def _read_package_csv(name: str) -> list[dict]:
    text = resources.files("shared.register.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


class SupervisionApplication(FinanceCommands, PortalApplication):
    name = "supervision"

    def __init__(self, env=None, *, sealer=None) -> None:
        super().__init__(env, sealer=sealer)
        self._catalogue_cache: tuple[int, Catalogue] | None = None
        self._register_cache: Register | None = None
        self._offerings_cache: tuple[int, dict[str, tuple[OfferingTerms, ...]]] | None = None

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
        version costs one indexed row, its replay a hundred events). Never change the returned object."""
        head = self.recorder.select_events(REGISTER_ID, desc=True, limit=1)
        version = head[0].originator_version if head else 0
        cached = self._register_cache
        if cached is None or cached.version < version:
            cached = self._register_cache = self.repository.get(REGISTER_ID)
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
        return [self.repository.get(provider_id(s)) for s in self.provider_slugs()]

    def catalogue(self) -> Catalogue:
        register = self.register_for_reading()
        cached = self._catalogue_cache
        if cached and cached[0] == register.version:
            return cached[1]
        editions = []
        for eid in register.editions:
            rec: TariffEditionRecord = self.repository.get(eid)
            rules = BillingRules(**{k: Decimal(v) for k, v in rec.rules.items()})
            editions.append(edition_from_rows(rec.label, date.fromisoformat(rec.valid_from), rec.rows, rules))
        catalogue = Catalogue(tuple(editions))
        self._catalogue_cache = (register.version, catalogue)
        return catalogue

    def publish_edition(self, label: str, valid_from: date, rows: list[dict], actor: str) -> TariffEditionRecord:
        """A new edition: rows shaped like the tariff CSV (programme_type, name_de, category, unit, max_chf,
        monthly_cap_chf, social_assistance_only). Earlier editions stay in force for their months."""
        for i, row in enumerate(rows, start=1):
            try:
                if Decimal(str(row["max_chf"])) < 0:
                    raise InvalidOperation
            except (InvalidOperation, KeyError) as exc:
                raise Invalid(f"Zeile {i}: Höchsttarif «{row.get('max_chf')}» ist kein Betrag", "max_chf",
                              str(row.get("max_chf"))) from exc
            if row.get("unit") and row["unit"] not in UNITS:
                raise Invalid(f"Zeile {i}: unbekannte Leistung «{row['unit']}»", "unit", row["unit"])

        def command() -> TariffEditionRecord:
            register = self.register()
            record = TariffEditionRecord(label=label, valid_from=valid_from.isoformat(),
                                         rows=[{k: str(v) for k, v in r.items()} for r in rows],
                                         rules={k: str(v) for k, v in BillingRules().__dict__.items()}, actor=actor)
            if record.id in register.editions:
                raise Invalid(f"Ab {valid_from:%d.%m.%Y} gilt bereits eine Tarifausgabe", "valid_from",
                              valid_from.isoformat())
            register.list_edition(record.id)
            self.save(register, record)
            return record

        return self.retrying(command)

    def editions(self) -> list[TariffEditionRecord]:
        return [self.repository.get(e) for e in self.register_for_reading().editions]

    def register_provider(self, slug: str, name: str, website: str, actor: str) -> Provider:
        """A new provider in the register (the 26 of the brochure come with the bootstrap)."""
        if not SLUG.fullmatch(slug or ""):
            raise Invalid(f"Kürzel «{slug}»: nur Kleinbuchstaben, Ziffern und Bindestriche (2–40 Zeichen)", "slug",
                          slug)
        if not (name or "").strip():
            raise Invalid("Der Name darf nicht leer sein", "name", name)

        def command() -> Provider:
            register = self.register()
            if slug in register.providers:
                raise Invalid(f"Den Anbieter «{slug}» gibt es schon", "slug", slug)
            provider = Provider(slug=slug, name=name.strip(), website=(website or "").strip(),
                                integration_arbeit_test=False, actor=actor)
            register.list_provider(slug)
            self.save(register, provider)
            return provider

        return self.retrying(command)

    def change_provider(self, slug: str, changes: dict, actor: str) -> Provider:
        provider = self.provider(slug)
        allowed = {"name", "website", "contact", "active"}
        unknown = set(changes) - allowed
        if unknown:
            raise Invalid(f"Unbekanntes Feld «{sorted(unknown)[0]}»", sorted(unknown)[0], None)
        if "name" in changes and not str(changes["name"]).strip():
            raise Invalid("Der Name darf nicht leer sein", "name", "")
        provider.change(changes=changes, actor=actor)
        self.save(provider)
        return provider

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
        found = [self.repository.get(a) for a in self.register_for_reading().agreements]
        return [a for a in found if a.provider == provider]

    def offerings(self, provider: str) -> tuple[OfferingTerms, ...]:
        """The provider's offerings; all offerings are read once per register version (every change moves it)."""
        register = self.register_for_reading()
        cached = self._offerings_cache
        if cached is None or cached[0] != register.version:
            by_provider: dict[str, list[OfferingTerms]] = {}
            for oid in register.offerings:
                off: Offering = self.repository.get(oid)
                by_provider.setdefault(off.provider, []).append(terms_from_record(off))
            cached = (register.version, {k: tuple(v) for k, v in by_provider.items()})
            self._offerings_cache = cached
        return cached[1].get(provider, ())

    def register_offering(self, provider: str, code: str, terms: dict, actor: str) -> Offering:
        self.provider(provider)
        clean = self._validate_offering(provider, code, terms)

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

    def change_offering(self, provider: str, code: str, changes: dict, actor: str) -> Offering:
        offering: Offering | None = self.get_or_none(offering_id(provider, code))
        if offering is None or offering.provider != provider:
            raise NotFound(f"Angebot «{code}» von {provider} nicht gefunden")
        clean = self._validate_offering(provider, code, {**offering.terms, **changes}, exclude=offering.id)

        def command() -> Offering:
            current: Offering = self.repository.get(offering.id)
            register = self.register()
            current.change(terms=clean, actor=actor)
            register.note_offering_changed(current.id)
            self.save(register, current)
            return current

        return self.retrying(command)

    def _validate_offering(self, provider: str, code: str, terms: dict, exclude: UUID | None = None) -> dict:
        catalogue = self.catalogue()
        pt = terms.get("programme_type", "")
        if pt not in catalogue.programme_types:
            raise Invalid(f"Unbekannte Programmart «{pt}»", "programme_type", pt)
        try:
            valid_from = date.fromisoformat(str(terms["valid_from"]))
            valid_to = date.fromisoformat(str(terms["valid_to"])) if terms.get("valid_to") else None
        except (KeyError, ValueError) as exc:
            raise Invalid("Gültig ab/bis: Datum im Format JJJJ-MM-TT angeben", "valid_from",
                          str(terms.get("valid_from"))) from exc
        if valid_to and valid_to < valid_from:
            raise Invalid("«Gültig bis» liegt vor «Gültig ab»", "valid_to", valid_to.isoformat())
        try:
            places = int(terms.get("places", 0))
        except (TypeError, ValueError) as exc:
            raise Invalid(f"Plätze «{terms.get('places')}» ist keine ganze Zahl", "places",
                          str(terms.get("places"))) from exc
        if places < 0:
            raise Invalid("Plätze darf nicht negativ sein", "places", str(places))
        from shared.kernel.periods import Period

        edition = catalogue.edition_for(Period.of(valid_from))
        agreed: dict[str, str] = {}
        for unit, price in (terms.get("agreed_tariffs") or {}).items():
            if unit not in edition.billable_units(pt):
                raise Invalid(f"Die Programmart «{pt}» kennt die Leistung «{unit}» nicht", "agreed_tariffs", unit)
            try:
                value = Decimal(str(price))
            except InvalidOperation as exc:
                raise Invalid(f"Vereinbarter Tarif «{price}» ist kein Betrag", "agreed_tariffs", str(price)) from exc
            maximum = edition.tariff(pt, unit).max_price
            if value > maximum or value < 0:
                raise Invalid(f"Vereinbarter Tarif CHF {value:.2f} für {unit} liegt über dem Höchsttarif "
                              f"CHF {maximum:.2f} der Ausgabe {edition.label}", "agreed_tariffs", str(price))
            agreed[unit] = f"{value:.2f}"
        for other in self.offerings(provider):
            if other.code == code and offering_id(provider, other.code) != exclude:
                if other.valid_from <= (valid_to or date.max) and valid_from <= (other.valid_to or date.max):
                    raise Invalid(f"Die Gültigkeit überschneidet sich mit dem Angebot «{code}»", "valid_from",
                                  valid_from.isoformat())
        return {"programme_type": pt, "name": str(terms.get("name") or code),
                "location": str(terms.get("location", "")),
                "postcode": str(terms.get("postcode", "")), "places": places, "agreed_tariffs": agreed,
                "valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat() if valid_to else None}

    # --- reviews ------------------------------------------------------------------------------
    def review_of(self, invoice_id: UUID) -> InvoiceReview | None:
        return self.get_or_none(review_id(invoice_id))

    def _review(self, invoice) -> InvoiceReview:
        review = self.review_of(invoice.id) or InvoiceReview(invoice_id=invoice.id, provider=invoice.provider,
                                                             period=invoice.period)
        review.attach_sealer(self.sealer)
        return review

    def _sealed_text(self, invoice, text: str) -> str:
        """A comment may name a participant: sealed with the invoice's document key."""
        sealer = self.required_sealer()
        return sealer.seal_text(sealer.document_subject(str(invoice.id)), text)

    def review_finding(self, invoice, row: int, code: str, decision: str, comment: str, actor: str) -> dict:
        if decision not in DECISIONS:
            raise Invalid(f"Entscheid «{decision}» ist ungültig: confirmed oder waived", "decision", decision)
        if decision == "waived" and not (comment or "").strip():
            raise Invalid("Wer einen Befund erlässt, begründet es im Kommentar", "comment", comment)
        lines = [ln for ln in invoice.result["lines"] if ln["row"] == row]
        if not lines or not any(f["code"] == code for f in lines[0]["findings"]):
            raise NotFound(f"Kein Befund «{code}» in Zeile {row} dieser Rechnung")

        def command() -> dict:
            review = self._review(invoice)
            review.review_finding(row=row, code=code, decision=decision,
                                  comment=self._sealed_text(invoice, comment or ""), actor=actor,
                                  version=invoice.document_version)
            self.save(review)
            return review.decision(row, code)

        return self.retrying(command)

    def approve(self, invoice, comment: str, actor: str) -> InvoiceReview:
        def command() -> InvoiceReview:
            review = self._review(invoice)
            review.approve(version=invoice.document_version, comment=self._sealed_text(invoice, comment or ""),
                           actor=actor)
            self.save(review)
            return review

        return self.retrying(command)

    def return_for_correction(self, invoice, reason: str, actor: str) -> InvoiceReview:
        if not (reason or "").strip():
            raise Invalid("Bitte den Grund für die Rückweisung angeben", "reason", reason)

        def command() -> InvoiceReview:
            review = self._review(invoice)
            review.return_for_correction(version=invoice.document_version,
                                         reason=self._sealed_text(invoice, reason), actor=actor)
            self.save(review)
            return review

        return self.retrying(command)

    # --- access: tokens and accounts ---------------------------------------------------------
    def issue_token(self, role: str, provider: str | None, label: str, actor: str) -> str:
        validate_role(role, provider)
        if provider:
            self.provider(provider)
        token = new_token()

        def command() -> None:
            directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
            record = ApiToken(token_hash=token_hash(token), role=role, provider=provider, label=label, actor=actor)
            directory.list_token(record.id)
            self.save(directory, record)

        self.retrying(command)
        return token

    def authenticate_token(self, token: str) -> Principal | None:
        record: ApiToken | None = self.get_or_none(token_id(token_hash(token)))
        if record is None or record.revoked:
            return None
        return Principal(record.role, record.provider, f"token:{record.label or record.id.hex[:8]}")

    def tokens(self) -> list[ApiToken]:
        directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
        return [self.repository.get(t) for t in directory.tokens]

    def revoke_token(self, token_ref: str, actor: str) -> ApiToken:
        for record in self.tokens():
            if record.id.hex.startswith(token_ref.replace("-", "")) and not record.revoked:
                record.revoke(actor=actor)
                self.save(record)
                return record
        raise NotFound(f"Kein aktives Token «{token_ref}»")

    def create_account(self, username: str, password: str, role: str, provider: str | None, actor: str) -> Account:
        validate_role(role, provider)
        if provider:
            self.provider(provider)
        if len(password) < 12:
            raise Invalid("Das Passwort braucht mindestens 12 Zeichen", "password", None)

        def command() -> Account:
            directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
            if account_id(username) in directory.accounts:
                raise Invalid(f"Das Konto «{username}» gibt es schon", "username", username)
            account = Account(username=username, password_hash=hash_password(password), role=role,
                              provider=provider, actor=actor)
            directory.list_account(account.id)
            self.save(directory, account)
            return account

        return self.retrying(command)

    def accounts(self) -> list[Account]:
        directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
        return [self.repository.get(a) for a in directory.accounts]

    def disable_account(self, username: str, actor: str) -> Account:
        account: Account | None = self.get_or_none(account_id(username))
        if account is None:
            raise NotFound(f"Kein Konto «{username}»")
        account.disable(actor=actor)
        self.save(account)
        return account

    def login(self, username: str, password: str) -> Principal | None:
        account: Account | None = self.get_or_none(account_id(username))
        if account is None:
            verify_password(_dummy_hash(), password)  # same time whether or not the account exists
            return None
        if account.disabled or not verify_password(account.password_hash, password):
            return None
        return Principal(account.role, account.provider, f"user:{account.username}")

    def account_principal(self, username: str) -> Principal | None:
        account: Account | None = self.get_or_none(account_id(username))
        if account is None or account.disabled:
            return None
        return Principal(account.role, account.provider, f"user:{account.username}")


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-0000")


def terms_from_record(off: Offering) -> OfferingTerms:
    t = off.terms
    return OfferingTerms(
        provider=off.provider, programme_type=t["programme_type"], code=off.code, name=t.get("name", off.code),
        places=int(t.get("places", 0)), valid_from=date.fromisoformat(t["valid_from"]),
        valid_to=date.fromisoformat(t["valid_to"]) if t.get("valid_to") else None,
        agreed_tariffs={u: Decimal(p) for u, p in (t.get("agreed_tariffs") or {}).items()},
        location=t.get("location", ""), postcode=t.get("postcode", ""),
    )
