"""The evaluation (api.md «Evaluation», issue 21) over the API on SQLite and PostgreSQL: small numbers
suppressed in every cell and total, money reconciled to the centime with the funding report, pseudonyms only,
access-logged; and its PDF report, read back with pdftotext and checked for overlapping text."""
from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest

from shared.privacy.adapters.access_log import AccessLog
from tests.pdf_layout import layout_problems
from tests.pdf_reading import pdf_text

SOURCES = ("social_service", "canton_subsidy", "fee_waiver", "participant", "federal_integration_credit",
           "other")
REASONS = ("job_first_labour_market", "apprenticeship", "programme_change", "dropout", "no_show", "regular_end",
           "other")
MONTHS = ("2025-01", "2025-02", "2025-03")
QUERY = "programme=integration-arbeit&from=2025-01&to=2025-03"
FUNDINGS = ("social_assistance", "self_payer", "alv_iv")


def line(participant, programme, unit, quantity, price, funding, **extra) -> dict:
    amount = f"{Decimal(quantity) * Decimal(price):.2f}"
    body = {"participant": participant, "programme": programme, "funding": funding, "unit": unit,
            "quantity": quantity, "unit_price": price, "amount": amount, **extra}
    if funding == "social_assistance":
        body["cost_approval"] = f"KGS-OL-2025-{participant[-2:]}"
    return body


def cohort(prefix: str, n: int, programme: str, unit: str, quantity: str, price: str, exits: list[str],
           months=MONTHS) -> dict[str, list[dict]]:
    """n participants billed every month; the i-th leaves at the end of the last month for exits[i]."""
    per_month: dict[str, list[dict]] = {m: [] for m in months}
    for i in range(n):
        for m in months:
            extra = {}
            if m == months[-1] and i < len(exits):
                extra = {"exit_date": f"{m}-28", "exit_reason": exits[i]}
            per_month[m].append(line(f"{prefix}-{i + 1:02d}", programme, unit, quantity, price,
                                     FUNDINGS[i % 3], **extra))
    return per_month


DATA = {
    # integration.arbeit at the three providers of the test programme; Netzwerk Grenchen with three people
    "regiomech": cohort("RM", 8, "integration-arbeit", "coaching_hour", "4", "250.00",
                        ["job_first_labour_market"] * 5 + ["apprenticeship", "regular_end"]),
    "oltech": cohort("OT", 6, "integration-arbeit", "assignment_day", "12", "90.00",
                     ["job_first_labour_market"] * 2 + ["dropout"]),
    "netzwerk-grenchen": cohort("NG", 3, "integration-arbeit", "coaching_hour", "3", "250.00",
                                ["job_first_labour_market"], months=MONTHS[:2]),
    "heks": cohort("HK", 7, "qualifizierung", "assignment_day", "21.7", "80.00", ["regular_end"] * 5),
    "amie-basel": cohort("AB", 5, "coaching", "coaching_hour", "2", "200.00", []),
    "dock-basel": cohort("DB", 2, "beschaeftigung-1", "assignment_day", "21.7", "35.00", []),
}


@pytest.fixture
def filled(reporting, tokens):
    for provider, months in DATA.items():
        h = {**tokens(provider), "Content-Type": "application/json"}
        for period, lines in months.items():
            r = reporting.post("/api/v1/invoices", content=json.dumps({"period": period, "lines": lines}),
                               headers=h)
            assert r.status_code == 201, r.text
    return DATA


def rows_of(data: dict, programme: str) -> dict:
    return {r["provider"]: r for r in data["rows"] if r["programme"] == programme}


def leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    else:
        yield value


