"""E-mail notifications: what is due, sent once each, recorded as an event."""
