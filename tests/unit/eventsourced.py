"""What the aggregate tests share: replay from events in memory and through a real SQLite store, the state
to compare, and the event classes of an aggregate found without asking shared/kernel/topics."""
from __future__ import annotations

import json
from pathlib import Path

from eventsourcing.domain import Aggregate
from eventsourcing.utils import resolve_topic

from shared.config import load_settings
from shared.store.application import PortalApplication
from shared.store.eventstore import application_env

# what an aggregate holds only in memory: unsaved events, opened forms, the attached sealer
TRANSIENT = frozenset({"_pending_events", "_opened", "_sealer", "_reevaluated_result"})


def replay(events):
    """The aggregate as its events make it, from nothing."""
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def state(aggregate) -> dict:
    """Everything an aggregate is, id, version and times included, without what it only caches."""
    return {k: v for k, v in vars(aggregate).items() if k not in TRANSIENT}


def sqlite_application(data_dir: Path) -> PortalApplication:
    """An Application of the portal (its transcodings) on an SQLite file in data_dir."""
    return PortalApplication(env=application_env(load_settings({"AMI_DATA_DIR": str(data_dir)}), "test"))


def stored_topics(app: PortalApplication, aggregate_id) -> list[str]:
    """The topic of every event of the aggregate as the store holds it."""
    return [e.topic for e in app.recorder.select_events(aggregate_id)]


def stored_states(app: PortalApplication, aggregate_id) -> list[dict]:
    """The stored JSON of every event of the aggregate, as a raw reader (the projector) sees it."""
    return [json.loads(e.state) for e in app.recorder.select_events(aggregate_id)]


def event_classes(aggregate: type[Aggregate]) -> list[type]:
    """Every event class nested in the aggregate, as the library made them (the decorators' and its own)."""
    prefix = aggregate.__qualname__ + "."
    found = []
    for name in dir(aggregate):
        value = getattr(aggregate, name)
        if isinstance(value, type) and issubclass(value, Aggregate.Event) and value.__qualname__.startswith(prefix):
            found.append(value)
    return found


def assert_topics_kept(first_module: str, *aggregates: type[Aggregate]) -> None:
    """The aggregates and all their event classes carry the topic under first_module, which resolves to them."""
    for aggregate in aggregates:
        classes = [aggregate, *event_classes(aggregate)]
        assert len(classes) >= 3, classes  # the aggregate, its Event and Created at the least
        for cls in classes:
            topic = f"{first_module}:{cls.__qualname__}"
            assert cls.TOPIC == topic
            assert resolve_topic(topic) is cls
