"""The web-page tests' cases and helpers: invoices with and without findings, logging in, posting a form or a file
with the CSRF token (the accounts: the `accounts` fixture of conftest.py)."""
from __future__ import annotations

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
WITH_FINDINGS = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
                 "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n").encode()
CORRECTED = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n"
             "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n").encode()
BROKEN = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;abc;80.00;1736.00\n").encode()
PASSWORD = "correct-horse-battery-staple"


def csrf(client) -> str:
    if not client.cookies.get("ami_csrf"):
        client.get("/login")
    return client.cookies.get("ami_csrf")


def login(client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post("/login", data={"username": username, "password": password, "next": next_url,
                                       "_csrf_token": csrf(client)}, follow_redirects=False)


def plant_session(client, value: str) -> None:
    """Put a session cookie into the client's jar as a browser would hold it."""
    client.cookies.delete("ami_session")
    client.cookies.set("ami_session", value, domain="testserver.local")


def upload(client, path: str, body: bytes, filename: str = "rechnung.csv"):
    return client.post(path, files={"file": (filename, body, "text/csv")}, data={"_csrf_token": csrf(client)},
                       follow_redirects=False)


def form(client, path: str, **fields):
    return client.post(path, data={**fields, "_csrf_token": csrf(client)}, follow_redirects=False)


def submit_invoice(client, body: bytes = WITH_FINDINGS) -> str:
    r = upload(client, "/meldungen/rechnung", body)
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/rechnungen/")[1].split("?")[0]
