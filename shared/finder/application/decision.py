"""The decision tool's use cases (mixed into the supervision Application): seeded once from the brochure's reading,
read by the public pages, revised by the canton's administration; every version an event with its actor."""
from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from shared.finder.domain.decision_tree import DECISION_TREE_ID, DecisionTree
from shared.finder.domain.tree import seed_tree, validate_tree
from shared.kernel.errors import NotFound
from shared.store.history import read_history

SEED_ACTOR = "system:bootstrap"


class DecisionTreeCommands:
    _tree_cache: DecisionTree | None = None

    def seed_decision_tree(self) -> bool:
        """The first version, §8's reading of the brochure, in a store that has none yet."""
        if self.get_or_none(DECISION_TREE_ID) is not None:
            return False
        tree = validate_tree(seed_tree(), self.catalogue().programme_types)
        try:
            self.save(DecisionTree(tree=tree, actor=SEED_ACTOR))
        except IntegrityError:  # another process seeded first
            return False
        return True

    def decision_tree(self) -> DecisionTree:
        """The tree in force, replayed again only when it changed (the public pages read it on every request)."""
        head = self.recorder.select_events(DECISION_TREE_ID, desc=True, limit=1)
        if not head:
            raise NotFound("Die Entscheidungshilfe ist noch nicht erfasst")
        cached = self._tree_cache
        if cached is None or cached.version < head[0].originator_version:
            cached = self._tree_cache = self.repository.get(DECISION_TREE_ID)
        return cached

    def revise_decision_tree(self, tree: dict, actor: str) -> DecisionTree:
        """A new version from the whole tree; the same tree again records nothing."""
        clean = validate_tree(tree, self.catalogue().programme_types)

        def command() -> DecisionTree:
            current: DecisionTree | None = self.get_or_none(DECISION_TREE_ID)
            if current is None:
                current = DecisionTree(tree=clean, actor=actor)
            elif current.tree == clean:
                return current
            else:
                current.revise(tree=clean, actor=actor)
            self.save(current)
            return current

        return self.retrying(command)

    def decision_tree_history(self) -> list[dict]:
        """Every version: when, who, and which parts changed (questions, outcomes, descriptions, start)."""
        history, previous = [], {}
        for entry in read_history(self, DECISION_TREE_ID):
            tree = entry.data.get("tree") or {}
            changed = [key for key in ("start", "questions", "outcomes", "descriptions")
                       if tree.get(key) != previous.get(key)]
            history.append({"version": entry.version, "event": entry.event,
                            "time": entry.time.isoformat(), "actor": entry.actor, "changed": changed})
            previous = tree
        return history
