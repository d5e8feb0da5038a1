"""The social services' register as aggregates, and what an entry may hold."""
