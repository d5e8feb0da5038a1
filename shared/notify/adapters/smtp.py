"""Sending through a real SMTP server: AMI_SMTP_URL = smtp://[user:password@]host[:port][?starttls=1] or
smtps://… (TLS from the start)."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from shared.notify.domain.due import Mail


class SmtpSender:
    def __init__(self, url: str, sender: str, timeout: float = 20.0):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"AMI_SMTP_URL «{parts.scheme}://{parts.hostname or ''}…»: smtp:// oder smtps://")
        self.host, self.tls = parts.hostname, parts.scheme == "smtps"
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] == "1"
        self.sender, self.timeout = sender, timeout

    def send(self, mail: Mail) -> None:
        """One message to its recipients; an SMTP error is raised (the message counts as not sent)."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, ", ".join(mail.recipients), mail.subject
        message.set_content(mail.body)
        context = ssl.create_default_context()
        if self.tls:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.starttls:
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password or "")
            client.send_message(message)
