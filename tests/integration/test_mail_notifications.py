"""E-mail notifications through a real SMTP server (aiosmtpd, started here), on SQLite and PostgreSQL: review
decisions to the provider, a reminder then a «Mahnung» before and after the deadline, a corrected return to the
supervisors; each message once, as an event, without participant data."""
from __future__ import annotations

import logging
from datetime import datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from shared.notify.adapters.smtp import SmtpSender
from shared.notify.application.mailer import send_due
from shared.notify.domain.message import message_id
from shared.portal.reporting import Upload
from tests.e2e.browser import free_port
from tests.integration.web_cases import CORRECTED, WITH_FINDINGS

ZURICH = ZoneInfo("Europe/Zurich")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], object]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for _, m in self.messages]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{port}"
    controller.stop()


def test_notifications_are_sent_once_each_as_events_without_participant_data(portal, clock, smtp):
    inbox, url = smtp
    sup, rep = portal.supervision, portal.reporting
    sup.change_provider("regiomech", {"contact": "Anna Muster, anna@regiomech.example"}, "user:admin")
    sup.change_provider("oltech", {"contact": "otto@oltech.example; Tel. 032 000 00 00"}, "user:admin")
    sender = SmtpSender(url, "ami@kanton.example")
    options = {"supervision_mail": "aufsicht@kanton.example", "reporting_url": "https://meldungen.example"}
    iid = UUID(rep.submit_invoice("regiomech", Upload(WITH_FINDINGS, "text/csv", "r.csv"), "user:anna")
               .document["id"])
    assert send_due(portal, sender, **options) == []  # 3 April: the deadline (10 April) is not near
    sup.approve(iid, "", "user:sara")
    assert send_due(portal, sender, **options) == [f"approved:{iid}:1"]
    (to, approved), = inbox.messages
    assert to == ["anna@regiomech.example"] and "Rechnung März 2025 freigegeben" in inbox.subjects()
    body = approved.get_content()
    assert "Version 1 freigegeben" in body and f"https://meldungen.example/rechnungen/{iid}" in body
    # Oltech sent nothing for March: a reminder in the last days, then a «Mahnung»
    clock.now = datetime(2025, 4, 8, 8, 0, tzinfo=ZURICH)
    assert send_due(portal, sender, **options) == ["reminder:oltech:2025-03"]
    clock.now = datetime(2025, 4, 11, 8, 0, tzinfo=ZURICH)
    assert send_due(portal, sender, **options) == ["dunning:oltech:2025-03"]
    assert inbox.subjects()[-2:] == ["Erinnerung: Rechnung März 2025 bis 10.04.2025",
                                     "Mahnung: Rechnung März 2025 fehlt"]
    assert inbox.messages[-1][0] == ["otto@oltech.example"]
    # returned, then corrected: the provider hears of the return, the supervisors of the correction
    sup.return_for_correction(iid, "Bitte Ansatz für Q-1 prüfen", "user:sara")
    rep.correct_invoice("regiomech", iid, Upload(CORRECTED, "text/csv", "r2.csv"), "user:anna")
    assert send_due(portal, sender, **options) == [f"returned:{iid}:1", f"corrected:{iid}:2"]
    assert inbox.messages[-1][0] == ["aufsicht@kanton.example"]
    # a second run (a restart) sends nothing again
    assert send_due(portal, sender, **options) == [] and len(inbox.messages) == 5
    # every message is an event: who, what, when; no participant number and no reason in any e-mail
    for key in (f"approved:{iid}:1", "reminder:oltech:2025-03", "dunning:oltech:2025-03",
                f"returned:{iid}:1", f"corrected:{iid}:2"):
        sent = sup.get_or_none(message_id(key))
        assert sent is not None and sent.recipients and sent.created_on, key
    for _, message in inbox.messages:
        text = message.get_content()
        assert "Q-1" not in text and "A-2" not in text and "Ansatz für" not in text


def test_without_an_smtp_server_nothing_is_sent_and_the_log_says_so_once(portal, caplog):
    from services.cli.mail import run_mail

    assert portal.settings.smtp_url is None
    with caplog.at_level(logging.INFO, logger="ami.mail"):
        assert run_mail(portal) == 0
    assert [r.getMessage() for r in caplog.records].count(
        "Kein SMTP-Server (AMI_SMTP_URL): es werden keine E-Mails versandt.") == 1
