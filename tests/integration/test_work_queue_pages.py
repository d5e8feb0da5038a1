"""The supervisors' work queue and the approval that asks first, through both services' pages and the API."""
from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from shared.review.domain.review import review_id
from shared.store.history import read_history
from tests.integration.web_cases import WITH_FINDINGS, form, login, submit_invoice


def _findings(portal, iid: str) -> list[tuple[int, str, str]]:
    invoice = portal.reporting.invoice(None, UUID(iid))
    return [(ln["row"], f["code"], f["severity"]) for ln in invoice.result["lines"] for f in ln["findings"]]


def _events(portal, iid: str, kind: str) -> int:
    return sum(1 for e in read_history(portal.supervision, review_id(UUID(iid))) if e.kind == kind)


def test_the_queue_lists_waiting_invoices_and_open_findings_each_one_click_from_its_decision(
        reporting, supervision, accounts, portal):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    login(supervision, "sara")
    page = supervision.get("/arbeit")
    assert page.status_code == 200, page.text
    assert f'href="/rechnungen/{iid}#entscheid"' in page.text and "Genossenschaft Regiomech" in page.text
    for row, code, _ in _findings(portal, iid):
        assert f'href="/rechnungen/{iid}?zeile={row}#befund-{row}-{code}"' in page.text, code
    # each finding names its line's programme type beneath the rule
    from shared.presentation.labels import programme
    cells = re.findall(r'<td data-label="Befund">(.*?)</td>', page.text)
    assert cells and all('<span class="muted small">' in c for c in cells), cells
    assert {c.split('small">')[1].split("<")[0] for c in cells} == {programme("qualifizierung"), programme("coaching")}
    # the link's anchor is on the invoice's page
    assert 'id="befund-2-tariff_above_max"' in supervision.get(f"/rechnungen/{iid}").text
    # filters: by rule, by severity, by provider, by month
    only = supervision.get("/arbeit?regel=tariff_above_max").text
    assert "#befund-2-tariff_above_max" in only
    assert all(code == "tariff_above_max" for code in re.findall(r"#befund-\d+-(\w+)", only))
    warnings = supervision.get("/arbeit?art=warning").text
    assert "#befund-2-tariff_above_max" not in warnings  # an error
    assert "Keine offenen Befunde" in supervision.get("/arbeit?anbieter=oltech").text
    assert "Keine offenen Befunde" in supervision.get("/arbeit?monat=2025-04").text
    assert "#befund-2" in supervision.get("/arbeit?monat=2025-03&sortierung=regel&richtung=auf").text
    assert "#befund-2" in supervision.get("/arbeit?monat=03.2025").text  # as typed where no month picker is
    # a month that is none is said beside the field; the other filters still hold
    typed = supervision.get("/arbeit?monat=März&anbieter=oltech").text
    said = typed.split('id="q-monat-fehler"')[1].split("</p>")[0]
    assert "Monat «März» ist ungültig (JJJJ-MM oder MM.JJJJ); der Monat ist nicht gefiltert." in said
    assert 'aria-invalid="true"' in typed and "Keine offenen Befunde" in typed  # still only oltech
    # the dashboard's rules and open counts lead here
    dashboard = supervision.get("/dashboard?jahr=2025&monat=2025-03").text
    assert "/arbeit?regel=tariff_above_max&amp;monat=2025-03" in dashboard
    assert "/arbeit?anbieter=regiomech&amp;monat=2025-03" in dashboard
    # and so do the provider's (the queue narrowed to the provider, and to the year chosen)
    assert "/arbeit?regel=tariff_above_max&amp;anbieter=regiomech&amp;jahr=2025" in \
        supervision.get("/anbieter/regiomech?jahr=2025").text


