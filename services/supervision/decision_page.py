"""The decision tool for the canton's staff: the tree in force, its history, a new version (administration)."""
# A new version is the whole tree as JSON; a refused version comes back in German with the text kept.
from __future__ import annotations

import json
import logging

from litestar import Request, Response, get, post
from litestar.response import Redirect

from services.common import flash
from services.common.forms import FORM
from services.common.layout import page_context, rendered
from services.common.page_guard import guarded
from services.supervision.forms import TreeForm
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.portal import Portal

log = logging.getLogger("ami.access")
PATH = "/register/entscheidungshilfe"


@get(PATH, dependencies=guarded("supervise"), sync_to_thread=True)
def decision_tree_page(request: Request, principal: Principal, portal: Portal) -> Response:
    """Questions, answers and outcomes as the public sees them, with every version's author and time; a refused
    version's message and text from the session (post/redirect/get)."""
    sup = portal.supervision
    tree = sup.decision_tree()
    note = flash.take(request)
    text = note.get("text")
    return rendered(request, "register_decision.html", context=page_context(
        request, principal, active="register", tree=tree.tree, version=tree.version,
        history=sup.decision_tree_history(), may_change=principal.may("administer"), error=note.get("error"),
        saved=request.query_params.get("gespeichert"),
        text=text if text is not None else json.dumps(tree.tree, ensure_ascii=False, indent=2)))


@post(PATH, dependencies=guarded("administer"), sync_to_thread=True)
def revise_decision_tree(request: Request, principal: Principal, portal: Portal, data: TreeForm = FORM) -> Response:
    try:
        tree, text = data.tree_json()
        before = portal.supervision.decision_tree().version
        after = portal.supervision.revise_decision_tree(tree, principal.name).version
    except Invalid as exc:
        return flash.redirect_with(request, f"{PATH}#neue-version", error=exc.message, text=data.text())
    log.info("revised decision tree: actor=%s version=%s", principal.name, after)
    return Redirect(f"{PATH}?gespeichert={'ja' if after > before else 'unveraendert'}", status_code=303)


HANDLERS = [decision_tree_page, revise_decision_tree]