def test_the_evaluation_suppresses_small_cells_and_reconciles_with_the_funding_report(filled, supervision, tokens,
                                                                                    settings):
    sup = tokens(role="supervisor")
    r = supervision.get(f"/api/v1/evaluations?{QUERY}", headers=sup)
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["programme"], data["from"], data["to"]) == ("integration-arbeit", "2025-01", "2025-03")
    assert data["compare"] == ["qualifizierung", "coaching"]
    ia = rows_of(data, "integration-arbeit")
    assert list(ia) == ["netzwerk-grenchen", "oltech", "regiomech", None]

    # Netzwerk Grenchen (three participants): every figure null, in every cell
    ng = ia["netzwerk-grenchen"]
    assert ng["suppressed"] is True and ng["complementary"] == []
    figures = {k: v for k, v in ng.items() if k not in ("programme", "provider", "provider_name", "suppressed",
                                                          "suppressed_cells", "complementary")}
    assert set(figures) >= {"participants", "participant_months", "median_months", "exits", "share_into_work",
                            "allowed", "per_participant", "per_exit_into_work", "by_source"}
    assert all(v is None for v in leaves(figures)), figures
    # complementary: Oltech (six) goes with it, else total − Regiomech would be Netzwerk Grenchen
    assert ia["oltech"]["suppressed"] is True and ia["oltech"]["complementary"] == ["row"]
    assert all(v is None for v in leaves(ia["oltech"]["by_source"]))
    regiomech, total = ia["regiomech"], ia[None]
    assert not regiomech["suppressed"] and not total["suppressed"]
    assert (regiomech["participants"], total["participants"]) == (8, 17)
    assert (regiomech["participant_months"], regiomech["median_months"]) == (24, 3.0)
    # one apprenticeship (under five) takes the five jobs with it: their sum, six into work, stays shown
    assert regiomech["exits"]["apprenticeship"] is None and "apprenticeship" not in regiomech["complementary"]
    assert regiomech["exits"]["job_first_labour_market"] is None
    assert "job_first_labour_market" in regiomech["complementary"]
    assert regiomech["exits_into_work"] == 6 and regiomech["share_into_work"] == pytest.approx(6 / 7, abs=1e-3)
    # the small counts of Regiomech's row have a second suppressed count beside them
    assert regiomech["exits"]["regular_end"] is None and regiomech["exits_total"] == 7
    assert total["exits_total"] == 11 and total["exits_into_work"] == 9  # 5 + 2 + 1 jobs, 1 apprenticeship
    # no total reveals a suppressed cell: in every sum, none or at least two are null
    for programme in ("integration-arbeit", "qualifizierung", "coaching"):
        rows = list(rows_of(data, programme).values())
        providers = [x for x in rows if x["provider"]]
        for key in REASONS:
            column = [x["exits"][key] for x in rows]
            assert column.count(None) != 1, (programme, key, column)
        for key in ("exits_total", "exits_into_work", "allowed", "participants"):
            column = [x[key] for x in rows]
            assert column.count(None) != 1, (programme, key, column)
        for x in providers + [rows[-1]]:
            assert [x["exits"][k] for k in REASONS + ()].count(None) + (x["exits_total"] is None) != 1
            into = [x["exits"]["job_first_labour_market"], x["exits"]["apprenticeship"], x["exits_into_work"]]
            assert into.count(None) != 1, (programme, x["provider"], into)
        for q in [q for q in data["quarters"] if q["programme"] == programme]:
            assert q["suppressed"] or q["participants"] >= 5

    # to the centime: the funding report of the same months, read through its own endpoint
    funding = supervision.get("/api/v1/funding?quarter=2025-Q1", headers=sup).json()
    by_provider = {p["provider"]: p for p in funding["providers"]}
    recon = data["reconciliation"]
    assert recon["reconciles"] is True and recon["funding_report"] == funding["total"]
    for s in SOURCES:
        shown = sum((Decimal(a[s]) for a in recon["programmes"].values()), Decimal(recon["rest"][s]))
        assert shown == Decimal(funding["total"][s]), s
        # the three providers bill integration.arbeit only: its total is their funding rows, suppressed or not
        three = sum(Decimal(by_provider[p][s]) for p in ("regiomech", "oltech", "netzwerk-grenchen"))
        assert Decimal(total["by_source"][s]) == three, s
        assert regiomech["by_source"][s] == by_provider["regiomech"][s]
        assert rows_of(data, "qualifizierung")["heks"]["by_source"][s] == by_provider["heks"][s]
    assert Decimal(total["allowed"]) == sum(Decimal(total["by_source"][s]) for s in SOURCES)
    assert Decimal(total["allowed"]) == Decimal("8000.00") * 3 + Decimal("12") * 90 * 6 * 3 + Decimal("750.00") * 6
    assert Decimal(recon["rest"]["social_service"]) + Decimal(recon["rest"]["other"]) > 0  # Beschäftigung I
    assert regiomech["per_exit_into_work"] == f"{Decimal(regiomech['allowed']) / 6:.2f}"

    # pseudonyms only: no participant number leaves the evaluation; the reading is logged
    assert not any(f"{p}-0" in r.text for p in ("RM", "OT", "NG", "HK", "AB", "DB"))
    assert ("read", "GET /api/v1/evaluations") in [(e.action, e.subject) for e in AccessLog(settings).entries()]