def test_beyond_the_first_waiting_invoices_a_link_shows_them_all(reporting, supervision, accounts, monkeypatch):
    from services.supervision import queue_page

    monkeypatch.setattr(queue_page, "SHOWN_INVOICES", 1)  # 30 on the page; one here, with two invoices waiting
    login(reporting, "anna")
    ids = [submit_invoice(reporting, WITH_FINDINGS.replace(b"03.2025", f"{m:02d}.2025".encode())) for m in (3, 4)]
    login(supervision, "sara")
    first = supervision.get("/arbeit").text
    assert "Die ersten 1 von 2" in first and sum(f"/rechnungen/{i}#entscheid" in first for i in ids) == 1
    every = re.search(r'href="(/arbeit\?[^"]*rechnungen=alle[^"]*)"', first).group(1).replace("&amp;", "&")
    shown = supervision.get(every).text
    assert all(f"/rechnungen/{i}#entscheid" in shown for i in ids) and "Die ersten" not in shown


def test_marked_warnings_are_confirmed_with_one_comment_one_event_per_code(reporting, supervision, accounts, portal):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    login(supervision, "sara")
    found = _findings(portal, iid)
    warnings = [f"{iid}/{row}/{code}" for row, code, sev in found if sev == "warning"]
    errors = [f"{iid}/{row}/{code}" for row, code, sev in found if sev == "error"]
    assert warnings and errors, found
    # an error among them: nothing is recorded, the message on the queue
    r = form(supervision, "/arbeit/bestaetigen", befund=[*warnings, errors[0]], comment="gesammelt",
             zurueck="/arbeit?art=warning")
    assert r.status_code == 303 and r.headers["location"] == "/arbeit?art=warning"
    assert "nur Hinweise lassen sich gesammelt bestätigen" in supervision.get(r.headers["location"]).text
    assert _events(portal, iid, "FindingReviewed") == _events(portal, iid, "FindingsReviewed") == 0
    # the warnings alone: one event per code with its rows, the comment on each
    r = form(supervision, "/arbeit/bestaetigen", befund=warnings, comment="gesammelt geprüft",
             zurueck="https://elsewhere.example/")
    assert r.status_code == 303 and r.headers["location"] == "/arbeit"
    assert f"{len(warnings)} Hinweis" in supervision.get("/arbeit").text
    codes = {v.split("/")[2] for v in warnings}
    assert len(codes) < len(warnings)  # some code on several rows: those are one event
    assert _events(portal, iid, "FindingReviewed") + _events(portal, iid, "FindingsReviewed") == len(codes)
    review = portal.supervision.review_of(UUID(iid))
    for value in warnings:
        _, row, code = value.split("/")
        assert review.decision(int(row), code)["comment"] == "gesammelt geprüft"
    assert not any(f"#befund-{v.split('/')[1]}-{v.split('/')[2]}" in supervision.get("/arbeit").text
                   for v in warnings)
    # nothing ticked
    r = form(supervision, "/arbeit/bestaetigen", comment="x")
    assert "mindestens einen Befund" in supervision.get(r.headers["location"]).text


def test_approval_with_open_findings_asks_first_and_a_second_approval_is_refused(
        reporting, supervision, accounts, portal):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    login(supervision, "sara")
    page = supervision.get(f"/rechnungen/{iid}").text
    total = len({(r, c) for r, c, _ in _findings(portal, iid)})
    assert re.search(r"\d+ von \d+ Befunden sind offen – trotzdem freigeben\?", page)
    # not ticked: refused with the question, nothing recorded, back at the decision
    r = form(supervision, f"/rechnungen/{iid}/freigabe", comment="")
    assert r.status_code == 303 and r.headers["location"].endswith("#entscheid")
    assert "trotzdem freigeben?" in supervision.get(r.headers["location"]).text.split('id="entscheid"')[1]
    assert _events(portal, iid, "Approved") == 0
    r = form(supervision, f"/rechnungen/{iid}/freigabe", comment="", confirm_open="ja")
    page = supervision.get(r.headers["location"]).text
    assert "ist in Version 1 freigegeben" in page and f"/rechnungen/{iid}/freigabe" not in page
    assert f"/rechnungen/{iid}/rueckweisung" not in page and total
    # a second approval of the same version: a message on the page, 409 in the API; recorded once
    r = form(supervision, f"/rechnungen/{iid}/freigabe", comment="", confirm_open="ja")
    assert "bereits freigegeben" in supervision.get(r.headers["location"]).text
    assert _events(portal, iid, "Approved") == 1


