"""The projector tests' month: documents and decisions of March and April 2025 for three providers, told through the
real intake (the `told` fixture of conftest.py), and what they need to tell it."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.portal.reporting import Upload
from shared.readmodels.projector import TOPICS

TZ = ZoneInfo("Europe/Zurich")
HEADER = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;"
          "Leistung;Menge;Ansatz;Betrag")
CAPACITY = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste"
IA_EXIT = "03.2025;RM-3;integration.arbeit;RM-IA;Selbstzahler;;;28.03.2025;Stelle 1. Arbeitsmarkt;"


def csv(*rows: str, header: str = HEADER) -> Upload:
    return Upload(("\n".join([header, *rows]) + "\n").encode(), "text/csv", "test.csv")


def at(clock, day: str) -> None:
    clock.now = datetime.fromisoformat(day).replace(tzinfo=TZ)


def tell_a_month(portal, clock) -> dict:
    """Documents and decisions of March and April 2025 for three providers; returns the invoices by name."""
    sup, rep = portal.supervision, portal.reporting
    offerings = (("regiomech", "RM-Q", "qualifizierung", {"assignment_day": "75.00"}),
                 ("regiomech", "RM-IA", "integration-arbeit", {}),
                 ("oltech", "OT-IA", "integration-arbeit", {}),
                 ("heks", "HK-CO", "coaching", {}))
    for provider, code, programme, agreed in offerings:
        sup.register_offering(provider, code, {"programme_type": programme, "places": 10,
                                               "agreed_tariffs": agreed, "valid_from": "2025-01-01"}, "test")
    sup.change_offering("heks", "HK-CO", {"places": 12}, "test")
    docs = {}
    at(clock, "2025-04-03T09:00")
    docs["rm"] = rep.submit_invoice("regiomech", csv(
        "03.2025;RM-1;Qualifizierung;RM-Q;Selbstzahler;;;;;Einsatztag;23;80.00;1840.00",
        "03.2025;RM-2;Qualifizierung;RM-Q;Sozialhilfe;;;;;Einsatztag;21.7;75.00;1627.50",
        IA_EXIT + "Coachingstunde;4;250.00;1000.00",
        IA_EXIT + "Einsatztag;10;90.00;900.00",
        "03.2025;RM-4;integration.arbeit;RM-IA;ALV;;;14.03.2025;Abbruch;Coachingstunde;1;250.00;250.00"),
        "test").document
    at(clock, "2025-04-05T10:00")
    rep.submit_capacity_report("regiomech", csv("03.2025;Qualifizierung;RM-Q;10;1;0;0;2",
                                                "03.2025;integration.arbeit;RM-IA;10;2;0;2;0",
                                                header=CAPACITY), "test")
    at(clock, "2025-04-08T11:00")
    docs["rm2"] = rep.correct_invoice("regiomech", docs_id(docs["rm"]), csv(
        "03.2025;RM-1;Qualifizierung;RM-Q;Selbstzahler;;;;;Einsatztag;21.7;75.00;1627.50",
        "03.2025;RM-2;Qualifizierung;RM-Q;Sozialhilfe;KGS-45;;;;Einsatztag;21.7;75.00;1627.50",
        IA_EXIT + "Coachingstunde;4;250.00;1000.00",
        IA_EXIT + "Einsatztag;10;90.00;900.00",
        "03.2025;RM-4;integration.arbeit;RM-IA;ALV;;;14.03.2025;Abbruch;Coachingstunde;1;250.00;250.00"),
        "test").document
    at(clock, "2025-04-14T08:00")  # late
    docs["ot"] = rep.submit_invoice("oltech", csv(
        "03.2025;OT-1;integration.arbeit;OT-IA;Sozialhilfe;KGS-9;;20.03.2025;Lehre;Coachingstunde;2.3;250;575",
        "03.2025;OT-2;integration.arbeit;OT-IA;Selbstzahler;;;;;Einsatztag;12;90;1080"), "test").document
    at(clock, "2025-04-20T08:00")
    docs["ot_sup"] = rep.submit_invoice("oltech", csv(
        "03.2025;OT-2;integration.arbeit;OT-IA;Selbstzahler;;;;;Einsatztag;12;90;1080",
        "03.2025;OT-3;integration.arbeit;OT-IA;Selbstzahler;;;;;Coachingstunde;1;250;250"), "test").document
    at(clock, "2025-04-21T08:00")
    rep.submit_capacity_report("oltech", csv("03.2025;integration.arbeit;OT-IA;10;1;1;1;0", header=CAPACITY),
                               "test")
    report = rep.capacity_reports("oltech", "2025-03")[0]
    at(clock, "2025-04-22T08:00")
    rep.correct_capacity_report("oltech", report.id, csv("03.2025;integration.arbeit;OT-IA;10;3;1;1;0",
                                                         header=CAPACITY), "test")
    at(clock, "2025-05-12T08:00")  # late, and the capacity report is due: missing
    docs["hk"] = rep.submit_invoice("heks", csv(
        "04.2025;HK-1;Coaching;HK-CO;Selbstzahler;;;;;Coachingstunde;3;200;600",
        "04.2025;HK-2;Qualifizierung;;Selbstzahler;;;;;Einsatztag;5;80;400"), "test").document

    invoice = rep.invoice(None, docs_id(docs["rm"]))
    for line in invoice.result["lines"]:
        for f in line["findings"]:
            decision = "waived" if f["severity"] == "warning" else "confirmed"
            sup.review_finding(invoice.id, line["row"], f["code"], decision, "geprüft", "user:aufsicht")
    sup.approve(invoice.id, "ok", "user:aufsicht")
    ot = rep.invoice(None, docs_id(docs["ot"]))
    first = ot.result["lines"][0]
    sup.review_finding(ot.id, first["row"], first["findings"][0]["code"], "confirmed", "", "user:aufsicht")
    sup.return_for_correction(ot.id, "Viertelstunden", "user:aufsicht")
    return docs


def docs_id(doc: dict):
    from uuid import UUID

    return UUID(doc["id"])


def relevant_events(portal) -> int:
    return sum(len(app.recorder.select_notifications(1, 100_000, topics=TOPICS[name]))
               for name, app in (("reporting", portal.reporting), ("supervision", portal.supervision)))
