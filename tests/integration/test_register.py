"""The canton's register and tariff editions over the API (issue: provider register and tariff editions)."""
from __future__ import annotations

HEADER = "Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def upload(client, headers, body, path="/api/v1/invoices"):
    return client.post(path, content=body, headers={**headers, "Content-Type": "text/csv"})


def offering(supervision, headers, **over):
    body = {"code": "Q-OL", "programme_type": "qualifizierung", "name": "Qualifizierung Olten", "location": "Olten",
            "postcode": "4600", "places": 12, "valid_from": "2024-01-01", "agreed_tariffs": {"assignment_day": "75.00"}}
    body.update(over)
    return supervision.post("/api/v1/providers/regiomech/offerings", json=body, headers=headers)


def test_agreed_tariff_below_the_maximum_gives_tariff_above_agreed(reporting, supervision, tokens):
    sup = tokens(role="supervisor")
    assert offering(supervision, sup).status_code == 201
    inv = upload(reporting, tokens("regiomech"),
                 csv("02.2025;Q-1;Qualifizierung;Q-OL;Selbstzahler;;Einsatztag;10;78.00;780.00")).json()
    line = inv["lines"][0]
    codes = {f["code"] for f in line["findings"]}
    assert "tariff_above_agreed" in codes and "tariff_above_max" not in codes
    assert line["allowed"] == "750.00"
    assert "offering_not_registered" not in codes


def test_unknown_offering_code_is_a_clear_422(reporting, supervision, tokens):
    offering(supervision, tokens(role="supervisor"))
    r = upload(reporting, tokens("regiomech"),
               csv("02.2025;Q-1;Qualifizierung;NOPE;Selbstzahler;;Einsatztag;10;78.00;780.00"))
    assert r.status_code == 422
    err = r.json()["errors"][0]
    assert (err["row"], err["column"], err["value"]) == (2, "Angebot", "NOPE")
    assert "Q-OL" in err["message"]


def test_register_validation_messages(supervision, tokens):
    sup = tokens(role="supervisor")
    r = offering(supervision, sup, agreed_tariffs={"assignment_day": "95.00"})
    assert r.status_code == 422 and "Höchsttarif" in r.json()["errors"][0]["message"]
    r = offering(supervision, sup, agreed_tariffs={"coaching_hour": "50.00"})
    assert r.status_code == 422 and r.json()["errors"][0]["value"] == "coaching_hour"
    assert offering(supervision, sup).status_code == 201
    r = offering(supervision, sup, valid_from="2024-06-01")
    assert r.status_code == 422
    assert offering(supervision, tokens("regiomech")).status_code in (401, 403)


def test_history_of_a_changed_offering_lists_both_versions_with_actor_and_time(supervision, tokens):
    sup = tokens(role="supervisor")
    offering(supervision, sup)
    r = supervision.put("/api/v1/providers/regiomech/offerings/Q-OL", json={"places": 15}, headers=sup)
    assert r.status_code == 200 and r.json()["places"] == 15
    history = supervision.get("/api/v1/providers/regiomech/offerings/Q-OL/history", headers=sup).json()
    assert [h["type"] for h in history] == ["Registered", "Changed"]
    assert all(h["actor"].startswith("token:") and h["time"] for h in history)
    assert history[1]["changes"]["places"] == {"old": 12, "new": 15}


def test_new_edition_with_lower_maximum_applies_from_its_date_only(reporting, supervision, tokens, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    prov, sup = tokens("regiomech"), tokens(role="supervisor")
    old = upload(reporting, prov, csv("02.2025;Q-1;Qualifizierung;;Selbstzahler;;Einsatztag;10;78.00;780.00")).json()
    assert old["lines"][0]["allowed"] == "780.00"
    r = supervision.post("/api/v1/tariff-editions", headers=sup, json={
        "label": "2025/26", "valid_from": "2025-03-01",
        "tariffs": [{"programme_type": "qualifizierung", "unit": "assignment_day", "max_chf": "75.00"}]})
    assert r.status_code == 201, r.text
    assert [e["label"] for e in supervision.get("/api/v1/tariff-editions", headers=sup).json()] == ["2024/25", "2025/26"]
    new = upload(reporting, prov, csv("03.2025;Q-1;Qualifizierung;;Selbstzahler;;Einsatztag;10;78.00;780.00")).json()
    assert new["edition"] == "2025/26"
    assert new["lines"][0]["allowed"] == "750.00"
    assert "tariff_above_max" in {f["code"] for f in new["lines"][0]["findings"]}
    # re-checking the old invoice (a capacity report for its month triggers it) keeps the old edition's result
    clock.now = datetime(2025, 4, 20, 10, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    body = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n02.2025;Qualifizierung;12;10;1;0\n".encode()
    assert reporting.post("/api/v1/capacity-reports", content=body,
                          headers={**prov, "Content-Type": "text/csv"}).status_code == 201
    again = reporting.get(f"/api/v1/invoices/{old['id']}", headers=prov).json()
    assert again["edition"] == "2024/25" and again["lines"][0]["allowed"] == "780.00"
    assert "tariff_above_max" not in {f["code"] for f in again["lines"][0]["findings"]}


def test_providers_see_their_own_offerings_and_agreements_read_only(reporting, supervision, tokens):
    sup = tokens(role="supervisor")
    offering(supervision, sup)
    r = supervision.post("/api/v1/providers/regiomech/agreements", headers=sup,
                         json={"valid_from": "2025-01-01", "goals": ["Integration in den 1. Arbeitsmarkt"]})
    assert r.status_code == 201, r.text
    own = reporting.get("/api/v1/offerings", headers=tokens("regiomech")).json()
    assert [(o["code"], o["agreed_tariffs"]) for o in own] == [("Q-OL", {"assignment_day": "75.00"})]
    assert reporting.get("/api/v1/agreements", headers=tokens("regiomech")).json()[0]["goals"] == [
        "Integration in den 1. Arbeitsmarkt"]
    assert reporting.get("/api/v1/offerings", headers=tokens("oltech")).json() == []
    assert reporting.post("/api/v1/offerings", headers=tokens("regiomech"), json={}).status_code == 405


def test_the_provider_home_page_lists_its_offerings(reporting, supervision, tokens, portal):
    from tests.integration.web_cases import PASSWORD, login

    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    offering(supervision, tokens(role="supervisor"), name="Werkstatt <b>Olten</b>")
    assert login(reporting, "anna").status_code == 303
    page = reporting.get("/meldungen").text
    assert "Ihre Angebote" in page and "Q-OL" in page and "CHF 75.00" in page
    assert "Werkstatt &lt;b&gt;Olten&lt;/b&gt;" in page
