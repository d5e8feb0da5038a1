"""The decision tool for the canton's staff: the tree in force, its history, and (administration only) a new
version from the whole tree as JSON; a refused version comes back in German with the text kept."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from litestar import Request, Response, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from services.common import web_auth
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.portal import Portal
from shared.presentation import labels
from shared.presentation.format import local_time

log = logging.getLogger("ami.access")
PATH = "/register/entscheidungshilfe"
SECTIONS = {"start": "Start", "questions": "Fragen", "outcomes": "Ergebnisse", "descriptions": "Beschreibungen"}


@dataclass
class TreeForm:
    tree: str = ""


def _page(request: Request, principal: Principal, portal: Portal, *, status: int = 200, error: str | None = None,
          text: str | None = None) -> Template:
    sup = portal.supervision
    tree = sup.decision_tree()
    tz = portal.settings.timezone
    history = [{"version": h["version"], "time": local_time(h["time"], tz), "actor": labels.actor(h["actor"]),
                "event": labels.event(h["event"]), "changed": ", ".join(SECTIONS[c] for c in h["changed"])}
               for h in reversed(sup.decision_tree_history())]
    names = {slug: pt.name_de for slug, pt in sup.catalogue().programme_types.items()}
    return Template("register_decision.html", status_code=status, context=web_auth.page_context(
        request, principal, active="register", tree=tree.tree, version=tree.version, history=history, names=names,
        may_change=principal.may("administer"), error=error, saved=request.query_params.get("gespeichert"),
        text=text if text is not None else json.dumps(tree.tree, ensure_ascii=False, indent=2)))


@get(PATH, dependencies={"principal": web_auth.page_guard("supervise")}, sync_to_thread=True)
def decision_tree_page(request: Request, principal: Principal, portal: Portal) -> Template:
    """Questions, answers and outcomes as the public sees them, with every version's author and time."""
    return _page(request, principal, portal)


@post(PATH, dependencies={"principal": web_auth.page_guard("administer")}, sync_to_thread=True)
def revise_decision_tree(request: Request, principal: Principal, portal: Portal,
                         data: TreeForm = Body(media_type=RequestEncodingType.URL_ENCODED)) -> Response:
    text = (data.tree or "")[:200_000]
    try:
        try:
            tree = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Invalid(f"Kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}): {exc.msg}", "tree",
                          None) from exc
        before = portal.supervision.decision_tree().version
        after = portal.supervision.revise_decision_tree(tree, principal.name).version
    except Invalid as exc:
        return _page(request, principal, portal, status=422, error=exc.message, text=text)
    log.info("revised decision tree: actor=%s version=%s", principal.name, after)
    return Redirect(f"{PATH}?gespeichert={'ja' if after > before else 'unveraendert'}", status_code=303)


HANDLERS = [Router(path="/", include_in_schema=False, exception_handlers=web_auth.PAGE_EXCEPTION_HANDLERS,
                   route_handlers=[decision_tree_page, revise_decision_tree])]
