"""The two annual PDFs: a provider's year and the canton's year, with their charts; both embed their figures
as JSON and the events they were computed from, with inclusion proofs."""

from __future__ import annotations

from datetime import date

from shared.audit.application.checkpoints import checkpoint_store
from shared.audit.application.verify_pdf import EVENTS_NAME
from shared.kernel.errors import Invalid
from shared.presentation import labels
from shared.presentation.pdf import charts
from shared.presentation.pdf.annual_figures import canton_year, reused_provider_year
from shared.presentation.pdf.document import events_json, figures_json, public_key_hex, render_document
from shared.presentation.pdf.render import EmbeddedFile
from shared.presentation.pdf.snapshot import Snapshot


def provider_report_pdf(portal, slug: str, year: int) -> bytes:
    year = check_year(year)
    provider = portal.supervision.provider(slug)
    digest = checkpoint_store(portal.settings)
    today = portal.reporting.clock().date()
    with Snapshot(portal, digest) as snap:
        data = reused_provider_year(portal, snap, slug, year, today)
        refs = snap.used_records()
    offerings = [
        o
        for o in portal.supervision.offerings(slug)
        if o.valid_from <= date(year, 12, 31) and (o.valid_to is None or o.valid_to >= date(year, 1, 1))
    ]
    catalogue = portal.supervision.catalogue()
    document = {"kind": "provider_report", "provider": slug, "year": year}
    files = _report_files(portal, document, data, digest, refs)
    context = {
        "title": f"Jahresbericht {year} {provider.name}",
        "provider": provider,
        "year": year,
        "data": data,
        "offerings": [
            {
                "code": o.code,
                "name": o.name,
                "programme": labels.programme(o.programme_type, catalogue),
                "location": o.location,
                "places": o.places,
                "valid_from": o.valid_from.isoformat(),
                "valid_to": o.valid_to.isoformat() if o.valid_to else None,
            }
            for o in offerings
        ],
        "month_chart": _month_chart(data["months"], "Verrechnete und zulässige Beträge pro Monat"),
        "occupancy_chart": _occupancy_chart(data["months"], "Plätze und Belegung pro Monat"),
        "programme_chart": charts.hbar_chart(
            [(p["name"], p["allowed"]) for p in data["programmes"]], "Zulässige Kosten nach Programmart"
        ),
    }
    return render_document(portal, digest, "provider_report.html", context, files, document)


def canton_report_pdf(portal, year: int) -> bytes:
    year = check_year(year)
    digest = checkpoint_store(portal.settings)
    today = portal.reporting.clock().date()
    providers = portal.supervision.providers()
    with Snapshot(portal, digest) as snap:
        rows = [(p, reused_provider_year(portal, snap, p.slug, year, today)) for p in providers]
        refs = snap.used_records()
    data = canton_year(year, rows)
    document = {"kind": "canton_report", "year": year}
    files = _report_files(portal, document, data, digest, refs)
    context = {
        "title": f"Jahresbericht {year} Aufsicht Arbeitsmarktintegration",
        "year": year,
        "data": data,
        "month_chart": _month_chart(
            data["months"], "Verrechnete und zulässige Beträge aller Anbietenden pro Monat"
        ),
        "provider_chart": charts.hbar_chart(
            [(p["name"], p["allowed"]) for p in data["providers"] if p["allowed"] > 0],
            "Zulässige Kosten nach Anbieter",
        ),
        "programme_chart": charts.hbar_chart(
            [(p["name"], p["allowed"]) for p in data["programmes"]], "Zulässige Kosten nach Programmart"
        ),
    }
    return render_document(portal, digest, "canton_report.html", context, files, document)


def check_year(year: int) -> int:
    """The year of a report, or a German error naming it."""
    if not 2000 <= int(year) <= 2999:
        raise Invalid(f"Jahr «{year}» ist ungültig", "year", str(year))
    return int(year)


def _report_files(portal, document: dict, data: dict, digest, refs) -> list[EmbeddedFile]:
    """What an annual report embeds: its figures as JSON and the events they come from, with proofs."""
    key_hex = public_key_hex(portal.settings)
    return [
        EmbeddedFile("kennzahlen.json", figures_json({"document": document, **data}),
                     "Die Kennzahlen dieses Berichts als JSON", "Data"),
        EmbeddedFile(EVENTS_NAME, events_json(document, digest, refs, key_hex),
                     "Die Ereignisse, aus denen der Bericht berechnet ist, mit Inklusionsbeweisen", "Data"),
    ]


def _month_chart(months: list[dict], title: str):
    return charts.bar_chart(
        [m["short"] for m in months],
        [("Verrechnet", [m["claimed"] for m in months]), ("Zulässig", [m["allowed"] for m in months])],
        title,
    )


def _occupancy_chart(months: list[dict], title: str):
    return charts.line_chart(
        [m["short"] for m in months],
        [("Plätze", [m["places"] for m in months]), ("Belegt", [m["occupied"] for m in months])],
        title,
    )
