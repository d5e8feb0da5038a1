"""`ami check FILE --provider SLUG [--json]`: exit 0 clean, 1 findings, 2 unreadable."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

AMI = str(Path(sys.executable).parent / "ami")
HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"


def run(tmp_path, text: str, *extra: str):
    f = tmp_path / "rechnung.csv"
    f.write_text(text, encoding="cp1252")
    return subprocess.run([AMI, "check", str(f), "--provider", "regiomech", *extra], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "AMI_DATA_DIR": str(tmp_path / "nostore")})


def test_clean_file_exits_0(tmp_path):
    r = run(tmp_path, f"{HEADER}\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;21.7;80.00;1736.00\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1’736.00" in r.stdout
    assert not (tmp_path / "nostore").exists()  # offline: no store touched


def test_findings_exit_1_and_json_is_the_invoice_object(tmp_path):
    r = run(tmp_path, f"{HEADER}\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;23;85.00;1955.00\n", "--json")
    assert r.returncode == 1
    inv = json.loads(r.stdout)
    assert inv["totals"] == {"claimed": "1955.00", "allowed": "1736.00", "reduction": "219.00"}
    assert {f["code"] for f in inv["lines"][0]["findings"]} == {"days_above_month", "tariff_above_max"}
    assert "id" not in inv


def test_unreadable_file_exits_2_with_row_and_column(tmp_path):
    r = run(tmp_path, f"{HEADER}\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;viel;80.00;1736.00\n")
    assert r.returncode == 2
    assert "Zeile 2" in r.stdout and "Menge" in r.stdout