def test_the_api_refuses_a_second_approval_with_409(reporting, supervision, tokens, portal):
    from tests.integration.web_cases import WITH_FINDINGS

    inv = reporting.post("/api/v1/invoices", content=WITH_FINDINGS,
                         headers={**tokens("regiomech"), "Content-Type": "text/csv"}).json()
    sup = tokens(role="supervisor")
    first = supervision.post(f"/api/v1/invoices/{inv['id']}/approval", headers=sup, json={"comment": "ok"})
    assert first.status_code == 201, first.text
    second = supervision.post(f"/api/v1/invoices/{inv['id']}/approval", headers=sup, json={"comment": "ok"})
    assert second.status_code == 409 and "bereits freigegeben" in second.json()["detail"]
    assert _events(portal, inv["id"], "Approved") == 1


def test_the_next_invoice_to_review_follows_the_queue_without_counting_findings(portal):
    from shared.portal.reporting import Upload
    from shared.readmodels.work_queue import QueueFilter, next_waiting, waiting_invoices

    ids = [str(portal.reporting.submit_invoice(slug, Upload(WITH_FINDINGS, "text/csv", None), "test").document["id"])
           for slug in ("regiomech", "oltech")]
    queue = waiting_invoices(portal.views, QueueFilter(period="2025-03"))
    order = [w["invoice"] for w in queue]
    assert sorted(order) == sorted(ids) and all(w["open"] > 0 for w in queue)
    following = next_waiting(portal.views, "2025-03", order[0])
    assert following == {**queue[1], "open": None}  # the same entry, its open findings not counted
    assert next_waiting(portal.views, "2025-03", order[1])["invoice"] == order[0]  # from the start after the last
    assert next_waiting(portal.views, "2025-04", order[0]) is None


def test_every_page_counts_open_findings_as_the_invoice_page_does(portal, clock):
    """A notice about the whole document counts once per message, as on the invoice's page (two programme types
    without a capacity report: two notices of one code), on the queue, the provider's page, the overview and the
    dashboard and in the annual report; the queue lists each notice; confirming one there decides its rows alone."""
    from shared.audit.application.checkpoints import checkpoint_store
    from shared.portal.reporting import Upload
    from shared.presentation.pdf.annual_figures import provider_year
    from shared.presentation.pdf.snapshot import Snapshot
    from shared.readmodels.provider_view import provider_months
    from shared.readmodels.work_queue import QueueFilter, open_findings, waiting_invoices
    from shared.review.application.invoice_file import invoice_file

    clock.now = datetime(2025, 4, 11, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))  # the month's reports are due
    iid = portal.reporting.submit_invoice("regiomech", Upload(WITH_FINDINGS, "text/csv", None), "test").document["id"]
    views = portal.views

    def counted() -> dict:
        (waiting,) = waiting_invoices(views, QueueFilter(period="2025-03"))
        (month,) = [m for m in provider_months(portal, "regiomech") if m["period"] == "2025-03"]
        overview = {r["provider"]: r for r in views.overview("2025-03")["providers"]}
        dashboard = {r["provider"]: r for r in views.provider_totals(period="2025-03")}
        by_code = {c["code"]: c for c in views.findings_by_code(period="2025-03")}
        return {"invoice page": invoice_file(portal, UUID(iid))["counts"]["open"], "queue": waiting["open"],
                "provider page": month["invoices"][0]["counts"]["open"],
                "overview": overview["regiomech"]["open_findings"],
                "dashboard": dashboard["regiomech"]["open_findings"],
                "by rule": sum(c["open"] for c in by_code.values())}

    notices = invoice_file(portal, UUID(iid))["invoice"]["notices"]
    missing = [n for n in notices if n["code"] == "capacity_report_missing"]
    assert len(missing) == 2  # one per programme type, each its own message
    first = counted()
    assert len(set(first.values())) == 1 and first["invoice page"] >= 4, first
    listed = [f for f in open_findings(views, QueueFilter(period="2025-03"))["rows"]
              if f["code"] == "capacity_report_missing"]
    assert sorted(f["row"] for f in listed) == sorted(n["rows"][0] for n in missing)  # each notice listed once
    # with the programme type it is about: the two differ by more than their row
    assert sorted((f["row"], f["programme"]) for f in listed) == sorted(
        (n["rows"][0], n["figures"]["programme"]) for n in missing)
    assert len({f["programme"] for f in listed}) == 2
    assert open_findings(views, QueueFilter(period="2025-03"))["total"] == first["invoice page"]  # the list, too
    coaching = open_findings(views, QueueFilter(period="2025-03", programme="coaching"))["rows"]
    assert {(f["code"], f["programme"]) for f in coaching if f["notice"]} == {
        ("capacity_report_missing", "coaching"), ("late_submission", None)}  # the late notice is of both types
    assert all(f["programme"] == "coaching" for f in coaching if not f["notice"])
    qualifying = views.provider_totals(period="2025-03", programme="qualifizierung")
    assert 1 <= {r["provider"]: r for r in qualifying}["regiomech"]["open_findings"] < first["dashboard"]

    portal.supervision.confirm_warnings([(UUID(iid), missing[0]["rows"][0], "capacity_report_missing")], "gesehen",
                                        "test")  # from the queue: the one notice, all its rows
    after = counted()
    assert set(after.values()) == {first["invoice page"] - 1}, after
    assert open_findings(views, QueueFilter(period="2025-03"))["total"] == after["invoice page"]
    with Snapshot(portal, checkpoint_store(portal.settings)) as snap:  # the annual report's figures
        march = provider_year(portal, snap, "regiomech", 2025, clock.now.date())["months"][2]
    total = invoice_file(portal, UUID(iid))["counts"]["total"]
    assert (march["open"], march["findings"]) == (after["invoice page"], total)
    decided = {n["rows"][0]: bool(n.get("review")) for n in invoice_file(portal, UUID(iid))["invoice"]["notices"]
               if n["code"] == "capacity_report_missing"}
    assert decided == {missing[0]["rows"][0]: True, missing[1]["rows"][0]: False}


