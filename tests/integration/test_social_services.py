"""The canton's register of social services (issue 19, point 1): kept by an admin, read by supervisor and
finance, a CSV import for the first load (all rows or none), every change an event in the history."""
from __future__ import annotations

from tests.integration.web_cases import PASSWORD, form, login

REGISTER_CSV = ("Code;Name;Adresse;Gültig ab;Gültig bis\n"
                "SD-OLTEN;Sozialdienst Olten;Dornacherstrasse 1, 4600 Olten;01.01.2024;\n"
                "SD-GRENCHEN;Sozialregion Grenchen;Marktplatz 5, 2540 Grenchen;2024-01-01;\n").encode()


def post_csv(client, headers, body: bytes):
    return client.post("/api/v1/social-services", content=body, headers={**headers, "Content-Type": "text/csv"})


def test_an_admin_loads_the_register_from_csv_and_finance_reads_it(supervision, tokens):
    admin = tokens(role="admin")
    r = post_csv(supervision, admin, REGISTER_CSV)
    assert r.status_code == 201, r.text
    listed = supervision.get("/api/v1/social-services", headers=tokens(role="finance")).json()
    assert [(e["code"], e["name"]) for e in listed] == [("SD-OLTEN", "Sozialdienst Olten"),
                                                       ("SD-GRENCHEN", "Sozialregion Grenchen")]
    assert listed[0]["history"][0]["event"] == "SocialService.Registered"


def test_a_changed_entry_keeps_its_history(supervision, tokens):
    admin = tokens(role="admin")
    post_csv(supervision, admin, REGISTER_CSV)
    r = supervision.post("/api/v1/social-services", headers=admin, json={
        "code": "sd-olten", "name": "Sozialregion Olten", "address": "Dornacherstrasse 1, 4600 Olten",
        "valid_from": "2024-01-01"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Sozialregion Olten"
    history = r.json()["history"]
    assert [h["event"] for h in history] == ["SocialService.Registered", "SocialService.Changed"]
    assert history[1]["values"] == {"name": "Sozialregion Olten"}


def test_only_an_admin_writes(supervision, tokens):
    body = {"code": "SD-X", "name": "X", "valid_from": "2024-01-01"}
    assert supervision.post("/api/v1/social-services", headers=tokens(role="supervisor"), json=body).status_code == 403
    assert supervision.post("/api/v1/social-services", headers=tokens(role="finance"), json=body).status_code == 403
    assert supervision.get("/api/v1/social-services", headers=tokens("regiomech")).status_code in (401, 403)


def test_a_bad_row_refuses_the_whole_file_naming_row_column_and_value(supervision, tokens):
    admin = tokens(role="admin")
    bad = REGISTER_CSV + b"SD-BAD;Sozialdienst Bad;;01.06.2025;31.05.2025\n"
    r = post_csv(supervision, admin, bad)
    assert r.status_code == 422
    err = r.json()["errors"][0]
    assert (err["row"], err["column"], err["value"]) == (4, "Gültig bis", "2025-05-31")
    assert supervision.get("/api/v1/social-services", headers=admin).json() == []


def test_the_page_lists_them_and_an_admin_adds_one(supervision, tokens, portal):
    post_csv(supervision, tokens(role="admin"), REGISTER_CSV)
    portal.supervision.create_account("adam", PASSWORD, "admin", None, "test")
    assert login(supervision, "adam").status_code == 303
    r = supervision.get("/register/sozialdienste")
    assert r.status_code == 200 and "Sozialregion Grenchen" in r.text and "Sozialdienst erfassen" in r.text
    r = form(supervision, "/register/sozialdienste", code="SD-BAL", name="Sozialdienst Thal", address="",
             valid_from="2024-01-01", valid_to="2023-01-01")
    assert r.status_code == 422 and "vor «Gültig ab»" in r.text
    r = form(supervision, "/register/sozialdienste", code="SD-BAL", name="Sozialdienst Thal", address="",
             valid_from="2024-01-01", valid_to="")
    assert r.status_code == 303
    assert portal.supervision.social_service("sd-bal").name == "Sozialdienst Thal"


def test_ami_social_services_import_loads_the_register_and_refuses_a_bad_file(tmp_path, capsys):
    from services.cli import main
    from shared.config import load_settings
    from shared.portal import open_portal

    data = tmp_path / "data"
    good, bad = tmp_path / "sd.csv", tmp_path / "bad.csv"
    good.write_bytes(REGISTER_CSV)
    bad.write_bytes(b"Code;Name;G\xc3\xbcltig ab\nX;;2024-01-01\n")
    assert main(["social-services", "import", str(good), "--data-dir", str(data)]) == 0
    assert "2 Sozialdienste gelesen, 2 erfasst" in capsys.readouterr().out
    assert main(["social-services", "import", str(bad), "--data-dir", str(data)]) == 2
    assert "Zeile 2" in capsys.readouterr().err
    portal = open_portal(load_settings({"AMI_DATA_DIR": str(data)}))
    try:
        assert list(portal.supervision.social_services()) == ["SD-OLTEN", "SD-GRENCHEN"]
    finally:
        portal.close()
