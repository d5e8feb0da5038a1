"""The decision tool as data (domain-rules §8): the seeded reading of the brochure, every path to its outcome,
the walk along answers, and the rules a revised tree must keep."""
from __future__ import annotations

import copy

import pytest

from shared.finder.domain.tree import paths, seed_tree, validate_tree, walk
from shared.kernel.errors import Invalid, NotFound
from shared.register.domain.catalogue import load_default_catalogue

TYPES = load_default_catalogue().programme_types

# domain-rules §8: every way through the brochure's diagram and where it ends (answers as the brochure prints them)
EXPECTED = {
    ("eine sinnstiftende Tätigkeit ausüben und sich gesundheitlich stabilisieren", "Ja"):
        ("Suchthilfe Stundenlohn oder Traumaprogramm", ["suchthilfe-stundenlohn", "traumaprogramm"], []),
    ("eine sinnstiftende Tätigkeit ausüben und sich gesundheitlich stabilisieren", "Nicht nötig"):
        ("Beschäftigung I oder Beschäftigung II", ["beschaeftigung-1", "beschaeftigung-2"], []),
    ("eine Stelle finden", "Nein"): ("Deutsch-Integrationskurs", [], []),
    ("eine Stelle finden", "Ja", "Ja"): ("Qualifizierung", ["qualifizierung"], []),
    ("eine Stelle finden", "Ja", "Nein"): ("integration.arbeit", ["integration-arbeit"], ["qualifizierung", "coaching"]),
    ("eine Lehre machen", "Nein"): ("Deutsch-Integrationskurs", [], []),
    ("eine Lehre machen", "Ja", "Nein"): ("Deutsch-Integrationskurs", [], []),
    ("eine Lehre machen", "Ja", "Ja"): ("Brückenangebot BBZ", [], ["jugendprogramm"]),
}


def tree() -> dict:
    return validate_tree(seed_tree(), TYPES)


def labels_of(t: dict, choices) -> tuple[str, ...]:
    position = walk(t, choices)
    return tuple(s.question["answers"][s.choice]["label"] for s in position.steps)


def test_every_path_of_the_seeded_tree_ends_at_the_brochures_outcome():
    t = tree()
    seen = {}
    for choices, outcome in paths(t):
        fallback = (outcome["fallback"] or {}).get("programmes", [])
        seen[labels_of(t, choices)] = (outcome["title"], outcome["programmes"], fallback)
        assert walk(t, choices).outcome == outcome and walk(t, choices).question is None
    assert seen == EXPECTED


def test_the_seed_keeps_the_brochures_wording():
    t = tree()
    texts = {q["text"] for q in t["questions"]}
    assert texts == {"Was ist das Ziel?", "Gibt es darüber hinaus einen spezifischen Bedarf?",
                     "Ist das Deutschniveau A1 bereits erreicht?", "Können mindestens sechs Jahre Schulbesuch "
                     "ausgewiesen werden?", "Fähigkeiten während eines Einsatzes im 2. Arbeitsmarkt trainieren?"}
    assert sum(q["text"] == "Ist das Deutschniveau A1 bereits erreicht?" for q in t["questions"]) == 2
    fallbacks = {o["fallback"]["text"] for o in t["outcomes"] if o["fallback"]}
    assert fallbacks == {"Falls es kein regionales Angebot oder keinen passenden Tätigkeitsbereich gibt.",
                         "Falls keine Kapazitäten vorhanden sind oder kein Eintritt möglich ist."}
    assert "Start jeweils im August" in next(o["text"] for o in t["outcomes"] if o["id"] == "brueckenangebot")
    assert set(t["descriptions"]) == set(TYPES)  # every programme type has its short description
    assert t["descriptions"]["coaching"].startswith("Für Personen, die an einem Coaching teilnehmen")


def test_walking_one_question_at_a_time_and_answers_it_does_not_have():
    t = tree()
    start = walk(t, [])
    assert start.question["text"] == "Was ist das Ziel?" and start.steps == () and start.outcome is None
    second = walk(t, [1])
    assert second.question["text"] == "Ist das Deutschniveau A1 bereits erreicht?" and len(second.steps) == 1
    for bad in ([3], [1, 2], [1, 1, 0]):  # no fourth goal, no third answer, nothing after an outcome
        with pytest.raises(NotFound):
            walk(t, bad)


def broken(change) -> dict:
    t = copy.deepcopy(seed_tree())
    change(t)
    return t


@pytest.mark.parametrize(("change", "words"), [
    (lambda t: t["questions"][2]["answers"][0].update(next="nirgends"), "das Ziel «nirgends» gibt es nicht"),
    (lambda t: t["questions"][3]["answers"][0].update(next="ziel"), "im Kreis"),
    (lambda t: t["outcomes"][2]["programmes"].append("tanzkurs"), "unbekannte Programmart «tanzkurs»"),
    (lambda t: t["descriptions"].pop("coaching"), "zur Programmart «coaching» fehlt die Beschreibung"),
    (lambda t: t["outcomes"].append({"id": "waise", "title": "X", "programmes": ["coaching"]}), "nicht erreichbar"),
    (lambda t: t["questions"][1].update(id="ziel"), "kommt zweimal vor"),
    (lambda t: t.update(start="deutsch"), "keine Frage"),
    (lambda t: t["questions"][0]["answers"].pop(), "nicht erreichbar"),
    (lambda t: t["questions"][1].update(answers=[{"label": "Ja", "next": "spezifisch"}]), "zwei bis"),
    (lambda t: t["questions"][0].update(text="  "), "«text» darf nicht leer sein"),
    (lambda t: t["outcomes"][4].update(link="http://so.ch"), "https://"),
    (lambda t: t["outcomes"][4].update(link=None), "eine Programmart oder einen Link"),
    (lambda t: t.update(questions="keine"), "muss eine Liste sein"),
])
def test_a_broken_tree_is_refused_in_german(change, words):
    with pytest.raises(Invalid) as exc:
        validate_tree(broken(change), TYPES)
    assert words in exc.value.message


def test_a_long_chain_of_diamonds_is_checked_without_following_every_path():
    t = {"start": "q0", "questions": [], "outcomes": [{"id": "end", "title": "Ende", "programmes": ["coaching"]}],
         "descriptions": {"coaching": "Coaching."}}
    for i in range(60):  # 2**60 ways through, checked in linear time
        t["questions"].append({"id": f"q{i}", "text": f"Frage {i}?", "answers": [
            {"label": "Ja", "next": f"q{i + 1}" if i < 59 else "end"},
            {"label": "Nein", "next": f"q{i + 1}" if i < 59 else "end"}]})
    assert validate_tree(t, TYPES)["start"] == "q0"