def test_two_offerings_of_one_type_without_a_capacity_report_are_two_rows_named_by_their_offering(
        portal, supervision, accounts, clock):
    """A capacity report missing for two offerings of one programme type: two notices of one rule in one invoice,
    told apart in the queue by the offering beside the programme type (before: by their row alone)."""
    from shared.portal.reporting import Upload
    from shared.readmodels.work_queue import QueueFilter, open_findings

    for code in ("RM-Q1", "RM-Q2"):
        portal.supervision.register_offering("regiomech", code, {"programme_type": "qualifizierung", "places": 10,
                                                                 "valid_from": "2025-01-01"}, "test")
    clock.now = datetime(2025, 4, 11, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))  # the month's reports are due
    header = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;"
              "Leistung;Menge;Ansatz;Betrag")
    rows = [f"03.2025;{who};Qualifizierung;{code};Selbstzahler;;;;;Einsatztag;5;80.00;400.00"
            for who, code in (("B-1", "RM-Q1"), ("B-2", "RM-Q2"), ("B-3", "RM-Q1"))]
    iid = portal.reporting.submit_invoice("regiomech", Upload("\n".join([header, *rows, ""]).encode(), "text/csv",
                                                              None), "test").document["id"]
    listed = [f for f in open_findings(portal.views, QueueFilter(period="2025-03", code="capacity_report_missing"))
              ["rows"] if f["invoice"] == iid]
    assert sorted((f["row"], f["rows"], f["programme"], f["offering"]) for f in listed) == [
        (2, 2, "qualifizierung", "RM-Q1"), (3, 1, "qualifizierung", "RM-Q2")]
    late = [f for f in open_findings(portal.views, QueueFilter(period="2025-03", code="late_submission"))["rows"]
            if f["invoice"] == iid]
    assert [(f["rows"], f["programme"], f["offering"]) for f in late] == [(3, "qualifizierung", None)]  # two offerings
    login(supervision, "sara")
    page = supervision.get("/arbeit?monat=2025-03&regel=capacity_report_missing").text
    assert "Qualifizierung (RM-Q1)" in page and "Qualifizierung (RM-Q2)" in page
