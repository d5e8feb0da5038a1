"""The providers' help page in plain German: the fields of an invoice and a capacity report with the formats
the parsers accept (submission-format.md, copied here: the service never reads the spec), and every check
of the catalogue explained with the brochure's examples (domain-rules §3/§4). The templates to download are
made from the same field lists (submission_templates)."""
from __future__ import annotations

from dataclasses import dataclass

from shared.checks.rules import CATALOGUE


@dataclass(frozen=True)
class Field:
    header: str  # the CSV/XLSX column header
    key: str  # the JSON key
    required: str  # «ja», «nein» or when
    accepted: str  # what the parsers accept, in German
    example: str  # the template's example line


INVOICE_FIELDS = (
    Field("Monat", "period", "ja", "03.2025, 3.2025 oder 2025-03", "03.2025"),
    Field("Teilnehmer", "participant", "ja", "Ihre Teilnehmernummer (ein Pseudonym): keine Namen, keine "
          "AHV-Nummer", "B-0017"),
    Field("Programm", "programme", "ja", "die Programmart, z. B. Qualifizierung, Beschäftigung I, "
          "integration.arbeit (Gross-/Kleinschreibung egal)", "Qualifizierung"),
    Field("Angebot", "offering", "nein", "Ihr Angebotscode, wenn Sie mehrere Angebote einer Programmart führen", ""),
    Field("Finanzierung", "funding", "ja", "Sozialhilfe oder SH; Selbstzahler oder ohne SH; ALV oder IV",
          "Selbstzahler"),
    Field("Kostengutsprache", "cost_approval", "bei Sozialhilfe", "die Referenz des Sozialdienstes, "
          "z. B. KGS-OL-2025-031", ""),
    Field("Eintritt", "entry_date", "nein", "25.03.2025 oder 2025-03-25", "25.03.2025"),
    Field("Austritt", "exit_date", "nein", "wie Eintritt; nicht vor dem Eintritt", ""),
    Field("Austrittsgrund", "exit_reason", "mit Austritt", "Stelle 1. Arbeitsmarkt, Lehre, Programmwechsel, "
          "Abbruch, Nichterscheinen, Regulärer Abschluss, Andere", ""),
    Field("Leistung", "unit", "ja", "Einsatztag, Einsatztag <4h, Coachingstunde, Arbeitsstunde", "Einsatztag"),
    Field("Menge", "quantity", "ja", "Dezimalzahl mit Punkt oder Komma: 21.7, 21,7, 0.25 (höchstens 31 Tage "
          "bzw. 744 Stunden, höchstens 4 Nachkommastellen)", "5"),
    Field("Ansatz", "unit_price", "ja", "Franken: 80, 80.00, 80,00, CHF 80.00, 1'736.00", "80.00"),
    Field("Betrag", "amount", "ja", "Franken wie Ansatz; Menge × Ansatz", "400.00"),
)

CAPACITY_FIELDS = (
    Field("Monat", "period", "ja", "03.2025, 3.2025 oder 2025-03", "03.2025"),
    Field("Programm", "programme", "ja", "die Programmart wie in der Rechnung", "Qualifizierung"),
    Field("Angebot", "offering", "nein", "Ihr Angebotscode wie in der Rechnung", ""),
    Field("Plätze", "places", "ja", "angebotene Plätze (ganze Zahl ab 0)", "12"),
    Field("Belegt", "occupied", "ja", "am Monatsende belegte Plätze", "10"),
    Field("Eintritte", "entries", "ja", "Eintritte im Monat", "1"),
    Field("Austritte", "exits", "ja", "Austritte im Monat", "0"),
    Field("Warteliste", "waiting_list", "nein", "Personen auf der Warteliste", "2"),
)

FILE_RULES = (
    "CSV, XLSX oder JSON. CSV mit Semikolon (wie Excel in der Schweiz) oder Komma, UTF-8 oder Windows-1252.",
    "Die Spalten dürfen in beliebiger Reihenfolge stehen; Gross-/Kleinschreibung und Leerzeichen in der "
    "Kopfzeile sind egal. Unbekannte Spalten werden ignoriert und als Hinweis gemeldet.",
    "XLSX: das erste Blatt oder das Blatt «Rechnung» bzw. «Kapazität»; Zahlen und Daten als Zahl- oder "
    "Textzellen.",
    "Eine Datei mit einem Formatfehler wird als Ganzes abgelehnt: Sie sehen jede Zeile (Kopfzeile = Zeile 1), "
    "Spalte und jeden Wert mit einer Meldung, und es wird nichts gespeichert.",
    "Texte dürfen nicht mit =, +, - oder @ beginnen (Excel-Formeln).",
)


@dataclass(frozen=True)
class RuleHelp:
    code: str
    title: str
    severity: str
    rule: str
    explanation: str
    example: str


