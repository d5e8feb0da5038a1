"""`ami mail`: the e-mail notifications due now sent once (AMI_SMTP_URL), or followed every few minutes
(`ami serve` runs it so). Without an SMTP server nothing is sent, and the log says so once."""
from __future__ import annotations

import logging
import signal
import threading

from services.cli.context import env_with
from shared.config import load_settings

log = logging.getLogger("ami.mail")
INTERVAL_SECONDS = 300


def run_mail(portal, *, follow: bool = False, interval: float = INTERVAL_SECONDS,
             stop: threading.Event | None = None) -> int:
    """Send what is due once, or until `stop` every `interval` seconds. An SMTP failure is logged and tried again
    on the next round (a message counts as sent only once its event is stored)."""
    from shared.notify.adapters.smtp import SmtpSender
    from shared.notify.application.mailer import send_due

    settings = portal.settings
    stop = stop or threading.Event()
    if not settings.smtp_url:
        log.info("Kein SMTP-Server (AMI_SMTP_URL): es werden keine E-Mails versandt.")
        if follow:
            stop.wait()  # stays, so that `ami serve` does not start it (and log it) again
        return 0
    sender = SmtpSender(settings.smtp_url, settings.mail_from)
    options = {"supervision_mail": settings.supervision_mail,
               "reporting_url": f"http://{settings.host}:{settings.reporting_port}",
               "supervision_url": f"http://{settings.host}:{settings.supervision_port}"}
    while True:
        try:
            sent = send_due(portal, sender, **options)
            if sent:
                log.info("%d E-Mails versandt", len(sent))
        except OSError as exc:  # the server is away: the next round tries again
            log.warning("E-Mail-Versand gescheitert: %s", exc)
        if not follow or stop.wait(interval):
            return 0


def cmd_mail(args) -> int:
    """Send the notifications due now; --follow: again every --interval seconds until stopped."""
    from shared.portal import open_portal

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    portal = open_portal(load_settings(env_with(args)))
    try:
        return run_mail(portal, follow=args.follow, interval=args.interval, stop=stop)
    finally:
        portal.close()
