"""The public finder and decision tool over the API (api.md «Public, no login»), on SQLite and PostgreSQL:
offerings by distance with the free places of the latest capacity report, German refusals, nothing personal,
ETag and 304, Cache-Control, no session or CSRF cookie, a rate limit, and the tree revised by the administration."""
from __future__ import annotations

from litestar.testing import TestClient

CONTRACT_KEYS = {"provider", "provider_name", "programme", "offering", "place", "plz", "distance_km", "places",
                 "free_places", "waiting_list", "as_of", "website"}
CAPACITY = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste\n"
INVOICE = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag\n"
           "03.2025;SECRET-77;Qualifizierung;RM-Q;Selbstzahler;;Einsatztag;10;75.00;750.00\n")


def register(supervision, headers, provider, code, programme, postcode, location="", places=12, valid_to=None):
    body = {"code": code, "programme_type": programme, "postcode": postcode, "location": location, "places": places,
            "valid_from": "2024-01-01", "valid_to": valid_to}
    r = supervision.post(f"/api/v1/providers/{provider}/offerings", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def report(reporting, headers, *rows):
    r = reporting.post("/api/v1/capacity-reports", content=(CAPACITY + "\n".join(rows) + "\n").encode(),
                       headers={**headers, "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text


def seed(reporting, supervision, tokens):
    sup = tokens(role="supervisor")
    register(supervision, sup, "regiomech", "RM-Q", "qualifizierung", "4528", places=20)
    register(supervision, sup, "oltech", "OT-Q", "qualifizierung", "4600", "Olten", places=16)
    register(supervision, sup, "heks", "HK-Q", "qualifizierung", "4500")
    register(supervision, sup, "trinamo", "TN-Q", "qualifizierung", "5000", valid_to="2025-01-31")  # ended
    register(supervision, sup, "perspektive-so", "PS-CO", "coaching", "4500")
    rm, ot = tokens("regiomech"), tokens("oltech")
    report(reporting, rm, "02.2025;Qualifizierung;RM-Q;20;18;1;0;2")
    report(reporting, rm, "03.2025;Qualifizierung;rm-q;20;15;0;3;4")  # the latest; codes compare without case
    report(reporting, ot, "03.2025;Qualifizierung;;16;17;1;0;3")  # no code: the provider's only offering of the type
    reporting.post("/api/v1/invoices", content=INVOICE.encode(), headers={**rm, "Content-Type": "text/csv"})


def test_offerings_nearest_first_with_free_places_from_the_latest_report(reporting, supervision, tokens):
    seed(reporting, supervision, tokens)
    r = supervision.get("/api/v1/public/offerings?programme=qualifizierung&plz=4500&radius_km=40")
    assert r.status_code == 200
    body = r.json()
    assert (body["plz"], body["place"], body["radius_km"], body["source"]) == ("4500", "Solothurn", 40,
                                                                              "Quelle: swisstopo")
    found = body["offerings"]
    assert [o["offering"] for o in found] == ["HK-Q", "RM-Q", "OT-Q"]  # Aarau's offering ended in January
    assert all(CONTRACT_KEYS <= set(o) for o in found)
    hk, rm, ot = found
    assert hk["distance_km"] == 0.0 and 1 < rm["distance_km"] < 3 and 31 < ot["distance_km"] < 33
    assert (rm["places"], rm["free_places"], rm["waiting_list"], rm["as_of"]) == (20, 5, 4, "2025-03")
    assert (ot["places"], ot["free_places"], ot["waiting_list"], ot["as_of"]) == (16, 0, 3, "2025-03")  # never < 0
    assert (hk["places"], hk["free_places"], hk["waiting_list"], hk["as_of"]) == (12, None, None, None)
    assert (rm["provider_name"], rm["website"], rm["place"], rm["plz"]) == ("Genossenschaft Regiomech",
                                                                            "https://regiomech.ch/", "Zuchwil", "4528")
    assert rm["programme_name"] == "Qualifizierung"
    near = supervision.get("/api/v1/public/offerings?programme=qualifizierung&plz=4500&radius_km=30").json()
    assert [o["offering"] for o in near["offerings"]] == ["HK-Q", "RM-Q"]
    everything = supervision.get("/api/v1/public/offerings?plz=4500").json()  # all types, 20 km by default
    assert [o["offering"] for o in everything["offerings"]] == ["HK-Q", "PS-CO", "RM-Q"]  # same place: by provider


def test_nothing_personal_in_any_public_answer(reporting, supervision, tokens):
    seed(reporting, supervision, tokens)
    routes = [r.path for r in supervision.app.routes if r.path.startswith("/api/v1/public/")]
    assert len(routes) == 3
    for url in ("/api/v1/public/offerings?plz=4528&radius_km=400", "/api/v1/public/decision-tree",
                "/api/v1/public/localities?q=Zuch", "/programme?ort=4528&umkreis=100", "/entscheidung?wahl=1-0"):
        r = supervision.get(url)
        assert r.status_code == 200, url
        assert "SECRET-77" not in r.text and "token:" not in r.text and "user:" not in r.text, url


def test_unknown_postcode_radius_or_programme_answer_422_in_german(supervision):
    cases = {"plz=9999": ("plz", "Die Postleitzahl «9999» gibt es nicht (Quelle: swisstopo)"),
             "plz=46": ("plz", "bitte vier Ziffern angeben"), "": ("plz", "Bitte eine Postleitzahl angeben"),
             "plz=4600&radius_km=0": ("radius_km", "ganze Zahl von 1 bis 400 km"),
             "plz=4600&radius_km=abc": ("radius_km", "ganze Zahl"),
             "plz=4600&programme=tanzkurs": ("programme", "Unbekannte Programmart «tanzkurs»")}
    for query, (column, message) in cases.items():
        r = supervision.get(f"/api/v1/public/offerings?{query}")
        assert r.status_code == 422, query
        error = r.json()["errors"][0]
        assert error["column"] == column and message in error["message"], (query, error)


def test_register_checks_the_place_and_keeps_its_changes_in_the_history(supervision, tokens):
    sup = tokens(role="supervisor")
    body = {"code": "X", "programme_type": "coaching", "valid_from": "2024-01-01"}
    for postcode, location, words in (("9999", "", "Die Postleitzahl «9999» gibt es nicht"),
                                      ("4600", "Aarau", "keine Ortschaft mit der Postleitzahl 4600"),
                                      ("", "Basel", "mehrere Postleitzahlen")):
        r = supervision.post("/api/v1/providers/heks/offerings", headers=sup,
                             json={**body, "postcode": postcode, "location": location})
        assert r.status_code == 422 and words in r.json()["errors"][0]["message"]
    assert supervision.get("/api/v1/providers/heks/offerings", headers=sup).json() == []  # nothing stored
    made = register(supervision, sup, "heks", "X", "coaching", "", "grenchen")
    assert (made["postcode"], made["location"]) == ("2540", "Grenchen")
    r = supervision.put("/api/v1/providers/heks/offerings/X", json={"postcode": "4600"}, headers=sup)
    assert r.status_code == 200 and (r.json()["postcode"], r.json()["location"]) == ("4600", "Olten")
    history = supervision.get("/api/v1/providers/heks/offerings/X/history", headers=sup).json()
    assert history[-1]["changes"] == {"location": {"old": "Grenchen", "new": "Olten"},
                                      "postcode": {"old": "2540", "new": "4600"}}
    assert history[-1]["actor"].startswith("token:")
    found = supervision.get("/api/v1/public/offerings?plz=4600&radius_km=5").json()["offerings"]
    assert [(o["offering"], o["place"]) for o in found] == [("X", "Olten")]


def test_etag_304_and_cache_control_and_a_new_report_changes_the_etag(reporting, supervision, tokens):
    seed(reporting, supervision, tokens)
    url = "/api/v1/public/offerings?programme=qualifizierung&plz=4528&radius_km=10"
    first = supervision.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60" and etag.startswith('"')
    again = supervision.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert supervision.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    report(reporting, tokens("regiomech"), "04.2025;Qualifizierung;RM-Q;20;19;1;0;6")
    changed = supervision.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    rm = next(o for o in changed.json()["offerings"] if o["offering"] == "RM-Q")
    assert (rm["free_places"], rm["waiting_list"], rm["as_of"]) == (1, 6, "2025-04")
    for other in ("/api/v1/public/decision-tree", "/api/v1/public/localities?q=45", "/programme?ort=4528",
                  "/entscheidung"):
        r = supervision.get(other)
        assert r.headers["cache-control"].startswith("public, max-age=")
        assert supervision.get(other, headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_no_session_or_csrf_cookie_even_for_a_logged_in_visitor(supervision, portal):
    portal.supervision.create_account("sara", "correct-horse-battery-staple", "supervisor", None, "test")
    supervision.get("/login")
    login = supervision.post("/login", data={"username": "sara", "password": "correct-horse-battery-staple",
                                             "_csrf_token": supervision.cookies.get("ami_csrf")},
                             follow_redirects=False)
    assert login.status_code == 303 and supervision.cookies.get("ami_session")
    for url in ("/api/v1/public/offerings?plz=4600", "/programme", "/programme?ort=Olten", "/entscheidung",
                "/entscheidung?wahl=0"):
        r = supervision.get(url)
        assert r.status_code == 200 and "set-cookie" not in r.headers, url
        assert "csrf" not in r.text.lower() and "Abmelden" not in r.text, url
    fresh = TestClient(supervision.app)
    assert "set-cookie" not in fresh.get("/programme").headers  # an anonymous visitor gets no cookie either


def test_the_public_routes_are_rate_limited_per_client_in_german(portal, settings):
    from services.supervision.app import create_app

    with TestClient(create_app(settings.with_(public_rate_per_minute=3), portal=portal)) as client:
        for url in ("/api/v1/public/localities?q=46", "/programme", "/entscheidung"):
            assert client.get(url).status_code == 200
        refused = client.get("/api/v1/public/offerings?plz=4600")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        assert refused.json() == {"detail": "Zu viele Anfragen in kurzer Zeit. Bitte in einer Minute nochmals "
                                            "versuchen."}
        page = client.get("/programme")
        assert page.status_code == 429 and "Zu viele Anfragen" in page.text and "<html" in page.text
        assert client.get("/health").status_code == 200  # the limit is the public routes' alone


def test_the_administration_revises_the_tree_with_history(supervision, tokens):
    admin, sup = tokens(role="admin"), tokens(role="supervisor")
    public = supervision.get("/api/v1/public/decision-tree").json()
    assert public["version"] == 1 and public["start"] == "ziel"
    coaching = next(p for o in public["outcomes"] for p in (o["fallback"] or {}).get("programmes", [])
                    if p["programme"] == "coaching")
    assert coaching["finder"] == "/programme?programm=coaching" and coaching["name"] == "Coaching"
    stored = supervision.get("/api/v1/decision-tree", headers=sup).json()
    stored.pop("version")
    stored["questions"][0]["text"] = "Was ist das Ziel der Teilnahme?"
    assert supervision.put("/api/v1/decision-tree", json=stored, headers=sup).status_code == 403
    broken = {**stored, "start": "nirgends"}
    r = supervision.put("/api/v1/decision-tree", json=broken, headers=admin)
    assert r.status_code == 422 and "Der Start «nirgends» ist keine Frage" in r.json()["errors"][0]["message"]
    r = supervision.put("/api/v1/decision-tree", json=stored, headers=admin)
    assert r.status_code == 200 and r.json()["version"] == 2
    assert supervision.put("/api/v1/decision-tree", json=stored, headers=admin).json()["version"] == 2  # same tree
    public = supervision.get("/api/v1/public/decision-tree").json()
    assert public["version"] == 2 and public["questions"][0]["text"] == "Was ist das Ziel der Teilnahme?"
    history = supervision.get("/api/v1/decision-tree/history", headers=sup).json()
    assert [(h["version"], h["label"], h["actor"], h["changed"]) for h in history] == [
        (1, "Veröffentlicht", "system:bootstrap", ["start", "questions", "outcomes", "descriptions"]),
        (2, "Geändert", "token:test", ["questions"])]
    assert supervision.get("/api/v1/decision-tree/history").status_code == 401
