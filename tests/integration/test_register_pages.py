"""The register pages of the supervision service: editions, offerings, agreements, histories (session login)."""
from __future__ import annotations

from tests.integration.web_cases import form, login

OFFERING = {"code": "Q-OL", "programme_type": "qualifizierung", "name": "Qualifizierung Olten", "location": "Olten",
            "postcode": "4600", "places": "12", "valid_from": "2024-01-01", "valid_to": "",
            "tariff_unit": "assignment_day", "tariff_chf": "75.00"}


def test_supervisor_adds_an_offering_through_the_form_and_sees_it(supervision, accounts, portal):
    assert login(supervision, "sara").status_code == 303
    index = supervision.get("/register")
    assert index.status_code == 200 and 'href="/register/regiomech"' in index.text
    assert index.text.count('href="/register/') == len(portal.supervision.provider_slugs()) + 2  # + decision tool,
    assert 'href="/register/sozialdienste"' in index.text  # + the social services
    assert 'href="/register/entscheidungshilfe"' in index.text
    page = supervision.get("/register/regiomech")
    assert page.status_code == 200 and "Angebot erfassen" in page.text and 'name="_csrf_token"' in page.text
    r = form(supervision, "/register/regiomech/angebote", **OFFERING)
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/register/regiomech?gespeichert=angebot")
    page = supervision.get("/register/regiomech").text
    assert "Qualifizierung Olten" in page and "Q-OL" in page and "/register/regiomech/angebote/Q-OL/verlauf" in page
    assert "75.00" in page
    assert [o.code for o in portal.supervision.offerings("regiomech")] == ["Q-OL"]
    assert "/register/regiomech" in supervision.get("/anbieter/regiomech").text


def test_an_offering_shows_its_unit_and_programme_by_their_german_names(supervision, reporting, accounts):
    """They showed the codes («assignment_day: CHF 75.00», «qualifizierung») on the provider pages."""
    login(supervision, "sara")
    assert form(supervision, "/register/regiomech/angebote", **OFFERING).status_code == 303
    for page in (supervision.get("/anbieter/regiomech").text, supervision.get("/register/regiomech").text):
        assert "Einsatztag: CHF 75.00" in page and "assignment_day:" not in page
    login(reporting, "anna")
    home = reporting.get("/meldungen").text.split('id="angebote"')[1]
    assert "Einsatztag: CHF 75.00" in home and ">Qualifizierung<" in home and ">qualifizierung<" not in home


def followed(client, r):
    """A refused form answers with a redirect (post/redirect/get): the page it leads to, with the message."""
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    assert page.status_code == 200
    return page


def test_an_agreed_tariff_above_the_maximum_is_refused_in_german_and_nothing_is_stored(
        supervision, accounts, portal):
    login(supervision, "sara")
    r = followed(supervision, form(supervision, "/register/regiomech/angebote", **{**OFFERING, "tariff_chf": "95,00"}))
    assert "text/html" in r.headers["content-type"]
    assert 'class="errors"' in r.text and "über dem Höchsttarif" in r.text
    assert 'value="Qualifizierung Olten"' in r.text and 'value="95,00"' in r.text  # the entries are kept
    assert portal.supervision.offerings("regiomech") == ()


def test_changing_places_shows_both_versions_in_the_history_with_the_actor(supervision, accounts, portal):
    login(supervision, "sara")
    assert form(supervision, "/register/regiomech/angebote", **OFFERING).status_code == 303
    r = form(supervision, "/register/regiomech/angebote/Q-OL", places="15", valid_to="", tariff_unit="",
             tariff_chf="")
    assert r.status_code == 303, r.text
    assert portal.supervision.offerings("regiomech")[0].places == 15
    history = supervision.get("/register/regiomech/angebote/Q-OL/verlauf")
    assert history.status_code == 200
    text = history.text
    assert "Erfasst" in text and "Geändert" in text and "sara" in text
    assert "Plätze: 12 → 15" in text
    assert supervision.get("/register/regiomech/angebote/NOPE/verlauf").status_code == 404


def test_concluding_an_agreement_through_the_form(supervision, accounts):
    login(supervision, "sara")
    r = form(supervision, "/register/regiomech/vereinbarungen", valid_from="2025-01-01", valid_to="2024-12-31",
             goals="Arbeitsintegration", target_groups="")
    assert "«Gültig bis» liegt vor «Gültig ab»" in followed(supervision, r).text
    r = form(supervision, "/register/regiomech/vereinbarungen", valid_from="2025-01-01", valid_to="2026-12-31",
             goals="Arbeitsintegration\nTagesstruktur", target_groups="Sozialhilfe beziehende Personen")
    assert r.status_code == 303, r.text
    page = supervision.get("/register/regiomech").text
    assert "Tagesstruktur" in page and "/register/regiomech/vereinbarungen/2025-01-01/verlauf" in page
    assert supervision.get("/register/regiomech/vereinbarungen/2025-01-01/verlauf").status_code == 200


