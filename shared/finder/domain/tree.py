"""The decision tool «Was ist das Ziel?» as data: questions with answers, outcomes with programme types, the rules
a tree must keep (every answer leads somewhere, every path ends at an outcome) and the walk along answers."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from shared.kernel.errors import Invalid, NotFound

NODE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
MAX_TEXT = 1000
MAX_ANSWERS = 8
MAX_NODES = 200


def seed_tree() -> dict:
    """The canton's reading of the brochure (domain-rules §8), as the first version of the tree."""
    text = resources.files("shared.finder.data").joinpath("decision-tree.json").read_text(encoding="utf-8")
    return json.loads(text)


def _text(value, where: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(f"{where}: «{field}» muss ein Text sein", field, str(value)[:60])
    value = " ".join(value.split())
    if required and not value:
        raise Invalid(f"{where}: «{field}» darf nicht leer sein", field, "")
    if len(value) > limit:
        raise Invalid(f"{where}: «{field}» ist länger als {limit} Zeichen", field, value[:60])
    return value


def _list(value, where: str, field: str) -> list:
    if not isinstance(value, list):
        raise Invalid(f"{where}: «{field}» muss eine Liste sein", field, str(value)[:60])
    return value


def _programmes(value, where: str, field: str, known: Iterable[str]) -> list[str]:
    known = set(known)
    slugs = []
    for slug in _list(value or [], where, field):
        if slug not in known:
            raise Invalid(f"{where}: unbekannte Programmart «{slug}»", field, str(slug)[:60])
        if slug not in slugs:
            slugs.append(slug)
    return slugs


def _link(value, where: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not re.fullmatch(r"https://[^\s\"<>]{3,500}", value):
        raise Invalid(f"{where}: der Link muss mit https:// beginnen", "link", str(value)[:60])
    return value


def validate_tree(tree, programme_types: Iterable[str]) -> dict:
    """The tree as stored, or Invalid with a German message naming the node and field."""
    if not isinstance(tree, dict):
        raise Invalid("Die Entscheidungshilfe muss ein JSON-Objekt sein", None, None)
    known = set(programme_types)
    nodes: dict[str, str] = {}
    questions, outcomes = [], []
    for i, q in enumerate(_list(tree.get("questions"), "Entscheidungshilfe", "questions"), start=1):
        if not isinstance(q, dict):
            raise Invalid(f"Frage {i} muss ein Objekt sein", "questions", None)
        qid = _node_id(q.get("id"), f"Frage {i}", nodes, "question")
        where = f"Frage «{qid}»"
        answers = []
        for k, a in enumerate(_list(q.get("answers"), where, "answers"), start=1):
            if not isinstance(a, dict):
                raise Invalid(f"{where}, Antwort {k} muss ein Objekt sein", "answers", None)
            answers.append({"label": _text(a.get("label"), f"{where}, Antwort {k}", "label", limit=200),
                            "next": _text(a.get("next"), f"{where}, Antwort {k}", "next", limit=40)})
        if not 2 <= len(answers) <= MAX_ANSWERS:
            raise Invalid(f"{where}: zwei bis {MAX_ANSWERS} Antworten angeben", "answers", str(len(answers)))
        questions.append({"id": qid, "text": _text(q.get("text"), where, "text", limit=300),
                          "hint": _text(q.get("hint"), where, "hint", required=False) or None, "answers": answers})
    for i, o in enumerate(_list(tree.get("outcomes"), "Entscheidungshilfe", "outcomes"), start=1):
        if not isinstance(o, dict):
            raise Invalid(f"Ergebnis {i} muss ein Objekt sein", "outcomes", None)
        oid = _node_id(o.get("id"), f"Ergebnis {i}", nodes, "outcome")
        where = f"Ergebnis «{oid}»"
        fallback = o.get("fallback")
        if fallback not in (None, {}):
            if not isinstance(fallback, dict):
                raise Invalid(f"{where}: «fallback» muss ein Objekt sein", "fallback", None)
            fallback = {"text": _text(fallback.get("text"), where, "fallback.text", limit=300),
                        "programmes": _programmes(fallback.get("programmes"), where, "fallback.programmes", known)}
            if not fallback["programmes"]:
                raise Invalid(f"{where}: die Alternative braucht mindestens eine Programmart", "fallback", None)
        programmes = _programmes(o.get("programmes"), where, "programmes", known)
        link = _link(o.get("link"), where)
        if not programmes and not link:
            raise Invalid(f"{where}: eine Programmart oder einen Link angeben", "programmes", None)
        outcomes.append({"id": oid, "title": _text(o.get("title"), where, "title", limit=200),
                         "text": _text(o.get("text"), where, "text", required=False), "programmes": programmes,
                         "link": link, "fallback": fallback or None})
    if not questions or not outcomes:
        raise Invalid("Die Entscheidungshilfe braucht mindestens eine Frage und ein Ergebnis", "questions", None)
    if len(nodes) > MAX_NODES:
        raise Invalid(f"Die Entscheidungshilfe hat mehr als {MAX_NODES} Fragen und Ergebnisse", "questions",
                      str(len(nodes)))
    start = tree.get("start")
    if nodes.get(start) != "question":
        raise Invalid(f"Der Start «{start}» ist keine Frage", "start", str(start)[:60])
    for q in questions:
        for k, a in enumerate(q["answers"], start=1):
            if a["next"] not in nodes:
                raise Invalid(f"Frage «{q['id']}», Antwort {k}: das Ziel «{a['next']}» gibt es nicht", "next",
                              a["next"])
    descriptions = _descriptions(tree.get("descriptions"), known)
    for o in outcomes:
        for slug in o["programmes"] + (o["fallback"] or {}).get("programmes", []):
            if slug not in descriptions:
                raise Invalid(f"Ergebnis «{o['id']}»: zur Programmart «{slug}» fehlt die Beschreibung",
                              "descriptions", slug)
    clean = {"start": start, "questions": questions, "outcomes": outcomes, "descriptions": descriptions}
    _check_paths(clean)
    return clean


def _node_id(value, where: str, nodes: dict[str, str], kind: str) -> str:
    if not isinstance(value, str) or not NODE_ID.fullmatch(value):
        raise Invalid(f"{where}: die Kennung «{value}» (Kleinbuchstaben, Ziffern, Bindestriche) ist ungültig", "id",
                      str(value)[:60])
    if value in nodes:
        raise Invalid(f"{where}: die Kennung «{value}» kommt zweimal vor", "id", value)
    nodes[value] = kind
    return value


def _descriptions(value, known: set[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Invalid("«descriptions» muss ein Objekt sein (Programmart → Beschreibung)", "descriptions", None)
    result = {}
    for slug, text in value.items():
        if slug not in known:
            raise Invalid(f"Beschreibungen: unbekannte Programmart «{slug}»", "descriptions", str(slug)[:60])
        result[slug] = _text(text, f"Beschreibung «{slug}»", "descriptions")
    return result


def _check_paths(tree: dict) -> None:
    """Every question reachable from the start, and no way round in a circle."""
    questions = {q["id"]: q for q in tree["questions"]}
    reached: set[str] = set()  # done: every way from here ends at an outcome
    open_: set[str] = set()  # on the way being followed

    def visit(node: str) -> None:
        if node in open_:
            raise Invalid(f"Die Frage «{node}» führt im Kreis zu sich selbst zurück", "next", node)
        if node in reached:
            return
        open_.add(node)
        for a in questions.get(node, {}).get("answers", []):
            visit(a["next"])
        open_.discard(node)
        reached.add(node)

    visit(tree["start"])
    for node in [*questions, *(o["id"] for o in tree["outcomes"])]:
        if node not in reached:
            raise Invalid(f"«{node}» ist von der ersten Frage aus nicht erreichbar", "id", node)


@dataclass(frozen=True)
class Step:
    question: dict
    choice: int  # the index of the answer taken


@dataclass(frozen=True)
class Position:
    steps: tuple[Step, ...]  # the questions answered so far
    question: dict | None  # the one to answer now, or None at an outcome
    outcome: dict | None


def walk(tree: dict, choices: Iterable[int]) -> Position:
    """Where the answers (indexes, one per question) lead; NotFound for an answer the tree does not have."""
    questions = {q["id"]: q for q in tree["questions"]}
    outcomes = {o["id"]: o for o in tree["outcomes"]}
    node, steps = tree["start"], []
    for choice in choices:
        question = questions.get(node)
        if question is None or not 0 <= choice < len(question["answers"]):
            raise NotFound("Diesen Schritt gibt es in der Entscheidungshilfe nicht (mehr)")
        steps.append(Step(question, choice))
        node = question["answers"][choice]["next"]
    return Position(tuple(steps), questions.get(node), outcomes.get(node))


def paths(tree: dict) -> Iterator[tuple[tuple[int, ...], dict]]:
    """Every way through the tree: the answers taken and the outcome they end at."""
    questions = {q["id"]: q for q in tree["questions"]}
    outcomes = {o["id"]: o for o in tree["outcomes"]}

    def go(node: str, taken: tuple[int, ...]):
        if node in outcomes:
            yield taken, outcomes[node]
            return
        for i, a in enumerate(questions[node]["answers"]):
            yield from go(a["next"], (*taken, i))

    yield from go(tree["start"], ())
