"""Generated submissions for benchmarks and load tests: realistic CSV as Swiss Excel writes it."""
from __future__ import annotations

import random

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
ROWS = [
    ("Qualifizierung", "Einsatztag", "21.7", "80.00"),
    ("Beschäftigung I", "Einsatztag", "21.7", "35.00"),
    ("Coaching", "Coachingstunde", "3.5", "200.00"),
    ("Jugendprogramm", "Einsatztag", "18", "100.00"),
    ("Traumaprogramm", "Einsatztag <4h", "10", "84.00"),
    ("Beschäftigung II", "Einsatztag", "21.7", "52.00"),
]


def invoice_csv(lines: int, period: str = "03.2025", seed: int = 1, prefix: str = "P") -> bytes:
    rnd = random.Random(seed)
    out = [HEADER]
    for i in range(lines):
        programme, unit, qty, price = ROWS[rnd.randrange(len(ROWS))]
        funding, kgs = ("Sozialhilfe", f"KGS-{i % 97:03d}") if i % 3 == 0 else ("Selbstzahler", "")
        amount = f"{float(qty) * float(price):.2f}"
        out.append(f"{period};{prefix}-{i:06d};{programme};{funding};{kgs};;;;{unit};{qty};{price};{amount}")
    return ("\r\n".join(out) + "\r\n").encode("cp1252")
