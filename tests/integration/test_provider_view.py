"""The provider's pages from read models (issue 16): the same months and findings as replaying every document.

The oracle (tests/provider_oracle.py) replays every invoice, capacity report and review of the provider; the
read model must give the same answer on the demo year, after a shredding too, on SQLite and PostgreSQL; and the
views must hold pseudonyms, never a participant's number."""
from __future__ import annotations

import json

from services.demo.generator import run_demo
from shared.privacy.shredding import shred_participant
from shared.readmodels.provider_view import provider_file, provider_home
from tests import provider_oracle as oracle

PROVIDERS = ["regiomech", "innopark", "impiega"]  # the most findings, duplicates quoting a number, a correction


def test_the_provider_pages_read_models_equal_the_replay_of_every_document(portal):
    run_demo(portal, providers=PROVIDERS, workers=2)
    for slug in PROVIDERS:
        home = provider_home(portal, slug)
        assert home == oracle.provider_home(portal, slug)
        for year in home["years"]:  # each year as the page's year picker shows it
            assert provider_home(portal, slug, year) == oracle.provider_home(portal, slug, year)
        assert any(inv["counts"]["total"] for m in home["months"] for inv in m["invoices"])
        found = provider_file(portal, slug)
        assert found == oracle.provider_file(portal, slug)
        for year in (None, *found["years"]):  # every page of each year, in the file's order (sorted in SQL)
            for page in range(1, provider_file(portal, slug, year=year, page_size=7)["pages"] + 2):
                assert (provider_file(portal, slug, year=year, page=page, page_size=7)
                        == oracle.provider_file(portal, slug, year=year, page=page, page_size=7))
        assert found["findings_total"] > 0 and any(f.get("review") for f in found["findings"])
        sealed = [r for r in portal.views.store.dump()["page_findings"] if r[0] in {f["invoice"] for f in
                                                                               found["findings"]} and r[8]]
        opened = [f for f in found["findings"] if f["code"] == "duplicate_line"]
        assert bool(sealed) == bool(opened) and all(f["message"] and f["participant"] in f["message"] for f in opened)
        reports = [r for m in found["months"] for r in m["reports"]]
        assert reports and all(r["filename"] and not r["filename"].startswith("sealed:") for r in reports)

    # a participant shredded: the views keep the figures, the pages name them «gelöscht» as the replay does
    assert any(f["code"] == "duplicate_line" for f in provider_file(portal, "innopark")["findings"])
    shown = provider_file(portal, "regiomech")["findings"]
    participant = next(f["participant"] for f in shown if f["participant"])
    shred_participant(portal, "regiomech", participant, "user:sara")
    after = provider_file(portal, "regiomech")
    assert after == oracle.provider_file(portal, "regiomech")
    assert participant not in {f["participant"] for f in after["findings"]}
    assert any((f["participant"] or "").startswith("gelöscht") for f in after["findings"])


def test_the_views_hold_pseudonyms_never_a_participants_number(portal):
    run_demo(portal, providers=["regiomech"], months=[1, 2], workers=1)
    numbers = {f["participant"] for f in provider_file(portal, "regiomech")["findings"] if f["participant"]}
    assert numbers
    dumped = json.dumps(portal.views.store.dump(), default=str)
    assert not [n for n in numbers if f'"{n}"' in dumped or f"'{n}'" in dumped]
    rows = portal.views.store.dump()["page_findings"]
    assert rows and all(r[7] is None or r[7].startswith("p:") for r in rows)  # the subject: a pseudonym
