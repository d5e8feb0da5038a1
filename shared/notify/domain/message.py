"""One e-mail the portal sent, as an event: who (recipients), what (kind, subject, provider, month), when.

The aggregate's id comes from the message's key (e.g. «approved:<invoice>:<version>»), so a message is sent
once however often the job runs; no participant data is ever part of a message."""
from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names


def message_id(key: str):
    return stable_id("mail-message", key)


class MailMessage(Aggregate):
    @staticmethod
    def create_id(key: str, **_: object):
        return message_id(key)

    @event("Sent")
    def __init__(self, key: str, kind: str, recipients: list[str], subject: str, provider: str | None,
                 period: str | None):
        self.key = key
        self.kind = kind
        self.recipients = list(recipients)
        self.subject = subject
        self.provider = provider
        self.period = period


keep_stored_names("shared.notify.domain.message", MailMessage)
