"""Which e-mails are due, from plain facts (pure): the texts in German, without any participant data."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from shared.kernel.periods import Period

REMIND_DAYS = 3  # the reminder goes out this many days before the deadline
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Mail:
    key: str  # the message once: kind:what[:version]
    kind: str  # approved | returned | reminder | dunning | corrected
    recipients: tuple[str, ...]
    subject: str
    body: str
    provider: str | None = None
    period: str | None = None


def addresses(contact: str | None) -> tuple[str, ...]:
    """The e-mail addresses in a provider's contact text (the register keeps it as typed)."""
    return tuple(dict.fromkeys(ADDRESS.findall(contact or "")))


def month_de(period: str) -> str:
    return Period.parse(str(period)).label_de()  # «November 2026»


def review_mail(kind: str, invoice: str, version: int, provider: str, name: str, period: str,
                to: tuple[str, ...], link: str) -> Mail:
    """An invoice approved or returned for correction: to the provider's contacts."""
    month = month_de(period)
    if kind == "approved":
        subject = f"Rechnung {month} freigegeben"
        body = f"Die Aufsicht hat die Rechnung {month} von {name} in Version {version} freigegeben."
    else:
        subject = f"Rechnung {month} zur Korrektur zurückgewiesen"
        body = (f"Die Aufsicht hat die Rechnung {month} von {name} (Version {version}) zur Korrektur "
                "zurückgewiesen. Den Grund lesen Sie im Portal bei der Rechnung; bitte laden Sie dort eine "
                "Korrektur hoch.")
    return Mail(f"{kind}:{invoice}:{version}", kind, to, subject, f"{body}\n\n{link}\n", provider, period)


def corrected_mail(invoice: str, version: int, provider: str, name: str, period: str, to: tuple[str, ...],
                   link: str) -> Mail:
    """A returned invoice was corrected: to the supervisors."""
    month = month_de(period)
    return Mail(f"corrected:{invoice}:{version}", "corrected", to, f"Korrektur eingegangen: {name}, {month}",
                f"{name} hat die zurückgewiesene Rechnung {month} korrigiert (Version {version}).\n\n{link}\n",
                provider, period)


def deadline_mail(provider: str, name: str, period: Period, deadline: date, today: date,
                  to: tuple[str, ...], link: str) -> Mail | None:
    """No invoice for the month yet: a reminder in the last days before the deadline, a «Mahnung» after it."""
    month, due = month_de(str(period)), deadline.strftime("%d.%m.%Y")
    if deadline - timedelta(days=REMIND_DAYS) <= today <= deadline:
        return Mail(f"reminder:{provider}:{period}", "reminder", to, f"Erinnerung: Rechnung {month} bis {due}",
                    f"Für {month} ist von {name} noch keine Rechnung eingegangen. Die Frist endet am {due}."
                    f"\n\n{link}\n", provider, str(period))
    if today > deadline:
        return Mail(f"dunning:{provider}:{period}", "dunning", to, f"Mahnung: Rechnung {month} fehlt",
                    f"Die Frist für die Rechnung {month} ist am {due} abgelaufen; von {name} ist noch keine "
                    f"Rechnung eingegangen. Bitte reichen Sie sie umgehend ein.\n\n{link}\n", provider, str(period))
    return None
