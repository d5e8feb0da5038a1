"""The decision tool for the canton: read it as stored, revise it (administration only), read its history."""
from __future__ import annotations

from typing import Any

from litestar import get, put
from litestar.di import Provide

from services.common.auth import current_principal, require
from shared.access.domain.roles import Principal
from shared.portal import Portal
from shared.presentation import labels

DEPS = {"principal": Provide(current_principal)}


def _stored(tree) -> dict:
    return {"version": tree.version, **tree.tree}


@get("/decision-tree", guards=[require("supervise")], sync_to_thread=True)
def get_decision_tree(portal: Portal) -> dict:
    """The tree in force as it is stored (start, questions, outcomes, descriptions), the shape PUT takes."""
    return _stored(portal.supervision.decision_tree())


@put("/decision-tree", guards=[require("administer")], dependencies=DEPS, sync_to_thread=True)
def revise_decision_tree(data: dict[str, Any], principal: Principal, portal: Portal) -> dict:
    """A new version of the whole tree (admin): every answer must lead to a question or an outcome, every path end
    at an outcome, every programme type exist and have a description; 422 in German otherwise, nothing stored."""
    return _stored(portal.supervision.revise_decision_tree(data, principal.name))


@get("/decision-tree/history", guards=[require("supervise")], sync_to_thread=True)
def decision_tree_history(portal: Portal) -> list[dict]:
    """Every version: when, who, which parts changed."""
    return [{**h, "label": labels.event(h["event"])} for h in portal.supervision.decision_tree_history()]


HANDLERS = [get_decision_tree, revise_decision_tree, decision_tree_history]
