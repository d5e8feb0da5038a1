"""Stored event names: each event keeps the name it was first stored under, wherever its class lives now.

The eventsourcing library stores every event with a topic, `<module>:<Class>.<Event>`, and resolves the
class from it when the event is read. The names are part of the stored record (and of its audit hash), so
they never change: an aggregate that moves to another module declares the module it was first stored from,
and both old and new events read and write that same name."""
from __future__ import annotations

from eventsourcing.utils import register_topic


def keep_stored_names(first_module: str, *aggregates: type) -> None:
    """Give the aggregate classes and every event class nested in them the topic under `first_module`."""
    for aggregate in aggregates:
        for cls in (aggregate, *_nested_classes(aggregate)):
            topic = f"{first_module}:{cls.__qualname__}"
            cls.TOPIC = topic  # read by eventsourcing.utils.construct_topic when an event is stored
            register_topic(topic, cls)  # and resolves to this class when one is read


def _nested_classes(aggregate: type) -> list[type]:
    prefix = aggregate.__qualname__ + "."
    return [v for v in vars(aggregate).values()
            if isinstance(v, type) and v.__qualname__.startswith(prefix) and v.__module__ == aggregate.__module__]
