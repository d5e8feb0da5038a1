"""Real examples for the OpenAPI documents: the submission spec's upload formats and real answers."""
# Real examples for the OpenAPI documents: the upload formats of the submission spec (as Swiss Excel writes them) and
# answers as the services give them for the demo year. Copied here: the services never read the spec.
from __future__ import annotations

from shared.finance.domain.sources import SOURCES

INVOICE_CSV = (
    "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;Menge;"
    "Ansatz;Betrag\n"
    "03.2025;B-0017;Qualifizierung;Selbstzahler;;25.03.2025;;;Einsatztag;5;80.00;400.00\n"
    "03.2025;A-0042;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n"
    "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n"
)
INVOICE_JSON = {"period": "2025-03", "lines": [
    {"participant": "B-0017", "programme": "qualifizierung", "funding": "self_payer", "entry_date": "2025-03-25",
     "unit": "assignment_day", "quantity": "5", "unit_price": "80.00", "amount": "400.00"},
    {"participant": "S-0103", "programme": "beschaeftigung-1", "funding": "social_assistance",
     "cost_approval": "KGS-OL-2025-031", "unit": "assignment_day", "quantity": "21.7", "unit_price": "35.00",
     "amount": "759.50"}]}
CAPACITY_CSV = ("Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste\n"
                "03.2025;Qualifizierung;RM-Q;20;16;2;3;3\n"
                "03.2025;Beschäftigung I;RM-B1;18;15;1;0;1\n")
CAPACITY_JSON = {"period": "2025-03", "rows": [
    {"programme": "qualifizierung", "offering": "RM-Q", "places": 20, "occupied": 16, "entries": 2, "exits": 3,
     "waiting_list": 3}]}
COST_APPROVALS_CSV = ("Kostengutsprache;Sozialdienst;Teilnehmer;Programm;Gültig ab;Gültig bis;Menge;Betrag\n"
                      "KGS-OL-2025-031;Sozialdienst Olten;S-0103;Beschäftigung I;01.03.2025;31.08.2025;130;4550.00\n")
# keyword form: its keys are JSON fields, not the funding sources' codes they share names with
COST_APPROVAL_JSON = dict(reference="KGS-OL-2025-031", social_service="Sozialdienst Olten", participant="S-0103",  # noqa: C408
                          programme="beschaeftigung-1", valid_from="2025-03-01", valid_to="2025-08-31",
                          quantity="130", amount="4550.00")
SOCIAL_SERVICES_CSV = ("Code;Name;Adresse;Gültig ab;Gültig bis\n"
                       "SD-OL;Sozialdienst Olten;Dornacherstrasse 1, 4600 Olten;01.01.2024;\n")
SOCIAL_SERVICE_JSON = {"code": "SD-OL", "name": "Sozialdienst Olten", "address": "Dornacherstrasse 1, 4600 Olten",
                       "valid_from": "2024-01-01", "valid_to": None}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_body(csv_text: str, json_value: dict) -> dict:
    """The four ways to send a document: CSV, XLSX, JSON, or a form with the field `file`."""
    return {"text/csv": csv_text, XLSX: None, "application/json": json_value, "multipart/form-data": None}


INVOICE = {
    "id": "eebd5886-de4f-50ff-9d35-9946e765a4fb", "provider": "regiomech", "period": "2025-03", "version": 1,
    "received_at": "2025-04-08T13:02:00+02:00", "status": "checked", "edition": "2024/25",
    "filename": "rechnung-2025-03.csv",
    "totals": {"claimed": "1759.50", "allowed": "1759.50", "reduction": "0.00"}, "warnings": [], "notices": [],
    "lines": [
        {"row": 2, "participant": "B-0017", "programme": "qualifizierung", "offering": None, "funding": "self_payer",
         "unit": "assignment_day", "quantity": "5", "unit_price": "80.00", "claimed": "400.00", "allowed": "400.00",
         "reduction": "0.00", "findings": [], "trace": ["5 Einsatztage × CHF 80.00 = CHF 400.00"]},
        {"row": 4, "participant": "S-0103", "programme": "beschaeftigung-1", "offering": None,
         "funding": "social_assistance", "unit": "assignment_day", "quantity": "21.7", "unit_price": "35.00",
         "claimed": "759.50", "allowed": "759.50", "reduction": "0.00",
         "findings": [{"code": "capacity_report_missing", "severity": "warning", "rule": "§4",
                       "message": "Keine Kapazitätsmeldung für Beschäftigung I im März 2025"}],
         "trace": ["21.7 Einsatztage × CHF 35.00 = CHF 759.50"]},
    ],
}
INVOICE_SUMMARY = {k: v for k, v in INVOICE.items() if k != "lines"}
HISTORY = [
    {"type": "Received", "event": "Invoice.Received", "time": "2025-04-08T11:02:00+00:00",
     "actor": "user:demo-regiomech", "version": 1, "reason": None,
     "totals": {"claimed": "1759.50", "allowed": "1759.50", "reduction": "0.00"}},
    {"type": "Corrected", "event": "Invoice.Corrected", "time": "2025-04-09T07:45:00+00:00",
     "actor": "token:buchhaltung", "version": 2, "reason": None,
     "totals": {"claimed": "1736.00", "allowed": "1736.00", "reduction": "0.00"}},
]
CAPACITY_REPORT = {
    "id": "bb1751f0-7b59-5183-95ca-6f0e18d3d98e", "provider": "regiomech", "period": "2025-03", "version": 1,
    "received_at": "2025-04-07T13:02:00+02:00", "status": "received", "late": False,
    "filename": "kapazitaet-2025-03.csv", "warnings": [],
    "rows": [{"row": 2, "period": "2025-03", "programme": "qualifizierung", "offering": "RM-Q", "places": 20,
              "occupied": 16, "entries": 2, "exits": 3, "waiting_list": 3}],
}
OFFERING = {"provider": "regiomech", "code": "RM-IA", "programme_type": "integration-arbeit",
            "name": "integration.arbeit Zuchwil", "location": "Zuchwil", "postcode": "4528", "places": 16,
            "agreed_tariffs": {}, "valid_from": "2024-01-01", "valid_to": None}
ERRORS = {"errors": [
    {"row": 3, "column": "Menge", "value": "zwei", "message": "Menge «zwei» ist keine Zahl"},
    {"row": 4, "column": "Teilnehmer", "value": "756.1234.5678.97",
     "message": "Teilnehmer «756.1234.5678.97» sieht aus wie eine AHV-Nummer: nur pseudonyme Nummern"}]}
DETAIL_404 = {"detail": "Rechnung nicht gefunden"}
OVERVIEW = {"period": "2025-03", "providers": [
    {"provider": "amie-basel", "invoice": "received", "capacity_report": "received", "claimed": "18500.00",
     "allowed": "18500.00", "open_findings": 0},
    {"provider": "regiomech", "invoice": "late", "capacity_report": "received", "claimed": "56836.75",
     "allowed": "56611.75", "open_findings": 2}]}
_SHARES = dict(zip(SOURCES, ("8775.00", "4187.50", "0.00", "4187.50", "0.00", "1350.00"), strict=True))
FUNDING = {"period": "2025-03", "kind": "period", "months": ["2025-03"], "allowed": "18500.00",
           "providers": [{"provider": "amie-basel", **_SHARES}], "total": _SHARES}
PROVIDER = {"slug": "amie-basel", "name": "AMIE Basel", "website": "https://www.amie-basel.ch", "active": True,
            "integration_arbeit_test": False}
REVIEW_IN = {"decision": "waived", "comment": "Mit dem Sozialdienst Olten telefonisch geklärt"}
