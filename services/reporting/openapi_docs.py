"""What the reporting service's OpenAPI document says about each operation (German, for providers)."""
# What the reporting service's OpenAPI document says about each operation (German, for a provider's developer):
# audience tag, summary, description, the upload bodies and real examples.
from __future__ import annotations

from services.common import openapi_examples as ex
from services.common.openapi import Doc

A = "Anbieter"
UPLOAD = ("Eine Datei als CSV (`text/csv`, Trennzeichen `;` oder `,`, UTF-8 oder Windows-1252), XLSX (erstes "
          "Blatt oder das Blatt «Rechnung»/«Kapazität»), JSON oder als Formular mit dem Feld `file`. Kopfzeilen "
          "deutsch, in beliebiger Reihenfolge; Zahlen mit Punkt oder Komma, Tausender mit Apostroph.")
REJECTED = ("Die Datei hat Formatfehler: jeder mit Zeile (Kopfzeile = 1), Spalte, Wert und deutscher Meldung; "
            "nichts gespeichert", ex.ERRORS)
TOO_LARGE = ("Datei zu gross (Grösse oder Zeilenzahl über der Grenze); nichts gespeichert",
             {"errors": [{"row": None, "column": None, "value": None,
                          "message": "Die Datei ist grösser als 10 MB"}]})
NOT_FOUND = ("Kein Dokument mit dieser ID bei Ihrem Anbieter", ex.DETAIL_404)

