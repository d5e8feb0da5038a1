"""The public finder's latency (`make bench`): 500 offerings at random places of the providers' regions with a
capacity report each, then 1,000 searches from random Swiss postcodes with random radii and programme types.

`bench_finder(settings)` fills a scratch store (the offerings are saved as register aggregates in one go, with
the terms `validate_offering` gives: registering 500 one by one re-reads the register's offerings each time,
which is a cost of setting up, not of searching) and files one capacity report per provider through the
intake. It times `portal.finder.search` (the application call the API makes, read-model catch-up included) and
the whole HTTP answer of GET /api/v1/public/offerings. Goal: p95 ≤ 20 ms.

    python -m tests.bench.finder            # SQLite in a temporary folder
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time

REGION = {"SO", "BL", "BS", "AG", "BE"}  # the brochure's map: Solothurn, Olten, Grenchen, Basel, Liestal, Aarau


def _percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {"p50_ms": statistics.median(ordered), "p95_ms": ordered[int(len(ordered) * 0.95) - 1],
            "max_ms": ordered[-1]}


def _fill(portal, offerings: int, rng: random.Random) -> None:
    from shared.kernel.periods import Period
    from shared.portal.reporting import Upload
    from shared.register.domain.localities import localities
    from shared.register.domain.offering import validate_offering
    from shared.register.domain.register import Offering

    sup = portal.supervision
    catalogue = sup.catalogue()
    types = sorted(catalogue.programme_types)
    places = [loc for loc in localities().all if loc.canton in REGION]
    slugs = sup.provider_slugs()
    register = sup.register()
    made, rows = [], {slug: [] for slug in slugs}
    for i in range(offerings):
        provider, programme, where = slugs[i % len(slugs)], rng.choice(types), rng.choice(places)
        code = f"B-{i:04d}"
        terms = validate_offering(catalogue, [], code, {
            "programme_type": programme, "name": f"Angebot {i}", "postcode": where.postcode, "location": where.place,
            "places": rng.randint(4, 30), "valid_from": "2024-01-01"})
        offering = Offering(provider=provider, code=code, terms=terms, actor="bench")
        register.list_offering(offering.id)
        made.append(offering)
        occupied = rng.randint(0, terms["places"] + 2)
        rows[provider].append(f"{programme};{code};{terms['places']};{occupied};1;1;{rng.randint(0, 5)}")
    sup.save(register, *made)
    month = Period.of(portal.reporting.clock().date()).previous()
    label = f"{month.month:02d}.{month.year}"
    for provider, lines in rows.items():
        body = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste\n" + "".join(
            f"{label};{line}\n" for line in lines)
        portal.reporting.submit_capacity_report(provider, Upload(body.encode(), "text/csv", "kapazitaet.csv"), "bench")


def bench_finder(settings, offerings: int = 500, queries: int = 1000, seed: int = 20) -> dict:
    from litestar.testing import TestClient

    from services.supervision.app import create_app
    from shared.finder.domain.search import RADII_KM
    from shared.portal import open_portal
    from shared.register.domain.localities import localities

    rng = random.Random(seed)
    portal = open_portal(settings)
    try:
        _fill(portal, offerings, rng)
        postcodes = sorted({loc.postcode for loc in localities().all})
        types = [None, *sorted(portal.supervision.catalogue().programme_types)]
        asks = [(rng.choice(types), rng.choice(postcodes), rng.choice(RADII_KM)) for _ in range(queries)]
        finder = portal.finder
        finder.search(None, "4500", 20)  # the first call reads the register and the capacity view
        found, samples = 0, []
        for programme, plz, radius in asks:
            t0 = time.perf_counter()
            answer = finder.search(programme, plz, radius)
            samples.append((time.perf_counter() - t0) * 1000)
            found += len(answer["offerings"])
        result = {"offerings": len(finder.listings()), "queries": queries, "hits_per_query": found / queries,
                  **_percentiles(samples)}
        app = create_app(settings.with_(public_rate_per_minute=10 * queries), portal=portal)
        with TestClient(app) as client:
            client.get("/api/v1/public/offerings?plz=4500")
            http = []
            for programme, plz, radius in asks:
                url = f"/api/v1/public/offerings?plz={plz}&radius_km={radius}" + (
                    f"&programme={programme}" if programme else "")
                t0 = time.perf_counter()
                r = client.get(url)
                http.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, r.text[:200]
        result.update({f"http_{k}": v for k, v in _percentiles(http).items()})
        return result
    finally:
        portal.close()


if __name__ == "__main__":
    from shared.config import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        print(bench_finder(load_settings({"AMI_DATA_DIR": tmp})))
