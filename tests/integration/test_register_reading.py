"""An upload reads the register once (shared/register/application/moment): the catalogue, the offerings and the
agreements it asks for come from the register it started with; outside an upload every read still sees a change
at once. On SQLite the register's head is read only after a commit to the store (shared/store/watch.py). On
SQLite and on PostgreSQL."""
from __future__ import annotations

from shared.register.application.moment import held, one_register
from shared.register.domain.register import REGISTER_ID
from tests.integration.projector_cases import csv
from tests.integration.test_invoice_file_reads import counted_reads

LINE = "03.2025;RM-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;2;100;200"


def test_an_upload_reads_the_registers_head_once_and_on_sqlite_not_without_a_commit(portal, settings):
    portal.reporting.submit_invoice("regiomech", csv(LINE), "test")  # the caches are warm
    with counted_reads(portal.supervision.recorder) as reads:
        stored = portal.reporting.submit_invoice("regiomech", csv(LINE, LINE.replace("RM-1", "RM-2")), "test")
    assert stored.created and reads[str(REGISTER_ID)] == (1 if settings.database_url else 0)
    assert "review" not in stored.document or stored.document["review"] in (None, {})


def test_within_one_register_each_ask_gets_the_same_register_and_outside_a_change_is_seen(portal, settings):
    sup = portal.supervision
    with one_register():
        first = sup.register_for_reading()
        assert held(sup) is first and sup.register_for_reading() is first
    assert held(sup) is None  # outside: nothing held
    before = sup.register_for_reading().version
    with counted_reads(portal.supervision.recorder) as reads:
        sup.register_for_reading()
        sup.register_for_reading()
    # outside a command each read looks whether it moved: on SQLite whether the store took a commit (no read)
    assert reads[str(REGISTER_ID)] == (2 if settings.database_url else 0)
    with one_register():
        held_before = sup.register_for_reading()
        sup.register_offering("regiomech", "RM-NEU", {"programme_type": "qualifizierung", "places": 10,
                                                      "valid_from": "2025-01-01"}, "user:sara")
        assert sup.register_for_reading() is held_before  # within the command: the register it started with
    assert sup.register_for_reading().version > before


def test_a_change_by_another_process_is_seen_at_once(portal, settings):
    """Another process (a second portal on the same store) registers an offering: the next read here has it,
    though nothing was committed through this one."""
    from shared.portal import open_portal

    sup = portal.supervision
    before = sup.register_for_reading()
    assert not any(o.code == "RM-ANDERS" for o in sup.offerings("regiomech"))
    other = open_portal(settings)
    try:
        other.supervision.register_offering("regiomech", "RM-ANDERS", {
            "programme_type": "qualifizierung", "places": 10, "valid_from": "2025-01-01"}, "user:sara")
    finally:
        other.close()
    assert sup.register_for_reading().version > before.version
    assert any(o.code == "RM-ANDERS" for o in sup.offerings("regiomech"))
