"""Kostengutsprachen recorded by the provider (issue 19, points 2 and 3): API, CSV upload, the list with approved /
used / remaining, the participant sealed, bad input refused as a whole, billing consuming them, and invoices
checked again (an event) when one is recorded or changed after they arrived."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.integration.web_cases import login, upload

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
KGS_HEADER = "Kostengutsprache;Sozialdienst;Teilnehmer;Programm;Gültig ab;Gültig bis;Menge;Betrag"
APPROVAL = {"reference": "KGS-OL-2025-031", "social_service": "SD-OLTEN", "participant": "S-0103",
            "programme": "Beschäftigung I", "valid_from": "2025-01-01", "valid_to": "2025-12-31", "quantity": "30"}


def invoice(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def sh_line(month: str, days: str = "21.7", ref: str = "KGS-OL-2025-031") -> str:
    amount = f"{float(days.replace(',', '.')) * 35:.2f}"
    return f"{month};S-0103;Beschäftigung I;Sozialhilfe;{ref};Einsatztag;{days};35.00;{amount}"


def register_social_services(supervision, tokens) -> None:
    body = ("Code;Name;Adresse;Gültig ab\nSD-OLTEN;Sozialdienst Olten;4600 Olten;2020-01-01\n"
            "SD-GRENCHEN;Sozialregion Grenchen;2540 Grenchen;2020-01-01\n").encode()
    r = supervision.post("/api/v1/social-services", content=body,
                         headers={**tokens(role="admin"), "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text


def kgs_codes(line: dict) -> list[str]:
    return [f["code"] for f in line["findings"] if f["code"].startswith("cost_approval")]


def post_invoice(reporting, headers, body: bytes) -> dict:
    r = reporting.post("/api/v1/invoices", content=body, headers={**headers, "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    return r.json()


def test_recorded_approval_is_listed_with_approved_used_remaining_and_the_participant_sealed(
        reporting, supervision, tokens, portal):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    r = reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=prov)
    assert r.status_code == 201, r.text
    assert r.json()["approved"] == {"quantity": "30", "amount": None}
    post_invoice(reporting, prov, invoice(sh_line("03.2025")))
    listed = reporting.get("/api/v1/cost-approvals", headers=prov).json()
    assert len(listed) == 1
    a = listed[0]
    assert (a["participant"], a["social_service"], a["programme"]) == ("S-0103", "SD-OLTEN", "beschaeftigung-1")
    assert a["social_service_name"] == "Sozialdienst Olten" and a["reference"] == "KGS-OL-2025-031"
    assert a["used"] == {"quantity": "21.7", "amount": "759.50"}
    assert a["remaining"] == {"quantity": "8.3", "amount": None}
    stored = b"".join(n.state for n in portal.reporting.recorder.select_notifications(1, 10_000)
                      if n.topic.startswith("shared.costapprovals"))
    assert b"SD-OLTEN" in stored  # the state is readable text: what is absent is sealed
    assert b"S-0103" not in stored and b"KGS-OL" not in stored.upper()  # both personal, sealed
    assert reporting.get("/api/v1/cost-approvals", headers=tokens("oltech")).json() == []


def test_a_second_invoice_takes_only_what_remains(reporting, supervision, tokens):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=prov)
    first = post_invoice(reporting, prov, invoice(sh_line("03.2025")))
    assert first["lines"][0]["allowed"] == "759.50"
    second = post_invoice(reporting, prov, invoice(sh_line("04.2025")))
    line = second["lines"][0]
    assert kgs_codes(line) == ["cost_approval_exceeded"]
    assert line["allowed"] == "290.50"  # 8.3 days × 35.00
    assert "8.3" in line["trace"][-1]


def test_bad_rows_refuse_the_whole_file_with_row_column_and_value(reporting, supervision, tokens):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    body = "\n".join([
        KGS_HEADER,
        "KGS-1;SD-OLTEN;S-0001;Beschäftigung I;01.01.2025;31.12.2025;100;",
        "KGS-2;SD-NIRGENDS;S-0002;Beschäftigung I;01.01.2025;31.12.2025;;",
        "KGS-3;SD-OLTEN;S-0003;Beschäftigung I;01.06.2025;31.05.2025;;",
        "KGS-4;Sozialregion Grenchen;S-0004;Beschäftigung I;01.01.2025;31.12.2025;10;5000.00",
        "KGS-1;SD-OLTEN;S-0005;Beschäftigung I;01.01.2025;31.12.2025;;",
    ]).encode()
    r = reporting.post("/api/v1/cost-approvals", content=body, headers={**prov, "Content-Type": "text/csv"})
    assert r.status_code == 422, r.text
    errors = {(e["row"], e["column"]): e for e in r.json()["errors"]}
    assert errors[(4, "Gültig bis")]["value"] == "2025-05-31"
    assert errors[(5, "Betrag")]["value"] == "5000.00"
    assert errors[(6, "Kostengutsprache")]["value"] == "KGS-1" and "Zeile 2" in errors[(6, "Kostengutsprache")]["message"]
    good = "\n".join([KGS_HEADER, "KGS-2;SD-NIRGENDS;S-0002;Beschäftigung I;01.01.2025;31.12.2025;;"]).encode()
    r = reporting.post("/api/v1/cost-approvals", content=good, headers={**prov, "Content-Type": "text/csv"})
    assert r.status_code == 422
    assert (r.json()["errors"][0]["row"], r.json()["errors"][0]["column"]) == (2, "Sozialdienst")
    assert reporting.get("/api/v1/cost-approvals", headers=prov).json() == []


def test_a_reference_already_recorded_for_another_participant_is_refused(reporting, supervision, tokens):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    assert reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=prov).status_code == 201
    r = reporting.post("/api/v1/cost-approvals", json={**APPROVAL, "participant": "S-0999"}, headers=prov)
    assert r.status_code == 422
    e = r.json()["errors"][0]
    assert (e["row"], e["column"], e["value"]) == (1, "Kostengutsprache", "KGS-OL-2025-031")


def test_an_approval_recorded_after_the_invoice_checks_it_again_as_an_event(reporting, supervision, tokens):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    inv = post_invoice(reporting, prov, invoice(sh_line("03.2025")))
    assert inv["lines"][0]["allowed"] == "759.50"
    r = reporting.post("/api/v1/cost-approvals", json={**APPROVAL, "quantity": None, "amount": "500.00"},
                       headers=prov)
    assert r.status_code == 201, r.text
    again = reporting.get(f"/api/v1/invoices/{inv['id']}", headers=prov).json()
    assert again["lines"][0]["allowed"] == "500.00"
    assert kgs_codes(again["lines"][0]) == ["cost_approval_exceeded"]
    history = reporting.get(f"/api/v1/invoices/{inv['id']}/history", headers=prov).json()
    assert [h["type"] for h in history][-1] == "Reevaluated"
    # changed again: a larger amount lifts the limit, another event
    reporting.post("/api/v1/cost-approvals", json={**APPROVAL, "quantity": None, "amount": "2000.00"},
                   headers=prov)
    again = reporting.get(f"/api/v1/invoices/{inv['id']}", headers=prov).json()
    assert again["lines"][0]["allowed"] == "759.50" and kgs_codes(again["lines"][0]) == []
    listed = reporting.get("/api/v1/cost-approvals", headers=prov).json()
    assert listed[0]["used"]["amount"] == "759.50" and listed[0]["remaining"]["amount"] == "1240.50"


def test_the_page_lists_them_and_the_home_page_warns_before_one_expires(reporting, supervision, tokens, accounts,
                                                                         clock):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    soon = clock().date().isoformat()
    reporting.post("/api/v1/cost-approvals", json={**APPROVAL, "valid_to": soon, "valid_from": "2020-01-01"},
                   headers=prov)
    assert login(reporting, "anna").status_code == 303
    long_ago = (clock().date() - timedelta(days=32)).isoformat()  # over for more than a month: kept apart
    reporting.post("/api/v1/cost-approvals", json={**APPROVAL, "reference": "KGS-OL-2020-001", "participant": "S-9",
                                                   "valid_from": "2020-01-01", "valid_to": long_ago}, headers=prov)
    page = reporting.get("/kostengutsprachen")
    assert page.status_code == 200 and "Sozialdienst Olten" in page.text
    in_force, past = page.text.split('<details class="past">')
    assert "KGS-OL-2025-031" in in_force and "läuft bald ab" in in_force and "KGS-OL-2020-001" not in in_force
    assert "<summary>1 abgelaufene Kostengutsprache" in past and "KGS-OL-2020-001" in past
    home = reporting.get("/meldungen")
    assert "Kostengutsprachen: bitte beim Sozialdienst verlängern lassen" in home.text
    body = "\n".join([KGS_HEADER, "KGS-9;SD-NIRGENDS;S-0002;Beschäftigung I;01.01.2025;31.12.2025;;"]).encode()
    r = upload(reporting, "/kostengutsprachen", body, "kgs.csv")
    assert r.status_code == 422 and "SD-NIRGENDS" in r.text and "nichts gespeichert" in r.text


def test_at_a_years_end_the_home_page_counts_the_approvals_to_renew_and_folds_the_list(
        reporting, supervision, tokens, accounts, clock):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    today = clock().date()
    for i in range(7):  # six run out within a month, one is over since yesterday
        ends = today + timedelta(days=10) if i < 6 else today - timedelta(days=1)
        r = reporting.post("/api/v1/cost-approvals", headers=prov, json={
            **APPROVAL, "reference": f"KGS-OL-2025-10{i}", "participant": f"S-010{i}", "valid_from": "2020-01-01",
            "valid_to": ends.isoformat()})
        assert r.status_code == 201, r.text
    assert login(reporting, "anna").status_code == 303
    home = reporting.get("/meldungen").text
    box = home[home.index('id="kgs-warn"'):home.index("</section>", home.index('id="kgs-warn"'))]
    assert "7 Kostengutsprachen: 1 abgelaufen, 6 laufen bald ab." in box
    counts, folded = box.split("<details>")
    assert "KGS-OL-2025-100" not in counts and folded.count("<li>") == 7 and "&lt;li&gt;" not in folded


def test_a_correction_that_uses_less_gives_the_rest_to_the_invoices_after_it(reporting, supervision, tokens):
    register_social_services(supervision, tokens)
    prov = tokens("regiomech")
    reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=prov)  # 30 days
    january = post_invoice(reporting, prov, invoice(sh_line("01.2025", "20")))
    february = post_invoice(reporting, prov, invoice(sh_line("02.2025", "20")))
    assert february["lines"][0]["allowed"] == "350.00"  # 10 of 20 days left
    r = reporting.post(f"/api/v1/invoices/{january['id']}/versions", content=invoice(sh_line("01.2025", "5")),
                       headers={**prov, "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    again = reporting.get(f"/api/v1/invoices/{february['id']}", headers=prov).json()
    assert again["lines"][0]["allowed"] == "700.00" and kgs_codes(again["lines"][0]) == []
    history = reporting.get(f"/api/v1/invoices/{february['id']}/history", headers=prov).json()
    assert history[-1]["type"] == "Reevaluated"
    listed = reporting.get("/api/v1/cost-approvals", headers=prov).json()[0]
    assert listed["used"]["quantity"] == "25" and listed["remaining"]["quantity"] == "5"


def test_the_social_service_of_a_reference_follows_the_book_as_approvals_are_recorded_and_changed(
        reporting, supervision, tokens, portal):
    register_social_services(supervision, tokens)
    rep, prov = portal.reporting, tokens("regiomech")
    assert rep.social_services_by_reference("regiomech") == {}
    assert reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=prov).status_code == 201
    key = rep.reference_key("regiomech", APPROVAL["reference"])
    assert rep.social_services_by_reference("regiomech") == {key: "SD-OLTEN"}  # the new event read
    post_invoice(reporting, prov, invoice(sh_line("03.2025")))  # a «Consumed»: nothing changes here
    assert rep.social_services_by_reference("regiomech") == {key: "SD-OLTEN"}
    changed = {**APPROVAL, "social_service": "SD-GRENCHEN"}
    assert reporting.post("/api/v1/cost-approvals", json=changed, headers=prov).status_code in (200, 201)
    assert rep.social_services_by_reference("regiomech") == {key: "SD-GRENCHEN"}
    head = rep.recorder.max_notification_id()
    assert rep.social_services_by_reference("regiomech", head) == {key: "SD-GRENCHEN"}
    assert rep.social_services_by_reference("oltech", head) == {}


def test_the_home_pages_warnings_follow_each_invoice_from_the_book_kept_and_a_shredded_participant_shows_at_once(
        reporting, supervision, tokens, portal):
    from shared.costapprovals.domain.book import cost_approval_book_id
    from shared.privacy.sealing import SHREDDED
    from shared.privacy.shredding import shred_participant

    register_social_services(supervision, tokens)
    rep, prov = portal.reporting, tokens("regiomech")
    assert rep.cost_approval_warnings("regiomech") == []
    assert reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=prov).status_code == 201
    assert rep.cost_approval_warnings("regiomech") == []  # 30 days, none used
    post_invoice(reporting, prov, invoice(sh_line("03.2025")))  # 21.7 used: 8.3 left, less than a month's use
    warned = rep.cost_approval_warnings("regiomech")
    assert [(w["reference"], w["participant"], w["warning"], w["remaining"]["quantity"]) for w in warned] == [
        ("KGS-OL-2025-031", "S-0103", "runs_out", "8.3")]
    assert rep.followed.replays == 1  # the invoice's «Consumed» was read alone, the book not replayed again
    # the same as the views made from a book replayed whole, each approval's usage summed on its own
    book, today = rep.get_or_none(cost_approval_book_id("regiomech")), rep.deadlines.local_date(rep.clock())
    assert rep.cost_approvals("regiomech") == [rep.cost_approval_view(book, key, today) for key in book.approvals]
    shred_participant(portal, "regiomech", "S-0103", "test")  # no event of the book: the keys are gone
    after = rep.cost_approval_warnings("regiomech")
    assert (after[0]["participant"], after[0]["reference"], after[0]["warning"]) == (SHREDDED, SHREDDED, "runs_out")


def test_finance_reads_a_reference_opened_once_and_shows_it_shredded_once_the_participants_key_is_gone(
        reporting, supervision, tokens, portal, monkeypatch):
    from shared.privacy.sealing import SHREDDED
    from shared.privacy.shredding import shred_participant
    from shared.readmodels import funding

    register_social_services(supervision, tokens)
    post_invoice(reporting, tokens("regiomech"), invoice(sh_line("03.2025")))
    first = portal.views.funding_sums(["2025-03"]).references
    assert first == {("regiomech", "KGS-OL-2025-031"): Decimal("759.50")}
    opened = []
    monkeypatch.setattr(funding, "reference_texts", lambda *a: opened.append(a) or {})  # a sealed part read
    assert portal.views.funding_sums(["2025-03"]).references == first and opened == []  # remembered
    shred_participant(portal, "regiomech", "S-0103", "test")
    assert portal.views.funding_sums(["2025-03"]).references == {("regiomech", SHREDDED): Decimal("759.50")}
    assert opened == []  # not opened again: the key is gone
