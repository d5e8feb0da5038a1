"""The check result of one invoice version as a CSV a provider opens in Swiss Excel (semicolons, UTF-8 with BOM):
every line with German names, its findings by their German titles (shared.presentation.labels) and the
calculation behind its allowed amount; the findings' codes only in the last column, for software that files them."""
from __future__ import annotations

import csv
import io

from shared.checks.notices import invoice_notices, line_findings
from shared.presentation import labels
from shared.presentation.exports import csv_safe
from shared.presentation.format import row_ranges

HEADER = ["Zeile", "Teilnehmer", "Programm", "Angebot", "Finanzierung", "Leistung", "Menge", "Ansatz",
          labels.TOTALS["claimed"], labels.TOTALS["allowed"], labels.TOTALS["reduction"], "Befunde", "Berechnung",
          "Befund-Codes"]


def finding_text(f: dict) -> str:
    """«Coachingstunden nicht in Viertelstunden (Fehler): …» and the supervisor's decision."""
    text = f"{labels.check_title(f['code'])} ({labels.severity(f['severity'])}): {f['message']}"
    if f.get("review"):
        text += f" [{labels.decision(f['review']['decision'])}]"
    return text


def check_result_csv(view: dict, catalogue=None) -> bytes:
    """The invoice view's lines and totals (shared.portal.reporting's invoice_view); a notice about the whole
    invoice once, after the total, with the rows it concerns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in view["lines"]:
        findings = " | ".join(finding_text(f) for f in line_findings(line))
        writer.writerow([
            line["row"], csv_safe(str(line["participant"])), labels.programme(line["programme"], catalogue),
            csv_safe(line.get("offering") or ""), labels.funding(line.get("funding")), labels.unit(line["unit"]),
            line["quantity"], line["unit_price"], line["claimed"], line["allowed"], line["reduction"],
            csv_safe(findings), csv_safe(" / ".join(line.get("trace", []))),
            ", ".join(f["code"] for f in line_findings(line))])
    totals = view["totals"]
    writer.writerow(["Total", "", "", "", "", "", "", "", totals["claimed"], totals["allowed"],
                     totals["reduction"], "", "", ""])
    notices = view["notices"] if "notices" in view else invoice_notices(view["lines"])
    for n in notices:
        writer.writerow(["Rechnung", "", "", "", "", "", "", "", "", "", "",
                         csv_safe(f"{finding_text(n)} (Zeilen {row_ranges(n['rows'])})"), "", n["code"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