_TEXTS = {
    "tariff_above_max": ("Der Ansatz darf den Höchsttarif der Programmart im Monat der Zeile nicht übersteigen; "
                         "für einen Einsatztag unter 4 Stunden gelten 70 % davon.",
                         "Qualifizierung: 23 Einsatztage zu CHF 85.00 – zulässig sind höchstens CHF 80.00 pro "
                         "Tag; ein Einsatztag unter 4 Stunden höchstens CHF 56.00."),
    "tariff_above_agreed": ("Hat der Kanton für Ihr Angebot einen tieferen Tarif vereinbart, gilt dieser.",
                            "Vereinbart sind CHF 75.00 pro Einsatztag, verrechnet CHF 80.00: zulässig ist "
                            "Menge × CHF 75.00."),
    "unit_not_billable": ("Jede Programmart kennt nur bestimmte Leistungen; Teillohn ist gar nicht verrechenbar.",
                          "Coachingstunden in der Qualifizierung: zulässig CHF 0.00."),
    "quarter_hour": ("Coachingstunden werden in Viertelstunden verrechnet (Vielfache von 0.25).",
                     "3.1 Coachingstunden: zulässig sind 3 Stunden (abgerundet auf die Viertelstunde)."),
    "days_above_month": ("Ein ganzer Monat zählt 21.7 Einsatztage, unabhängig von den Arbeitstagen.",
                         "23 Einsatztage zu CHF 80.00 in einem vollen Monat: 21.7 × CHF 80.00 = "
                         "CHF 1’736.00."),
    "days_above_working_days": ("Im Eintritts- und Austrittsmonat gelten die effektiv geleisteten Tage, höchstens "
                                "die Arbeitstage (Montag bis Freitag) ab dem Eintritt bzw. bis zum Austritt.",
                                "Eintritt am 25.03.2025 (Dienstag): bis Monatsende sind es 5 Arbeitstage – "
                                "Herr B. verrechnet 5 Tage × CHF 80.00 = CHF 400.00."),
    "dropout_cap": ("Bei einem Programmabbruch oder Nichterscheinen zu Beginn sind höchstens 5 Einsatztage "
                    "oder 2 Coachingstunden verrechenbar.",
                    "Nichterscheinen, verrechnet 8 Einsatztage: zulässig sind 5."),
    "monthly_cap": ("Suchthilfe Stundenlohn: CHF 4.00 pro geleistete Stunde, höchstens CHF 350.00 im Monat.",
                    "100 Stunden zu CHF 4.00 = CHF 400.00: zulässig CHF 350.00."),
    "social_assistance_only": ("Suchthilfe Stundenlohn und Teillohn stehen nur Sozialhilfebeziehenden offen.",
                               "Suchthilfe Stundenlohn für einen Selbstzahler: zulässig CHF 0.00."),
    "cost_approval_missing": ("Für Sozialhilfebeziehende braucht es vor der Teilnahme eine Kostengutsprache des "
                              "Sozialdienstes; ihre Referenz gehört in die Spalte Kostengutsprache.",
                              "Beschäftigung I, Finanzierung Sozialhilfe, ohne Kostengutsprache: zulässig "
                              "CHF 0.00, bis die Zeile korrigiert ist."),
    "amount_mismatch": ("Der Betrag muss Menge × Ansatz sein (Toleranz 1 Rappen); sonst gilt der tiefere Wert.",
                        "21,7 × CHF 35.00 = CHF 759.50; verrechnet CHF 800.00: zulässig CHF 759.50."),
    "duplicate_line": ("Eine Person, ein Angebot, eine Leistung und ein Monat werden nur einmal verrechnet – "
                       "auch über mehrere Rechnungen.",
                       "Dieselbe Zeile für B-0017, März 2025, Einsatztag in zwei Rechnungen: die zweite ist "
                       "CHF 0.00 zulässig."),
    "period_not_billable": ("Ein Monat in der Zukunft, ausserhalb der Gültigkeit Ihres Angebots oder ohne "
                            "Tarifausgabe ist nicht verrechenbar.",
                            "Eine Zeile für Dezember, im November eingereicht: zulässig CHF 0.00."),
    "offering_not_registered": ("Für diese Programmart ist im Monat kein Angebot von Ihnen registriert; die "
                                "Aufsicht prüft die Zeile.",
                                "Coaching verrechnet, registriert ist nur Qualifizierung."),
    "capacity_exceeded": ("Mehr verrechnete Teilnehmende als gemeldete belegte Plätze; die Aufsicht prüft.",
                          "Kapazitätsmeldung: 10 Plätze belegt, Rechnung: 12 Teilnehmende."),
    "capacity_report_missing": ("Zur Rechnung gehört die Kapazitätsmeldung desselben Monats.",
                                "Rechnung März 2025 ohne Kapazitätsmeldung März 2025."),
    "late_submission": ("Rechnung und Kapazitätsmeldung sind bis zum 10. des Folgemonats fällig.",
                        "Rechnung März 2025, eingegangen am 14.04.2025."),
}

EXAMPLES = (  # the brochure's worked examples (domain-rules §6)
    ("Frau A., Coaching, ohne Sozialhilfe", "3 + 1 + 2 Coachingstunden zu CHF 200.00 = CHF 1’200.00 in drei "
     "Monaten; die Subvention des Kantons bezahlt 50 %, Frau A. die anderen 50 %."),
    ("Herr B., Qualifizierung zu CHF 80.00, mit Kostenerlass (Beitrag CHF 50.00 im Monat)",
     "Eintrittsmonat 5 Tage = CHF 400.00, zwei volle Monate je 21.7 Tage = CHF 1’736.00, Austrittsmonat 15 Tage = "
     "CHF 1’200.00. Der Kanton bezahlt 50 % als Subvention, Herr B. CHF 50.00 im Monat, den Rest der Kostenerlass."),
)


def rules_help() -> list[RuleHelp]:
    """Every check of the catalogue in its order, explained; a check without a text keeps its title only."""
    out = []
    for rule in CATALOGUE:
        explanation, example = _TEXTS.get(rule.code, ("", ""))
        out.append(RuleHelp(rule.code, rule.title_de, rule.severity, rule.rule, explanation, example))
    return out
