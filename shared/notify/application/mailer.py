"""The e-mail job: what is due now (from the read models and the register), each message sent once through the
sender and recorded as a MailMessage event in the supervision store. Run it as often as you like."""
from __future__ import annotations

import logging

from shared.notify.domain.due import Mail, addresses, corrected_mail, deadline_mail, review_mail
from shared.notify.domain.message import MailMessage, message_id
from shared.submissions.domain.deadlines import month_due

log = logging.getLogger("ami.mail")
REVIEWS = """
SELECT r.invoice_id, r.provider, r.period, r.approved_version, r.returned_version, i.version
FROM reviews r JOIN invoices i ON i.invoice_id = r.invoice_id WHERE r.period >= ? ORDER BY r.period, r.provider
"""
LOOK_BACK = 2  # months before the month now due whose reviews still lead to a message (not the whole history)


def due_mail(portal, *, supervision_mail: str | None = None, reporting_url: str = "",
             supervision_url: str = "") -> list[Mail]:
    """Every message due now (sent or not): reviews of the recent months to the providers' contacts, corrected
    returns to the supervisors (`supervision_mail`), and for the month now due a reminder or a «Mahnung» where
    no invoice came."""
    today = portal.reporting.clock().date()
    due = month_due(today)
    providers = {p.slug: p for p in portal.supervision.providers()}
    views = portal.views
    views.catch_up()
    mails: list[Mail] = []
    since = due
    for _ in range(LOOK_BACK):
        since = since.previous()
    for iid, slug, period, approved, returned, version in views.rows(REVIEWS, (str(since),)):
        provider = providers.get(slug)
        if provider is None:
            continue
        to = addresses(provider.contact)
        link = f"{reporting_url}/rechnungen/{iid}"
        if approved is not None:
            mails.append(review_mail("approved", str(iid), approved, slug, provider.name, period, to, link))
        if returned is not None:
            mails.append(review_mail("returned", str(iid), returned, slug, provider.name, period, to, link))
            if version > returned and supervision_mail:
                mails.append(corrected_mail(str(iid), version, slug, provider.name, period,
                                            addresses(supervision_mail),
                                            f"{supervision_url}/rechnungen/{iid}"))
    deadline = portal.reporting.deadlines.deadline(due)
    for row in views.overview(due)["providers"]:
        provider = providers.get(row["provider"])
        if provider is None or not provider.active or row["invoice"] != "missing":
            continue
        mail = deadline_mail(provider.slug, provider.name, due, deadline, today, addresses(provider.contact),
                             f"{reporting_url}/meldungen")
        if mail is not None:
            mails.append(mail)
    return mails


def send_due(portal, sender, **options: str | None) -> list[str]:
    """Send what is due and not sent yet (one event per message); a message without an address is left
    (it is sent once the register names one). Returns the keys sent."""
    sent = []
    for mail in due_mail(portal, **options):
        if not mail.recipients or portal.supervision.get_or_none(message_id(mail.key)) is not None:
            continue
        sender.send(mail)
        portal.supervision.save(MailMessage(key=mail.key, kind=mail.kind, recipients=list(mail.recipients),
                                            subject=mail.subject, provider=mail.provider, period=mail.period))
        log.info("mail sent: kind=%s key=%s recipients=%d", mail.kind, mail.key, len(mail.recipients))
        sent.append(mail.key)
    return sent


