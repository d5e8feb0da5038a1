"""What the supervision service's OpenAPI document says about each operation (German)."""
# What the supervision service's OpenAPI document says about each operation (German): audience tag (Aufsicht,
# Finanzen, Öffentlich), summary, description and real examples.
from __future__ import annotations

from services.common import openapi_examples as ex
from services.common.openapi import Doc

S, F, P = "Aufsicht", "Finanzen", "Öffentlich"
PDF = " Als PDF/A-3b, mit Siegel und den eingebetteten Quelldaten; prüfbar mit `ami verify --pdf`."
NOT_FOUND = ("Nicht gefunden", ex.DETAIL_404)


def _doc(tag: str, summary: str, description: str = "", **answers) -> Doc:
    return Doc(tag, summary, description, answers=answers.get("answers", {}))


DOCS: dict[str, Doc] = {
    "GET /health": Doc("Betrieb", "Erreichbarkeit des Dienstes",
                       "200, sobald der Dienst seinen Speicher lesen kann (beide Ereignisprotokolle)."),
    # the supervisors
    "GET /api/v1/overview": _doc(S, "Monatsübersicht aller Anbietenden", "Für jeden der Anbietenden: ob Rechnung "
                                 "und Kapazitätsmeldung des Monats (`period=JJJJ-MM`) eingegangen, verspätet oder "
                                 "ausstehend sind, die Summen und die offenen Befunde.",
                                 answers={200: ("Die Übersicht", ex.OVERVIEW)}),
    "GET /api/v1/exits": _doc(S, "Austritte nach Grund", "Austritte einer Programmart (Standard integration.arbeit) "
                              "je Anbieter und Grund, optional eines Jahres."),
    "GET /api/v1/providers": _doc(S, "Alle Anbietenden", "Die Anbietenden des Registers, aktive und inaktive.",
                                  answers={200: ("Die Anbietenden", [ex.PROVIDER])}),
    "POST /api/v1/providers": _doc(S, "Anbieter erfassen", "Ein neuer Anbieter im Register (ein Ereignis)."),
    "PUT /api/v1/providers/{slug}": _doc(S, "Anbieter ändern", "Name, Website oder Status eines Anbieters; die "
                                         "Änderung bleibt im Verlauf."),
    "GET /api/v1/providers/{slug}/history": _doc(S, "Verlauf eines Anbieters", "Jede Änderung mit Zeit und Person."),
    "GET /api/v1/invoices/{invoice_id}": _doc(S, "Eine Rechnung mit Prüfergebnis und Entscheiden",
                                              "Die Rechnung (oder `?version=N`) mit Zeilen, Befunden, Berechnung "
                                              "und den Entscheiden der Aufsicht.",
                                              answers={200: ("Die Rechnung", ex.INVOICE), 404: NOT_FOUND}),
    "GET /api/v1/invoices/{invoice_id}/history": _doc(S, "Verlauf einer Rechnung", "Jedes Ereignis der Rechnung "
                                                      "und ihrer Prüfung.",
                                                      answers={200: ("Die Ereignisse", ex.HISTORY)}),
    "POST /api/v1/findings/{invoice_id}/{row}/{code}/review": Doc(
        S, "Befund beurteilen", "Bestätigt (`confirmed`: die Kürzung gilt) oder erlassen (`waived`) — als "
        "Ereignis gespeichert; ein Hinweis zur ganzen Rechnung gilt für alle seine Zeilen.",
        body={"application/json": ex.REVIEW_IN}),
    "POST /api/v1/invoices/{invoice_id}/approval": Doc(
        S, "Rechnung freigeben", "Gibt die aktuelle Version frei; eine schon freigegebene Version: 409.",
        body={"application/json": {"comment": "Geprüft, alle Befunde beurteilt"}}),
    "POST /api/v1/invoices/{invoice_id}/return": Doc(
        S, "Rechnung zur Korrektur zurückweisen", "Der Anbieter sieht den Grund und reicht eine neue Version ein.",
        body={"application/json": {"reason": "Zeile 4: Kostengutsprache fehlt"}}),
    "GET /api/v1/providers/{slug}/offerings": _doc(S, "Angebote eines Anbieters",
                                                   "Alle Angebote des Anbieters im Register, mit Plätzen und Tarifen.",
                                                   answers={200: ("Die Angebote", [ex.OFFERING])}),
    "POST /api/v1/providers/{slug}/offerings": _doc(S, "Angebot erfassen", "Ein Angebot eines Anbieters im Register."),
    "PUT /api/v1/providers/{slug}/offerings/{code}": _doc(S, "Angebot ändern", "Die Änderung bleibt im Verlauf."),
    "GET /api/v1/providers/{slug}/offerings/{code}/history": _doc(S, "Verlauf eines Angebots",
                                                                  "Jede Änderung mit Zeit und Person."),
    "GET /api/v1/providers/{slug}/agreements": _doc(S, "Leistungsvereinbarungen eines Anbieters",
                                                    "Alle Vereinbarungen mit ihrer Gültigkeit."),
    "POST /api/v1/providers/{slug}/agreements": _doc(S, "Leistungsvereinbarung abschliessen",
                                                     "Eine Vereinbarung des Kantons mit einem Anbieter, gültig ab "
                                                    "ihrem Datum; als Ereignis gespeichert."),
    "GET /api/v1/providers/{slug}/agreements/{valid_from}/history": _doc(S, "Verlauf einer Leistungsvereinbarung",
                                                                         "Jede Änderung mit Zeit und Person."),
    "GET /api/v1/tariff-editions": _doc(S, "Tarifausgaben", "Die Höchsttarife je Ausgabe und Gültigkeit."),
    "POST /api/v1/tariff-editions": _doc(S, "Tarifausgabe veröffentlichen", "Gilt ab ihrem Datum für neu "
                                         "eingereichte Rechnungen."),
    "GET /api/v1/tariff-editions/{valid_from}/history": _doc(S, "Verlauf einer Tarifausgabe",
                                                             "Jede Änderung mit Zeit und Person."),
    "GET /api/v1/invoices/{invoice_id}/audit.pdf": _doc(S, "Prüfbericht einer Rechnung (PDF)", "Jede Zeile mit "
                                                        "Befunden und Berechnung, die Entscheide, die Versionen und "
                                                        "der ganze Ereignisverlauf." + PDF),
    "GET /api/v1/providers/{slug}/report.pdf": _doc(S, "Jahresbericht eines Anbieters (PDF)", "Monate, Kosten nach "
                                                    "Programmart, Belegung, Befunde nach Code." + PDF),
    "GET /api/v1/reports/canton.pdf": _doc(S, "Jahresbericht des Kantons (PDF)", "Alle Anbietenden eines Jahres: "
                                           "Summen, Monate, Programmarten, Befunde." + PDF),
    "GET /api/v1/evaluations": _doc(S, "Evaluation einer Programmart", "Teilnehmende, Dauer, Austritte und Kosten je "
                                    "Anbieter über einen Zeitraum, im Vergleich mit anderen Programmarten; Werte "
                                    "unter fünf Teilnehmenden sind `null` (Schutz kleiner Zahlen)."),
    "GET /api/v1/evaluations/evaluation.pdf": _doc(S, "Evaluation als Bericht (PDF)", "Für den Regierungsrat." + PDF),
    "GET /api/v1/decision-tree": _doc(S, "Entscheidungshilfe (Arbeitsstand)", "Der Baum der öffentlichen "
                                      "Entscheidungshilfe, wie die Aufsicht ihn bearbeitet."),
    "PUT /api/v1/decision-tree": _doc(S, "Entscheidungshilfe ändern", "Eine neue Fassung; die Änderung bleibt im "
                                      "Verlauf."),
    "GET /api/v1/decision-tree/history": _doc(S, "Verlauf der Entscheidungshilfe",
                                              "Jede Fassung mit Zeit, Person und geänderten Teilen."),
    # finance
    "GET /api/v1/fee-waivers": _doc(F, "Gebührenerlasse", "Erlasse des Teilnehmendenbeitrags, filterbar nach "
                                    "Anbieter und Teilnehmer."),
    "POST /api/v1/fee-waivers": Doc(F, "Gebührenerlass erfassen", "Gilt für jeden Monat seines Zeitraums, auch für "
                                    "schon eingegangene Rechnungen.",
                                    body={"application/json": {"provider": "regiomech", "participant": "S-0103",
                                                               "valid_from": "2025-03-01", "valid_to": "2025-12-31",
                                                               "monthly_contribution": "0.00"}}),
    "GET /api/v1/fee-waivers/{waiver_id}": _doc(F, "Ein Gebührenerlass",
                                                "Der Erlass mit Zeitraum, Beitrag und Verlauf.",
                                                answers={404: NOT_FOUND}),
    "PUT /api/v1/fee-waivers/{waiver_id}": _doc(F, "Gebührenerlass ändern",
                                                "Zeitraum oder Beitrag; gilt auch für schon eingegangene Rechnungen."),
    "POST /api/v1/fee-waivers/{waiver_id}/revoke": _doc(F, "Gebührenerlass widerrufen",
                                                        "Ab dem Widerruf gilt wieder der volle Beitrag; der Erlass "
                                                        "bleibt im Verlauf."),
    "GET /api/v1/federal-credit-rules": _doc(F, "Regeln der Integrationspauschale des Bundes",
                                             "Welche Programmarten und Personen die "
                                             "Integrationspauschale des Bundes finanziert."),
    "POST /api/v1/federal-credit-rules": _doc(F, "Regel der Integrationspauschale erfassen",
                                              "Programmarten und ob nur für Flüchtlinge und "
                                              "vorläufig Aufgenommene."),
    "GET /api/v1/budgets": _doc(F, "Budgets je Finanzierungsquelle", "Optional eines Jahres (`year=JJJJ`)."),
    "POST /api/v1/budgets": Doc(F, "Budget festlegen", "Das Jahresbudget einer Finanzierungsquelle.",
                                body={"application/json": {"year": 2025, "source": "canton_subsidy",
                                                           "amount": "1100000.00",
                                                           "comment": "Regierungsratsbeschluss 2024/1234"}}),
    "GET /api/v1/funding": _doc(F, "Zulässige Beträge nach Finanzierungsquelle", "Je Anbieter und total, für einen "
                                "Monat (`period=JJJJ-MM`), ein Quartal oder ein Jahr (`year=JJJJ`).",
                                answers={200: ("Die Aufteilung", ex.FUNDING)}),
    "GET /api/v1/reconciliation": _doc(F, "Finanzabstimmung eines Jahres", "Jede Finanzierungsquelle pro Monat und "
                                       "Quartal gegenüber ihrem Budget."),
    "GET /api/v1/reconciliation.pdf": _doc(F, "Finanzabstimmung eines Jahres (PDF)", "Quellen und Budget, pro "
                                           "Quartal und pro Monat." + PDF),
    "GET /api/v1/funding/export.xlsx": _doc(F, "Finanzierung als Excel-Datei (XLSX)",
                                            "Die Aufteilung nach Finanzierungsquelle je Anbieter und "
                                            "Zeile, für einen Monat, ein Quartal oder ein Jahr."),
    "GET /api/v1/funding/export.csv": _doc(F, "Finanzierung als CSV-Datei",
                                           "Dieselben Zahlen wie die Excel-Datei, mit Semikolon getrennt."),
    # the public
    "GET /api/v1/public/offerings": _doc(P, "Angebote im Umkreis einer Postleitzahl", "Mit freien Plätzen laut der "
                                         "letzten Kapazitätsmeldung, nach Distanz sortiert; keine Personendaten."),
    "GET /api/v1/public/decision-tree": _doc(P, "Entscheidungshilfe «Was ist das Ziel?»", "Fragen, Antworten und "
                                             "Ergebnisse als Daten."),
    "GET /api/v1/public/localities": _doc(P, "Ortschaften zu einer Eingabe", "PLZ oder Ortsname, für Vorschläge."),
    "GET /api/v1/social-services": _doc(F, "Sozialdienste des Kantons", "Das Register der Sozialdienste (Code, Name, "
                                        "Adresse, Gültigkeit), je mit Verlauf."),
    "POST /api/v1/social-services": Doc(F, "Sozialdienste erfassen", "Ein JSON-Objekt erfasst einen Sozialdienst "
                                        "(derselbe Code noch einmal: seine Änderung); eine Liste, CSV oder XLSX "
                                        "lädt viele, alle oder keinen (nur Administration).",
                                        body={"text/csv": ex.SOCIAL_SERVICES_CSV, ex.XLSX: None,
                                              "application/json": ex.SOCIAL_SERVICE_JSON}),
}
