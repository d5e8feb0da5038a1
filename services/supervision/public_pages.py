"""The public German pages: «Programm finden» (/programme) and the decision tool (/entscheidung)."""
# «Was ist das Ziel?»: plain links and GET forms, so both work without JavaScript and on a phone; cacheable.
from __future__ import annotations

import re
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, Router, get
from litestar.exceptions import TooManyRequestsException

from services.common.page_errors import PAGE_EXCEPTION_HANDLERS
from services.common.public import NO_SESSION, cacheable, rate_limit, render, too_many_page
from shared.config import Settings
from shared.finder.domain.search import RADII_KM, radius_of
from shared.finder.domain.tree import walk
from shared.kernel.errors import Invalid, NotFound
from shared.portal import Portal
from shared.register.domain.localities import SOURCE, localities

FINDER, DECISION = "/programme", "/entscheidung"
CHOICES = re.compile(r"[0-9](-[0-9]){0,39}")


def _page(request: Request, template: str, context: dict, status: int = 200, max_age: int = 60) -> Response:
    body = render(request, template, context)
    if status != 200:  # a refusal is not kept by caches
        return Response(content=body, status_code=status, media_type=MediaType.HTML)
    return cacheable(request, body, MediaType.HTML, max_age)


def _finder_url(programme: str | None, place: str = "", radius: int | None = None) -> str:
    query = {"programm": programme or "", "ort": place, "umkreis": radius or ""}
    return FINDER + "?" + urlencode({k: v for k, v in query.items() if v})


@get(FINDER, sync_to_thread=True)
def finder_page(request: Request, portal: Portal, programm: str | None = None, ort: str | None = None,
                umkreis: str | None = None) -> Response:
    """Programme type, postcode or place, radius; the offerings nearest first with their free places."""
    finder, sup = portal.finder, portal.supervision
    catalogue = sup.catalogue()
    descriptions = sup.decision_tree().tree["descriptions"]
    context: dict = {"active": "programme", "types": [(s, pt.name_de) for s, pt in catalogue.programme_types.items()],
                     "programme": programm or "", "place": (ort or "").strip()[:80], "radius": umkreis or "",
                     "source": SOURCE, "error": None, "hits": None, "widen": None}
    try:
        slug = finder.programme_of(programm, "programm")
        radius = radius_of(umkreis, "umkreis")
        context.update(radius=radius, radii=sorted({*RADII_KM, radius}))
        if slug:
            context.update(programme_name=catalogue.programme_types[slug].name_de,
                           description=descriptions.get(slug, ""),
                           assistance_only=catalogue.programme_types[slug].social_assistance_only)
        if context["place"]:
            origin = localities().resolve(context["place"], "ort")
            found = finder.find(origin, radius, slug)
            names = finder.programme_names()
            context.update(origin=origin, place=origin.label, hits=[
                {"item": h.listing, "distance": h.distance_km, "programme_name": names.get(h.listing.programme, "")}
                for h in found.hits], widen=found.widen)
            if found.widen and found.widen["reason"] == "radius":
                context["widen_url"] = _finder_url(slug, origin.label, found.widen["radius_km"])
            elif found.widen and found.widen["reason"] == "programme":
                context["widen_url"] = _finder_url(None, origin.label, radius)
    except Invalid as exc:
        context.update(error=exc.message, radii=context.get("radii") or list(RADII_KM))
        return _page(request, "public_finder.html", context, status=422)
    return _page(request, "public_finder.html", context)


def _choices(wahl: str | None) -> list[int]:
    if not wahl:
        return []
    if not CHOICES.fullmatch(wahl):
        raise NotFound("Diesen Schritt gibt es in der Entscheidungshilfe nicht")
    return [int(c) for c in wahl.split("-")]


def _step_url(choices: list[int]) -> str:
    return DECISION + ("?wahl=" + "-".join(str(c) for c in choices) if choices else "")


@get(DECISION, sync_to_thread=True)
def decision_page(request: Request, portal: Portal, wahl: str | None = None) -> Response:
    """One question at a time; the answers so far with a way back to each; at the end the programme type(s) with
    their short description and a button into the finder."""
    sup = portal.supervision
    tree = sup.decision_tree()
    catalogue = sup.catalogue()
    try:
        choices = _choices(wahl)
        position = walk(tree.tree, choices)
    except NotFound as exc:
        return _page(request, "public_decision.html", {"active": "entscheidung", "error": exc.message,
                                                       "restart": DECISION}, status=404)

    def programmes(slugs: list[str]) -> list[dict]:
        return [{"slug": s, "name": catalogue.programme_types[s].name_de,
                 "assistance_only": catalogue.programme_types[s].social_assistance_only,
                 "description": tree.tree["descriptions"].get(s, ""), "finder": _finder_url(s)}
                for s in slugs if s in catalogue.programme_types]

    steps = [{"question": step.question["text"], "answer": step.question["answers"][step.choice]["label"],
              "change": _step_url(choices[:i])} for i, step in enumerate(position.steps)]
    context: dict = {"active": "entscheidung", "steps": steps, "number": len(steps) + 1, "restart": DECISION,
                     "back": _step_url(choices[:-1]) if choices else None, "error": None}
    if position.question is not None:
        q = position.question
        context["question"] = {"text": q["text"], "hint": q.get("hint"), "answers": [
            {"label": a["label"], "href": _step_url([*choices, i])} for i, a in enumerate(q["answers"])]}
    else:
        o = position.outcome
        fallback = o.get("fallback")
        context["outcome"] = {"title": o["title"], "text": o["text"], "link": o.get("link"),
                              "programmes": programmes(o["programmes"]),
                              "fallback": {"text": fallback["text"], "programmes": programmes(fallback["programmes"])}
                              if fallback else None}
    return _page(request, "public_decision.html", context, max_age=300)


def router(settings: Settings) -> Router:
    return Router(path="/", route_handlers=[finder_page, decision_page], include_in_schema=False,
                  middleware=[rate_limit(settings)], opt=NO_SESSION,
                  exception_handlers={**PAGE_EXCEPTION_HANDLERS, TooManyRequestsException: too_many_page})