def test_the_evaluation_refuses_bad_queries_and_other_roles(filled, supervision, tokens):
    sup = tokens(role="finance")
    assert supervision.get("/api/v1/evaluations", headers=sup).status_code == 200  # the default span
    for query, field in (("from=2025-13", "from"), ("from=2025-04&to=2025-01", "to"), ("programme=yoga", "programme"),
                         ("compare=qualifizierung,yoga", "compare"), ("from=2000-01&to=2025-01", "to")):
        r = supervision.get(f"/api/v1/evaluations?{query}", headers=sup)
        assert r.status_code == 422, query
        assert r.json()["errors"][0]["column"] == field and r.json()["errors"][0]["message"]
    assert supervision.get(f"/api/v1/evaluations?{QUERY}").status_code == 401
    assert supervision.get(f"/api/v1/evaluations?{QUERY}", headers=tokens("regiomech")).status_code in (401, 403)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_evaluation_report_reads_as_the_api_and_no_text_overlaps(filled, supervision, tokens, settings, tmp_path):
    from pypdf import PdfReader

    from shared.audit.application.checkpoints import parse_public_key
    from shared.audit.application.verify_pdf import verify_pdf

    sup = tokens(role="supervisor")
    r = supervision.get(f"/api/v1/evaluations/evaluation.pdf?{QUERY}", headers=sup)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = r.content
    text = pdf_text(pdf, layout=True)
    flat = " ".join(text.split())
    for expected in ("Evaluation integration.arbeit 01.2025–03.2025", "Auftrag und Methode", "Definitionen",
                     "Schutz kleiner Zahlen", "Austritte und Kosten im Vergleich", "Stelle 1. Arbeitsmarkt",
                     "Qualifizierung", "Coaching",
                     "Abstimmung mit der Finanzierung", "Die Summen stimmen auf den Rappen überein",
                     "Prüfspur und Speicherstand", "Speicher-Digest", "auswertung.json"):
        assert expected in flat, expected
    lines = [ln.strip() for ln in text.splitlines()]
    netzwerk = [ln for ln in lines if ln.startswith("Netzwerk Grenchen")]
    oltech = [ln for ln in lines if ln.startswith("Oltech")]
    assert len(netzwerk) == len(oltech) == 4  # one row in each of the four tables of integration.arbeit
    for row in netzwerk:  # three participants: every figure «< 5»
        assert "<" in row and not any(ch.isdigit() for ch in re.sub(r"<\s*5", "", row)), row
    for row in oltech:  # suppressed beside it: «×», never a figure
        assert "×" in row and not any(ch.isdigit() for ch in re.sub(r"<\s*5", "", row)), row
    assert "RM-01" not in text and "NG-01" not in text
    assert layout_problems(pdf) == []
    # an auditor checks it alone: seal, pages, attachments, checkpoints and the invoices' inclusion proofs
    assert verify_pdf(pdf, parse_public_key(str(settings.keys_dir / "signing.pub"))) == []
    attached = PdfReader(io.BytesIO(pdf)).attachments
    figures = json.loads(attached["auswertung.json"][0])
    ng = next(x for x in figures["rows"] if x["provider"] == "netzwerk-grenchen")
    assert ng["suppressed"] and ng["participants"] is None
    (tmp_path / "evaluation.pdf").write_bytes(pdf)
    assert ("disclose", "GET /api/v1/evaluations/evaluation.pdf") in [
        (e.action, e.subject) for e in AccessLog(settings).entries()]
