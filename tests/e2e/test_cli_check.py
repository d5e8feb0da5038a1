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


# --- `ami check` says all the service says (issue 15, point 7) -----------------------------------

def run_as(tmp_path, provider: str, data: bytes, *extra: str, name: str = "rechnung.csv"):
    f = tmp_path / name
    f.write_bytes(data)
    return subprocess.run([AMI, "check", str(f), "--provider", provider, *extra], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "AMI_DATA_DIR": str(tmp_path / "nostore")})


CLEAN = f"{HEADER}\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;21.7;80.00;1736.00\n".encode()


def test_a_known_provider_is_checked_an_unknown_one_is_an_error(tmp_path):
    assert run_as(tmp_path, "regiomech", CLEAN).returncode == 0
    r = run_as(tmp_path, "regiomek", CLEAN)
    assert r.returncode == 2 and r.stdout == ""
    assert 'Unbekannter Anbieter "regiomek"' in r.stderr and "regiomech" in r.stderr
    r = run_as(tmp_path, "regiomek", CLEAN, "--json")
    assert r.returncode == 2
    [error] = json.loads(r.stdout)["errors"]
    assert (error["column"], error["value"]) == ("provider", "regiomek")


def test_an_unknown_column_is_a_warning_as_in_the_service(tmp_path):
    data = CLEAN.replace(b"Betrag\n", b"Betrag;Bemerkung\n").replace(b"1736.00\n", b"1736.00;ok\n")
    r = run_as(tmp_path, "regiomech", data)
    assert r.returncode == 0 and 'Hinweis: Zeile 1: Unbekannte Spalte "Bemerkung" wird ignoriert' in r.stdout
    inv = json.loads(run_as(tmp_path, "regiomech", data, "--json").stdout)
    assert inv["warnings"] == [{"row": 1, "column": "Bemerkung", "value": "Bemerkung",
                                "message": 'Unbekannte Spalte "Bemerkung" wird ignoriert'}]
    assert inv["notices"] == []
    assert json.loads(run_as(tmp_path, "regiomech", CLEAN, "--json").stdout)["warnings"] == []


def test_every_error_is_json_on_standard_output_under_json(tmp_path):
    small = run_as(tmp_path, "regiomech", CLEAN.replace(b"21.7;", b"1E-999999;"), "--json")
    assert small.returncode == 2 and small.stderr == ""
    [error] = json.loads(small.stdout)["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "Menge", "1E-999999")
    big = run_as(tmp_path, "regiomech", CLEAN + b"x" * (10 * 1024 * 1024), "--json")
    assert big.returncode == 2 and big.stderr == ""
    [error] = json.loads(big.stdout)["errors"]
    assert error["row"] is None and "zu gross" in error["message"]
    missing = subprocess.run([AMI, "check", str(tmp_path / "fehlt.csv"), "--provider", "regiomech", "--json"],
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert missing.returncode == 2 and "nicht gelesen" in json.loads(missing.stdout)["errors"][0]["message"]


def test_control_characters_never_reach_the_terminal_raw(tmp_path):
    r = run_as(tmp_path, "regiomech", CLEAN.replace(b"Q-1;", b"Q\x1b[2J-1;"))
    assert r.returncode == 2 and "\x1b" not in r.stdout + r.stderr
    assert '"Q\\x1b[2J-1" enthält unzulässige Steuerzeichen' in r.stdout
