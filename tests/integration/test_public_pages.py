"""The public pages without JavaScript (plain links and GET forms), through a TestClient: the finder's form,
results and refusals, and every path through the decision tool by following its links to the finder."""
from __future__ import annotations

import html
import re

import pytest

from tests.integration.test_public_api import seed
from tests.unit.finder.test_decision_tree import EXPECTED


def links(page: str, css_class: str) -> dict[str, str]:
    """label -> href of the anchors with this class."""
    found = re.findall(rf'<a class="{css_class}" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    return {html.unescape(label).strip(): html.unescape(href) for href, label in found}


def results(page: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<li class="result card">\s*<div class="result-main">\s*<h3>([^<]+)',
                                                 page)]


def test_the_finder_page_searches_without_javascript(reporting, supervision, tokens):
    seed(reporting, supervision, tokens)
    empty = supervision.get("/programme")
    assert empty.status_code == 200
    page = empty.text
    assert '<form class="card finder-form" method="get" action="/programme"' in page
    assert 'name="programm"' in page and 'name="ort"' in page and 'name="umkreis"' in page
    assert 'list="f-orte"' in page and 'data-suggest="/api/v1/public/localities"' in page
    assert '<script src="/static/localities.js" defer></script>' in page and "<style" not in page
    assert 'href="/entscheidung"' in page and "Quelle: swisstopo" in page
    r = supervision.get("/programme?programm=qualifizierung&ort=4500&umkreis=40")
    assert r.status_code == 200
    page = r.text
    assert results(page) == ["HK-Q", "RM-Q", "OT-Q"]  # the offerings' names are their codes here
    assert "3 Angebote" in page and "im Umkreis von 40 km um 4500 Solothurn" in page
    assert "5 von 20 Plätzen frei" in page and "Warteliste: 4" in page and "Stand: März 2025" in page
    assert "Alle 16 Plätze belegt" in page and "Keine Meldung" in page
    assert 'href="https://regiomech.ch/" rel="noopener noreferrer external">Genossenschaft Regiomech</a>' in page
    assert "An Qualifizierungsprogrammen nehmen arbeitsfähige erwachsene Personen teil" in page  # the description
    assert '<option value="qualifizierung" selected>' in page and '<option value="40" selected>' in page
    named = supervision.get("/programme?programm=qualifizierung&ort=Zuchwil&umkreis=5").text
    assert results(named) == ["RM-Q", "HK-Q"] and 'value="4528 Zuchwil"' in named  # from Zuchwil


def test_an_empty_result_says_what_to_widen_with_a_link(reporting, supervision, tokens):
    seed(reporting, supervision, tokens)
    page = supervision.get("/programme?programm=qualifizierung&ort=2540&umkreis=5").text
    assert results(page) == [] and "Kein Angebot" in page
    assert "Das nächste ist" in page and "den Umkreis auf 20 km erweitern" in page
    wider = links(page, "button secondary")["Umkreis 20 km anzeigen"]
    assert "umkreis=20" in wider and "programm=qualifizierung" in wider
    assert results(supervision.get(wider).text) == ["HK-Q", "RM-Q"]
    page = supervision.get("/programme?programm=traumaprogramm&ort=4500").text
    assert "Für Traumaprogramm gibt es zurzeit kein Angebot" in page
    everything = links(page, "button secondary")["Alle Programmarten anzeigen"]
    assert "programm=" not in everything and results(supervision.get(everything).text)


@pytest.mark.parametrize(("query", "words"), [
    ("ort=9999", "Die Postleitzahl «9999» gibt es nicht (Quelle: swisstopo)"),
    ("ort=Atlantis", "Den Ort «Atlantis» gibt es nicht"),
    ("ort=4600&umkreis=9000", "Umkreis «9000»: eine ganze Zahl von 1 bis 400 km angeben"),
    ("ort=4600&programm=tanzkurs", "Unbekannte Programmart «tanzkurs»"),
])
def test_refusals_on_the_page_are_german_and_keep_the_form(supervision, query, words):
    r = supervision.get(f"/programme?{query}")
    assert r.status_code == 422 and words in html.unescape(r.text)
    assert 'name="ort"' in r.text and "no-store" in r.headers["cache-control"]


