"""The public API (api.md «Public, no login»): offerings with free places, the decision tool, localities."""
# Aggregate figures only, never a person; rate-limited and cacheable.
from __future__ import annotations

from litestar import MediaType, Request, Response, Router, get
from litestar.exceptions import TooManyRequestsException
from litestar.openapi.datastructures import ResponseSpec
from litestar.serialization import encode_json

from services.common.errors import ErrorsOut
from services.common.public import NO_SESSION, cacheable, rate_limit, too_many_json
from services.supervision.schemas import LIMITED, DecisionTreeOut, LocalitiesOut, PublicOfferingsOut
from shared.config import Settings
from shared.portal import Portal
from shared.register.domain.localities import SOURCE, localities

FINDER_PAGE = "/programme"
def _json(request: Request, data: dict, max_age: int) -> Response:
    return cacheable(request, encode_json(data), MediaType.JSON, max_age)


@get("/offerings", sync_to_thread=True, summary="Angebote im Umkreis einer Postleitzahl, mit freien Plätzen",
     responses={**LIMITED, 422: ResponseSpec(data_container=ErrorsOut, generate_examples=False,
                                             description="Unbekannte Postleitzahl, "
                                             "Programmart oder ungültiger Umkreis")})
def public_offerings(request: Request, portal: Portal, programme: str | None = None, plz: str | None = None,
                     radius_km: str | None = None, place: str | None = None) -> Response[PublicOfferingsOut]:
    """The offerings running today within `radius_km` (default 20) of the postcode, nearest first (great-circle
    distance on WGS84), each with its free places (places − occupied) and waiting list from the latest capacity
    report and that report's month. An unknown postcode answers 422 in German."""
    return _json(request, portal.finder.search(programme, plz, radius_km, place), 60)


def tree_view(tree, catalogue) -> dict:
    """The tree as the public reads it: each programme type with its German name, description and finder link."""
    descriptions = tree.tree["descriptions"]

    def programmes(slugs: list[str]) -> list[dict]:
        return [{"programme": s, "name": catalogue.programme_types[s].name_de if s in catalogue.programme_types
                 else s, "description": descriptions.get(s, ""), "finder": f"{FINDER_PAGE}?programm={s}"}
                for s in slugs]

    outcomes = []
    for o in tree.tree["outcomes"]:
        fallback = o.get("fallback")
        outcomes.append({**o, "programmes": programmes(o["programmes"]),
                         "fallback": {"text": fallback["text"], "programmes": programmes(fallback["programmes"])}
                         if fallback else None})
    return {"version": tree.version, "start": tree.tree["start"], "questions": tree.tree["questions"],
            "outcomes": outcomes}


@get("/decision-tree", sync_to_thread=True, summary="Die Entscheidungshilfe «Was ist das Ziel?» als Daten",
     responses=LIMITED)
def public_decision_tree(request: Request, portal: Portal) -> Response[DecisionTreeOut]:
    """Questions with their answers (each leads to a question or an outcome), and outcomes with programme types,
    their short descriptions from the brochure and a link into the finder (domain-rules §8)."""
    sup = portal.supervision
    return _json(request, tree_view(sup.decision_tree(), sup.catalogue()), 300)


@get("/localities", sync_to_thread=True, summary="Ortschaften zu einer Eingabe (PLZ oder Ort), für Vorschläge",
     responses=LIMITED)
def public_localities(request: Request, q: str | None = None) -> Response[LocalitiesOut]:
    """Up to ten localities whose postcode or name starts with the text (Quelle: swisstopo)."""
    found = localities().suggest((q or "")[:60])
    return _json(request, {"localities": [{"plz": loc.postcode, "place": loc.place, "canton": loc.canton,
                                           "label": loc.label} for loc in found], "source": SOURCE}, 86400)


def router(settings: Settings) -> Router:
    return Router(path="/api/v1/public", route_handlers=[public_offerings, public_decision_tree, public_localities],
                  tags=["Öffentlich"], middleware=[rate_limit(settings)], opt=NO_SESSION,
                  exception_handlers={TooManyRequestsException: too_many_json})
