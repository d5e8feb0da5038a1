"""The social services' register as use cases (mixed into the supervision Application): register, change and
import entries (an admin), each an event with its actor; read an entry, all entries, and an entry's history."""
from __future__ import annotations

from shared.kernel.errors import Invalid, NotFound
from shared.socialservices.domain.entry import SocialServiceEntry, clean_code, social_service_entry
from shared.socialservices.domain.register import (
    SOCIAL_SERVICE_REGISTER_ID,
    SocialService,
    SocialServiceRegister,
    social_service_id,
)
from shared.store.history import read_history
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected
from shared.submissions.parsers.limits import Limits
from shared.submissions.parsers.shown import value_text
from shared.submissions.parsers.table_rows import Column, read_table

CSV_COLUMNS = (
    Column("code", "Code", True, ("Kürzel", "Kuerzel")),
    Column("name", "Name", True),
    Column("address", "Adresse", False),
    Column("valid_from", "Gültig ab", True, ("Gueltig ab",)),
    Column("valid_to", "Gültig bis", False, ("Gueltig bis",)),
)
HEADERS = {c.key: c.header for c in CSV_COLUMNS}


def _entry(record: SocialService) -> SocialServiceEntry:
    return SocialServiceEntry(record.code, record.name, record.address, record.valid_from, record.valid_to,
                              record.demo)


class SocialServiceCommands:
    """Mixed into SupervisionApplication; the entries are read once per version of the register."""

    _social_services_cache: tuple[int, dict[str, SocialServiceEntry]] | None = None

    # --- reads ---------------------------------------------------------------------------------------
    def social_services(self) -> dict[str, SocialServiceEntry]:
        """Every registered social service by code (capitals), in the order registered."""
        head = self.recorder.select_events(SOCIAL_SERVICE_REGISTER_ID, desc=True, limit=1)
        version = head[0].originator_version if head else 0
        cached = self._social_services_cache
        if cached is None or cached[0] != version:
            register = self.get_or_none(SOCIAL_SERVICE_REGISTER_ID)
            codes = register.codes if register is not None else []
            entries = {code: _entry(self.repository.get(social_service_id(code))) for code in codes}
            cached = self._social_services_cache = (version, entries)
        return cached[1]

    def social_service(self, code_or_name: str | None,
                       entries: dict[str, SocialServiceEntry] | None = None) -> SocialServiceEntry | None:
        """The social service of a code or (as providers write it) its exact name, case ignored; None if unknown.
        `entries`: social_services() read once by a caller that looks up many."""
        text = (code_or_name or "").strip()
        if not text:
            return None
        entries = self.social_services() if entries is None else entries
        found = entries.get(text.upper())
        if found is None:
            folded = text.casefold()
            found = next((e for e in entries.values() if e.name.casefold() == folded), None)
        return found

    def social_service_history(self, code: str) -> list[dict]:
        """Every event of an entry: type, time, actor and the values it recorded."""
        entry = self.social_service(code)
        if entry is None:
            raise NotFound(f"Sozialdienst «{code}» ist nicht registriert")
        history = []
        for item in read_history(self, social_service_id(entry.code)):
            data = item.data.get("changes") or {k: v for k, v in item.data.items() if k in HEADERS or k == "demo"}
            history.append({"event": item.event, "time": item.time.isoformat(), "actor": item.actor,
                            "version": item.version, "values": dict(data)})
        return history

    # --- commands ------------------------------------------------------------------------------------
    def record_social_service(self, data: dict, actor: str, *, demo: bool = False) -> tuple[SocialServiceEntry, bool]:
        """Register a new social service, or record the changes of one with that code (Invalid if nothing
        differs). (entry, created)."""
        entry = social_service_entry(data, demo=demo)
        return self.retrying(lambda: self._record_social_services([entry], actor))[0]

    def import_social_services(self, data: bytes, actor: str, *, content_type: str | None = None,
                               filename: str | None = None, demo: bool = False) -> list[tuple]:
        """The first load from CSV/XLSX/JSON (Code; Name; Adresse; Gültig ab; Gültig bis): all rows or none;
        every problem with row, column and value."""
        rows = read_table(data, CSV_COLUMNS, content_type=content_type, filename=filename, limits=Limits(),
                          sheet_names=("sozialdienste",), json_keys=("social_services",))
        entries, errors, seen = [], [], {}
        for row in rows:
            try:
                entry = social_service_entry({k: v for k, v in row.values.items()}, demo=demo)
            except Invalid as exc:
                errors.append(FormatIssue(row.row, HEADERS.get(exc.field or "", exc.field), value_text(exc.value),
                                          exc.message))
                continue
            if entry.code in seen:
                errors.append(FormatIssue(row.row, "Code", entry.code,
                                          f"Der Code «{entry.code}» steht schon in Zeile {seen[entry.code]}"))
                continue
            seen[entry.code] = row.row
            entries.append(entry)
        if errors:
            raise SubmissionRejected(errors)
        return self.retrying(lambda: self._record_social_services(entries, actor, allow_unchanged=True))

    def _record_social_services(self, entries: list[SocialServiceEntry], actor: str,
                allow_unchanged: bool = False) -> list[tuple[SocialServiceEntry, bool]]:
        register = self.get_or_none(SOCIAL_SERVICE_REGISTER_ID) or SocialServiceRegister()
        changed: list = [register]
        result = []
        for entry in entries:
            if entry.code not in register.codes:
                changed.append(SocialService(code=entry.code, name=entry.name, address=entry.address,
                                             valid_from=entry.valid_from, valid_to=entry.valid_to, demo=entry.demo,
                                             actor=actor))
                register.list_code(entry.code)
                result.append((entry, True))
                continue
            record: SocialService = self.repository.get(social_service_id(entry.code))
            wanted = {k: v for k, v in entry.as_dict().items() if k not in ("code", "demo")}
            changes = {k: v for k, v in wanted.items() if getattr(record, k) != v}
            if not changes:
                if not allow_unchanged:
                    raise Invalid(f"Der Sozialdienst «{entry.code}» ist schon so registriert", "code", entry.code)
                result.append((_entry(record), False))
                continue
            record.change(changes=changes, actor=actor)
            register.note_changed(entry.code)
            changed.append(record)
            result.append((_entry(record), True))
        self.save(*changed)
        return result

    def require_social_service(self, code_or_name: str) -> SocialServiceEntry:
        found = self.social_service(code_or_name)
        if found is None:
            raise Invalid(f"Der Sozialdienst «{code_or_name}» ist nicht im Register des Kantons", "social_service",
                          code_or_name)
        return found


__all__ = ["SocialServiceCommands", "clean_code"]
