"""Every PDF the portal makes (tests.pdf_layout.PORTAL_PDFS), made from the whole demo year: no two glyphs
overlap, no text leaves the page or runs into its side margins, no two figures run together."""
from __future__ import annotations

import pytest

from tests.pdf_layout import PORTAL_PDFS, SIDE_MARGINS, layout_problems

YEAR = 2025


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    from services.demo.generator import run_demo
    from shared.config import load_settings
    from shared.portal import open_portal

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path_factory.mktemp("demo") / "data")})
    portal = open_portal(settings)
    run_demo(portal, year=YEAR, workers=2)
    yield portal
    portal.close()


@pytest.mark.parametrize("name", sorted(PORTAL_PDFS))
def test_the_pdf_fits_its_pages(demo_year, name):
    pdf = PORTAL_PDFS[name](demo_year, YEAR)
    assert pdf[:5] == b"%PDF-"
    assert layout_problems(pdf, side_margin=SIDE_MARGINS[name]) == [], name
