"""The use-case layer: one eventsourcing Application per service (load, call the aggregate, save)."""
