"""The decision tool as an aggregate: the canton publishes a tree and revises it, each version an event."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id

DECISION_TREE_ID = stable_id("decision-tree")


class DecisionTree(Aggregate):
    """Questions, answers, outcomes and the programme types' short descriptions (shared.finder.domain.tree)."""

    @staticmethod
    def create_id() -> UUID:
        return DECISION_TREE_ID

    @event("Published")
    def __init__(self, tree: dict, actor: str):
        self.tree = tree

    @event("Revised")
    def revise(self, tree: dict, actor: str) -> None:
        self.tree = tree