def test_finance_reads_the_register_but_may_not_change_it(supervision, accounts, portal):
    login(supervision, "fina")
    assert supervision.get("/register").status_code == 200
    page = supervision.get("/register/regiomech")
    assert page.status_code == 200 and "Angebot erfassen" not in page.text
    assert form(supervision, "/register/regiomech/angebote", **OFFERING).status_code == 403
    assert form(supervision, "/register/tarifausgaben", label="X", valid_from="2026-01-01").status_code == 403
    assert portal.supervision.offerings("regiomech") == ()


def test_provider_staff_are_refused(supervision, accounts, portal):
    login(supervision, "anna")
    for path in ("/register", "/register/regiomech"):
        r = supervision.get(path, follow_redirects=False)
        assert r.status_code in (303, 403), (path, r.status_code)
    r = form(supervision, "/register/regiomech/angebote", **OFFERING)
    assert r.status_code in (303, 403)
    assert portal.supervision.offerings("regiomech") == ()


def test_publishing_an_edition_through_the_form_shows_it_in_the_list(supervision, accounts, portal):
    login(supervision, "sara")
    before = [e.label for e in portal.supervision.editions()]
    r = form(supervision, "/register/tarifausgaben", label="2025/26", valid_from="2025-03-01",
             programme_type_1="qualifizierung", unit_1="assignment_day", max_chf_1="75.00")
    assert r.status_code == 303, r.text
    assert [e.label for e in portal.supervision.editions()] == [*before, "2025/26"]
    page = supervision.get("/register").text
    assert "2025/26" in page and "01.03.2025" in page
    # the same date twice: the German message next to the form, the entries kept
    r = form(supervision, "/register/tarifausgaben", label="nochmals", valid_from="2025-03-01",
             programme_type_1="qualifizierung", unit_1="assignment_day", max_chf_1="70.00")
    r = followed(supervision, r)
    assert "gilt bereits eine Tarifausgabe" in r.text and 'value="nochmals"' in r.text
    r = form(supervision, "/register/tarifausgaben", label="leer", valid_from="2025-04-01")
    assert "mindestens einen neuen Höchsttarif" in followed(supervision, r).text


def test_provider_details_are_changed_through_the_form_with_history(supervision, accounts, portal):
    login(supervision, "sara")
    assert "Stammdaten ändern" in supervision.get("/register/regiomech").text
    r = form(supervision, "/register/regiomech/stammdaten", name="Genossenschaft Regiomech", website="https://regiomech.ch/",
             contact="Frau Muster, 032 000 00 00", active="ja")
    assert r.status_code == 303, r.text
    assert portal.supervision.provider("regiomech").contact == "Frau Muster, 032 000 00 00"
    r = form(supervision, "/register/regiomech/stammdaten", name=" ", website="", contact="", active="nein")
    assert "Name darf nicht leer sein" in followed(supervision, r).text
    assert portal.supervision.provider("regiomech").active is True
    history = supervision.get("/register/regiomech/verlauf")
    assert history.status_code == 200 and "sara" in history.text and "Frau Muster" in history.text
    login(supervision, "fina")
    assert form(supervision, "/register/regiomech/stammdaten", name="X", website="", contact="",
                active="ja").status_code == 403


def test_a_new_provider_is_registered_through_the_form_and_the_api(supervision, accounts, portal, tokens):
    login(supervision, "sara")
    r = form(supervision, "/register/anbieter", slug="Neue Werkstatt", name="Neue Werkstatt", website="")
    r = followed(supervision, r)
    assert "Kürzel" in r.text and "Neue Werkstatt" in r.text
    r = form(supervision, "/register/anbieter", slug="neue-werkstatt", name="Neue Werkstatt", website="https://x.ch")
    assert r.status_code == 303 and r.headers["location"] == "/register/neue-werkstatt"
    assert "Neue Werkstatt" in supervision.get("/register/neue-werkstatt").text
    assert "Doppelt" in followed(supervision, form(supervision, "/register/anbieter", slug="neue-werkstatt",
                                                  name="Doppelt", website="")).text
    api = supervision.post("/api/v1/providers", json={"slug": "atelier-sued", "name": "Atelier Süd"},
                           headers=tokens(role="supervisor"))
    assert api.status_code == 201 and api.json()["active"] is True
    assert {"neue-werkstatt", "atelier-sued"} <= set(portal.supervision.provider_slugs())
    assert len(portal.supervision.provider_slugs()) == 28
    history = supervision.get("/register/neue-werkstatt/verlauf")
    assert history.status_code == 200 and "sara" in history.text
    assert supervision.post("/api/v1/providers", json={"slug": "x-y", "name": "X"},
                            headers=tokens(role="finance")).status_code == 403
