"""`ami demo`: the demo year with a rich progress bar per phase, then what it did and the demo accounts."""
from __future__ import annotations

from services.cli.context import env_with
from services.demo import cast as D
from services.demo.calendar import FIRST_YEAR, demo_span
from services.demo.progress import Progress, Summary
from shared.config import load_settings


def cmd_demo(args) -> int:
    """Fill the store with the demo year through the real intake path; print what it did and the accounts."""
    from services.demo.generator import run_demo
    from services.demo.test_programme import run_test_programme
    from shared.portal import open_portal

    portal = open_portal(load_settings(env_with(args)))
    now = portal.reporting.clock()
    if args.year is None and args.months is None:  # the calendar: 2025 up to last month
        span = demo_span(now.date())
    else:
        span = [(args.year or FIRST_YEAR, parse_months(args.months or "1-12"), 12)]
    try:
        with RichProgress() as progress:
            summary = None
            for year, months, review_until in span:
                done = run_demo(portal, year=year, months=months, progress=progress, workers=args.workers,
                                review_until=review_until, until=now)  # nothing sent before its time
                summary = done if summary is None else summary.merge(done)
            if FIRST_YEAR in [year for year, _, _ in span] and not getattr(args, "no_test_programme", False):
                # the test programme's span before the demo year (services.demo.test_programme)
                run_test_programme(portal, progress, summary)
        print_summary(summary)
    finally:
        portal.close()
    return 0


def parse_months(text: str) -> list[int]:
    """"1-12", "1-3", "1,2,6" → the months; ValueError for anything else."""
    months: set[int] = set()
    for part in text.replace(" ", "").split(","):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 12:
            raise ValueError(f"Monate «{text}»: 1 bis 12, z. B. 1-3 oder 1,2,6")
        months.update(range(first, last + 1))
    return sorted(months)


class RichProgress(Progress):
    """The CLI's progress display: one bar per phase with count, rate, elapsed and remaining time."""

    def __init__(self, console=None) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichBars

        self.bars = RichBars(SpinnerColumn(), TextColumn("[bold]{task.description:<26}"), BarColumn(),
                             MofNCompleteColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                             TimeRemainingColumn(), TextColumn("[dim]{task.fields[detail]}"), console=console,
                             transient=False)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RichProgress:
        self.bars.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bars.__exit__(*exc)

    def start(self, key: str, description: str, total: int) -> None:
        self.tasks[key] = self.bars.add_task(description, total=max(total, 1), detail="")

    def advance(self, key: str, detail: str = "", steps: int = 1) -> None:
        self.bars.update(self.tasks[key], advance=steps, detail=detail)

    def finish(self, key: str) -> None:
        task = self.tasks[key]
        self.bars.update(task, completed=self.bars.tasks[task].total, detail="fertig")


def print_summary(summary: Summary, console=None) -> None:
    """What `ami demo` did, and the demo accounts for the web pages."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"Demo-Jahr: {summary.providers} Anbieter in {summary.seconds:.1f} s",
                  show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in (
            ("Angebote registriert", summary.offerings_registered), ("Rechnungen", summary.invoices),
            ("Korrekturen", summary.corrections), ("Kapazitätsmeldungen", summary.capacity_reports),
            ("schon vorhanden (unverändert)", summary.documents_existing),
            ("Befunde beurteilt", summary.decisions), ("Rechnungen freigegeben", summary.approvals),
            ("zur Korrektur zurückgewiesen", summary.returns), ("Kostenerlasse erfasst", summary.fee_waivers),
            ("Ereignisse Meldungen / Aufsicht", f"{summary.events.get('reporting', 0)} / "
                                                f"{summary.events.get('supervision', 0)}"),
            ("in die Lesemodelle projiziert", summary.projected)):
        table.add_row(label, str(value))
    console.print(table)
    accounts = Table(title=f"Demo-Konten (Passwort «{D.PASSWORD}»)")
    for col in ("Benutzer", "Rolle", "Anbieter", ""):
        accounts.add_column(col)
    for username, role, provider in D.ACCOUNTS:
        accounts.add_row(username, role, provider or "–",
                         "neu" if username in summary.accounts_created else "bestand schon")
    console.print(accounts)
