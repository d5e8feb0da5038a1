"""Configuration from the environment, read in this one module and only when asked for."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None
    reporting_port: int
    supervision_port: int
    host: str
    deadline_day: int  # late_submission: the day of the following month (domain-rules §4, an assumption)
    max_upload_bytes: int
    max_rows: int
    session_idle_minutes: int
    session_absolute_hours: int
    secure_cookies: bool
    timezone: str
    # PostgreSQL connections per Application and process: pool_size kept open, max_overflow more under load.
    # Budget: (2 applications x (size + overflow) + 3) per process; see README «Verbindungen».
    pg_pool_size: int = 2
    pg_max_overflow: int = 2
    # The secrets and the witness of the audit: the master key, the signing key and the copy of every signed
    # checkpoint. Apart from the store by default (beside AMI_DATA_DIR, not inside it), so that whoever can
    # write the store can not also rewrite its evidence; in production on another volume and owner.
    keys_dir: Path = Path("./var-keys")
    # the public finder and decision tool: requests per minute and client address (per worker process)
    public_rate_per_minute: int = 120
    # the proxies whose X-Forwarded-For names the client (AMI_TRUSTED_PROXIES: addresses or networks, comma-separated)
    trusted_proxies: tuple[str, ...] = ()
    # a request body must not pause longer than body_timeout seconds, nor arrive slower than body_min_rate bytes a
    # second after its first body_timeout seconds (AMI_BODY_TIMEOUT, AMI_BODY_MIN_RATE): slow uploads end in 408
    body_timeout: float = 10.0
    body_min_rate: int = 1024
    # e-mail notifications (shared/notify): none sent without an SMTP server
    smtp_url: str | None = None  # smtp://user:password@host:port (smtps:// for TLS, ?starttls=1)
    mail_from: str = "ami-portal@localhost"
    supervision_mail: str | None = None  # the supervisors' mailbox (a returned invoice corrected)
    # exports and year PDFs run in their own pool of this many threads per process (services/common/heavy.py),
    # so they never take the threads the light pages need
    heavy_threads: int = 2
    # ... or, when > 0, in this many processes of their own at a lower CPU priority (nice 10), each with its own
    # store connections: an export then takes no time from the light pages' interpreter (its GIL) either.
    # `ami serve` makes it 1 unless AMI_HEAVY_PROCESSES says otherwise; 0 (threads) in tests and the test client.
    heavy_processes: int = 0
    # processes that lay out the PDFs of one ZIP at once (forked, at most this many; 1 = in this process)
    pdf_workers: int = 2

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)

    def with_(self, **changes) -> Settings:
        return Settings(**{**self.__dict__, **changes})


def keys_dir_for(data_dir: Path, configured: str | None) -> Path:
    """AMI_KEYS_DIR; by default `<AMI_DATA_DIR>-keys` beside the data directory, not inside it (a store made
    before the keys moved out keeps its `<AMI_DATA_DIR>/keys`)."""
    if configured:
        return Path(configured).expanduser().resolve()
    legacy = data_dir / "keys"
    return legacy if legacy.is_dir() else data_dir.parent / f"{data_dir.name}-keys"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("AMI_DATA_DIR", "./var")).resolve()
    return Settings(
        data_dir=data_dir,
        database_url=env.get("DATABASE_URL") or None,
        reporting_port=int(env.get("AMI_REPORTING_PORT", "8001")),
        supervision_port=int(env.get("AMI_SUPERVISION_PORT", "8002")),
        host=env.get("AMI_HOST", "127.0.0.1"),
        deadline_day=int(env.get("AMI_DEADLINE_DAY", "10")),
        max_upload_bytes=int(env.get("AMI_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        max_rows=int(env.get("AMI_MAX_ROWS", "20000")),
        session_idle_minutes=int(env.get("AMI_SESSION_IDLE_MINUTES", "30")),
        session_absolute_hours=int(env.get("AMI_SESSION_ABSOLUTE_HOURS", "12")),
        secure_cookies=env.get("AMI_SECURE_COOKIES", "0") == "1",
        timezone=env.get("AMI_TIMEZONE", "Europe/Zurich"),
        pg_pool_size=int(env.get("AMI_PG_POOL_SIZE", "2")),
        pg_max_overflow=int(env.get("AMI_PG_MAX_OVERFLOW", "2")),
        keys_dir=keys_dir_for(data_dir, env.get("AMI_KEYS_DIR")),
        public_rate_per_minute=int(env.get("AMI_PUBLIC_RATE_LIMIT", "120")),
        body_timeout=float(env.get("AMI_BODY_TIMEOUT", "10")),
        body_min_rate=int(env.get("AMI_BODY_MIN_RATE", "1024")),
        trusted_proxies=tuple(p.strip() for p in env.get("AMI_TRUSTED_PROXIES", "").split(",") if p.strip()),
        smtp_url=env.get("AMI_SMTP_URL") or None,
        mail_from=env.get("AMI_MAIL_FROM", "ami-portal@localhost"),
        supervision_mail=env.get("AMI_SUPERVISION_MAIL") or None,
        heavy_threads=max(1, int(env.get("AMI_HEAVY_THREADS", "2"))),
        heavy_processes=max(0, int(env.get("AMI_HEAVY_PROCESSES", "0"))),
        pdf_workers=max(1, int(env.get("AMI_PDF_WORKERS", "2"))),
    )