DOCS: dict[str, Doc] = {
    "GET /health": Doc("Betrieb", "Erreichbarkeit des Dienstes",
                       "200, sobald der Dienst seinen Speicher lesen kann (beide Ereignisprotokolle).",
                       answers={200: ("Dienst bereit", {"status": "ok", "notifications": {"reporting": 1916,
                                                                                          "supervision": 18630}})}),
    "GET /api/v1/offerings": Doc(A, "Eigene Angebote", "Die Angebote Ihres Anbieters, wie der Kanton sie "
                                 "registriert hat (nur lesen).", answers={200: ("Die Angebote", [ex.OFFERING])}),
    "GET /api/v1/agreements": Doc(A, "Eigene Leistungsvereinbarungen",
                                  "Die Leistungsvereinbarungen Ihres Anbieters mit dem Kanton (nur lesen)."),
    "GET /api/v1/invoices": Doc(A, "Eigene Rechnungen", "Die Rechnungen Ihres Anbieters in ihrer letzten Version, "
                                "ohne Zeilen; mit `period=JJJJ-MM` nur die eines Monats.",
                                answers={200: ("Die Rechnungen", [ex.INVOICE_SUMMARY])}),
    "POST /api/v1/invoices": Doc(
        A, "Monatsrechnung einreichen",
        "Die Rechnung wird gelesen, nach den Abrechnungsregeln geprüft und als ein Ereignis gespeichert. Die "
        "Antwort enthält jede Zeile mit verrechnetem und zulässigem Betrag, Befunden und Berechnung. Dieselben "
        "Bytes noch einmal gesendet: 200 mit der bestehenden Rechnung, keine neue Version.",
        body=ex.upload_body(ex.INVOICE_CSV, ex.INVOICE_JSON), body_description=UPLOAD,
        answers={201: ("Gespeichert und geprüft: die Rechnung", ex.INVOICE),
                 200: ("Dieselbe Datei war schon eingegangen: die bestehende Rechnung", ex.INVOICE),
                 413: TOO_LARGE, 422: REJECTED}),
    "GET /api/v1/invoices/{invoice_id}": Doc(
        A, "Eine Rechnung mit Prüfergebnis", "Die Rechnung in ihrer letzten Version (oder `?version=N`): Zeilen mit "
        "verrechnetem und zulässigem Betrag, Befunden und Berechnung.",
        answers={200: ("Die Rechnung", ex.INVOICE), 404: NOT_FOUND}),
    "POST /api/v1/invoices/{invoice_id}/versions": Doc(
        A, "Korrigierte Rechnung einreichen", "Eine neue Version der Rechnung (ein Ereignis), wieder geprüft; jede "
        "frühere Version bleibt lesbar.", body=ex.upload_body(ex.INVOICE_CSV, ex.INVOICE_JSON),
        body_description=UPLOAD,
        answers={201: ("Die neue Version, geprüft", {**ex.INVOICE, "version": 2}), 404: NOT_FOUND,
                 413: TOO_LARGE, 422: REJECTED}),
    "GET /api/v1/invoices/{invoice_id}/history": Doc(
        A, "Verlauf einer Rechnung", "Jedes Ereignis der Rechnung: Typ, Zeit (UTC), wer, Version und Summen.",
        answers={200: ("Die Ereignisse, älteste zuerst", ex.HISTORY), 404: NOT_FOUND}),
    "GET /api/v1/invoices/{invoice_id}/original": Doc(
        A, "Eingereichte Originaldatei", "Die Datei genau so, wie sie gesendet wurde, Byte für Byte (oder "
        "`?version=N`)."),
    "GET /api/v1/capacity-reports": Doc(A, "Eigene Kapazitätsmeldungen", "Die Kapazitätsmeldungen Ihres Anbieters; "
                                        "mit `period=JJJJ-MM` nur die eines Monats.",
                                        answers={200: ("Die Kapazitätsmeldungen", [ex.CAPACITY_REPORT])}),
    "POST /api/v1/capacity-reports": Doc(
        A, "Kapazitätsmeldung einreichen", "Plätze, Belegung, Eintritte und Austritte eines Monats je Angebot; die "
        "Rechnungen des Monats werden danach neu beurteilt.",
        body=ex.upload_body(ex.CAPACITY_CSV, ex.CAPACITY_JSON), body_description=UPLOAD,
        answers={201: ("Gespeichert: die Kapazitätsmeldung", ex.CAPACITY_REPORT),
                 200: ("Dieselbe Datei war schon eingegangen", ex.CAPACITY_REPORT), 413: TOO_LARGE,
                 422: REJECTED}),
    "GET /api/v1/capacity-reports/{report_id}": Doc(
        A, "Eine Kapazitätsmeldung", "Die Kapazitätsmeldung in ihrer letzten Version.",
        answers={200: ("Die Kapazitätsmeldung", ex.CAPACITY_REPORT), 404: NOT_FOUND}),
    "POST /api/v1/capacity-reports/{report_id}/versions": Doc(
        A, "Korrigierte Kapazitätsmeldung einreichen", "Eine neue Version der Meldung; die Rechnungen des Monats "
        "werden neu beurteilt.", body=ex.upload_body(ex.CAPACITY_CSV, ex.CAPACITY_JSON), body_description=UPLOAD,
        answers={201: ("Die neue Version", {**ex.CAPACITY_REPORT, "version": 2}), 404: NOT_FOUND,
                 413: TOO_LARGE, 422: REJECTED}),
    "GET /api/v1/cost-approvals": Doc(
        A, "Eigene Kostengutsprachen", "Die Kostengutsprachen Ihres Anbieters, je mit bewilligter, verrechneter und "
        "verbleibender Menge bzw. Betrag."),
    "POST /api/v1/cost-approvals": Doc(
        A, "Kostengutsprachen erfassen", "Eine Kostengutsprache als JSON-Objekt, viele als JSON-Liste, CSV oder XLSX; "
        "dieselbe Referenz noch einmal erfasst ihre Änderung. Die Rechnungen, die sie nennen, werden neu geprüft.",
        body={"text/csv": ex.COST_APPROVALS_CSV, ex.XLSX: None, "application/json": ex.COST_APPROVAL_JSON,
              "multipart/form-data": None}, body_description=UPLOAD,
        answers={413: TOO_LARGE, 422: REJECTED}),
    "GET /api/v1/invoices/{invoice_id}/statements": Doc(
        A, "Belege einer Rechnungsversion",
        "Die Abrechnungen an die Zahlenden dieser Version: je Sozialdienst (nach dem Register des Kantons), die "
        "Forderung an den Kanton und je selbstzahlende Person eine Rechnung mit QR-Zahlteil; Totale auf 5 Rappen "
        "gerundet. `version=` wählt eine frühere Version.", answers={404: NOT_FOUND}),
    "GET /api/v1/invoices/{invoice_id}/statements/{document}": Doc(
        A, "Ein Beleg als PDF/A",
        "Der Beleg Nummer `document` (z. B. `1.pdf`) als PDF/A mit Prüfsiegel; eine Rechnung an eine "
        "teilnehmende Person ohne Name und Adresse.", answers={404: NOT_FOUND}),
    "POST /api/v1/invoices/{invoice_id}/statements/{document}": Doc(
        A, "Rechnung an eine teilnehmende Person mit Name und Adresse",
        "Wie GET, mit Name und Adresse der zahlenden Person im Formular oder als JSON (`name`, `street`, "
        "`postcode`, `city`): sie stehen nur in diesem PDF und werden weder gespeichert noch protokolliert.",
        answers={404: NOT_FOUND}),
    "GET /api/v1/statements.zip": Doc(
        A, "Alle Belege eines Monats als ZIP",
        "Die Belege jeder Rechnung des Monats `period=JJJJ-MM` (letzte Versionen) in einer ZIP-Datei."),
}