def test_every_path_of_the_decision_tool_one_question_at_a_time_into_the_finder(supervision):
    start = supervision.get("/entscheidung").text
    assert "Frage 1" in start and "Was ist das Ziel?" in start and "Zurück" not in start
    for answers, (title, programmes, fallback) in EXPECTED.items():
        url, page = "/entscheidung", start
        for number, label in enumerate(answers, start=1):
            assert f"Frage {number}" in page
            url = links(page, "choice")[label]
            page = supervision.get(url).text
        assert "Ergebnis" in page and f'<h2 id="ergebnis">{html.escape(title)}</h2>' in page, answers
        finder_links = re.findall(r'href="(/programme\?programm=[a-z0-9-]+)"', page)
        assert finder_links == [f"/programme?programm={slug}" for slug in programmes + fallback], answers
        for href in finder_links:
            target = supervision.get(href).text
            assert f'<option value="{href.rsplit("=", 1)[1]}" selected>' in target
        if not programmes:  # Deutsch-Integrationskurs, Brückenangebot BBZ: the canton's page
            assert 'href="https://so.ch/' in page
        assert page.count("ändern</a>") == len(answers)  # every answer so far, each changeable


def test_back_restart_and_a_step_that_does_not_exist(supervision):
    page = supervision.get("/entscheidung?wahl=1-0").text
    assert "Fähigkeiten während eines Einsatzes im 2. Arbeitsmarkt trainieren?" in page
    nav = links(page, "button secondary")
    assert nav == {"Zurück": "/entscheidung?wahl=1", "Neu beginnen": "/entscheidung"}
    back = supervision.get(nav["Zurück"]).text
    assert "Ist das Deutschniveau A1 bereits erreicht?" in back and "Frage 2" in back
    assert links(back, "button secondary")["Zurück"] == "/entscheidung"
    for bad in ("9", "1-0-0-0", "a-b", "1--0"):
        r = supervision.get(f"/entscheidung?wahl={bad}")
        assert r.status_code == 404 and "Diesen Schritt gibt es in der Entscheidungshilfe nicht" in r.text
        assert links(r.text, "button")["Neu beginnen"] == "/entscheidung"


def test_the_administration_revises_the_tree_on_its_page_and_supervisors_read_it(supervision, portal):
    from tests.integration.web_cases import PASSWORD, form, login

    portal.supervision.create_account("adele", PASSWORD, "admin", None, "test")
    portal.supervision.create_account("sara", PASSWORD, "supervisor", None, "test")
    assert supervision.get("/register/entscheidungshilfe", follow_redirects=False).status_code == 303  # login first
    login(supervision, "sara")
    page = supervision.get("/register/entscheidungshilfe").text
    assert "Version 1" in page and "Gibt es darüber hinaus einen spezifischen Bedarf?" in page
    assert "system:bootstrap" in page.lower() and "Start, Fragen, Ergebnisse, Beschreibungen" in page  # the seed
    assert "Neue Version erfassen" not in page  # supervisors read only
    assert form(supervision, "/register/entscheidungshilfe", tree="{}").status_code == 403
    supervision.post("/logout", data={"_csrf_token": supervision.cookies.get("ami_csrf")})
    login(supervision, "adele")
    page = supervision.get("/register/entscheidungshilfe").text
    assert "Neue Version erfassen" in page
    tree = portal.supervision.decision_tree().tree
    refused = form(supervision, "/register/entscheidungshilfe", tree='{"start": "ziel",')
    assert refused.status_code == 303 and refused.headers["location"].endswith("#neue-version")
    refused = supervision.get(refused.headers["location"])  # post/redirect/get: the message and the text kept
    assert "Kein gültiges JSON" in refused.text
    assert '{"start": "ziel",' in html.unescape(refused.text)  # the text is kept
    changed = {**tree, "questions": [{**tree["questions"][0], "hint": "Eine Antwort wählen."}, *tree["questions"][1:]]}
    import json

    r = form(supervision, "/register/entscheidungshilfe", tree=json.dumps(changed))
    assert r.status_code == 303 and r.headers["location"].endswith("gespeichert=ja")
    page = supervision.get(r.headers["location"]).text
    assert "Version 2" in page and "Die neue Version ist gespeichert" in page and "adele" in page
    assert "Eine Antwort wählen." in supervision.get("/entscheidung").text  # the public page at once
    again = form(supervision, "/register/entscheidungshilfe", tree=json.dumps(changed))
    assert again.headers["location"].endswith("gespeichert=unveraendert")
    assert portal.supervision.decision_tree().version == 2
