"""The PDF renderer fetches bundled assets only; templates and charts escape everything."""

from __future__ import annotations

import pytest

from shared.presentation.pdf import charts
from shared.presentation.pdf.render import AssetFetcher, RefusedURL, render_html


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.css",
        "data:text/css,body{}",
        "ami-asset:../render.py",
        "ami-asset:/../../shared/config.py",
        "ftp://x/y",
        "ami-asset:nope.css",
    ],
)
def test_fetcher_refuses_everything_but_bundled_assets(url):
    f = AssetFetcher()
    with pytest.raises(RefusedURL):
        f.fetch(url)
    assert f.refused == [url]


def test_fetcher_serves_the_bundled_css_and_fonts():
    f = AssetFetcher()
    css = f.fetch("ami-asset:audit.css")
    assert b"@font-face" in css.read() and css.content_type == "text/css"
    assert f.fetch("ami-asset:DejaVuSans.ttf").read()[:4] == b"\x00\x01\x00\x00"
    assert f.refused == []


def test_charts_escape_labels_and_handle_no_data():
    svg = charts.hbar_chart([("<script>alert(1)</script>", 10), ("A & B", 5)], "x<y")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg
    assert "Keine Daten" in charts.bar_chart(["Jan"], [("a", [0])], "leer")
    assert "Keine Daten" in charts.line_chart([], [], "leer")
    assert "<polyline" in charts.line_chart(["a", "b", "c"], [("x", [1, None, 3]), ("y", [1, 2, 3])], "t")
    assert charts.nice_step(2714.5) == 1000 and charts.short_number(12000) == "12’000"


def test_templates_autoescape():
    html = render_html(
        "_audit.html",
        {
            "audit": {"checkpoints": [], "digest": "<b>", "key_id": "k", "public_key": "p"},
            "attachments": [
                {"name": '<img src="file:///etc/passwd">', "description": "d", "size": 1, "sha256": "s"}
            ],
        },
    )
    assert "<img" not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_rows_of_a_finding_are_printed_as_ranges():
    from shared.presentation.format import row_ranges

    assert row_ranges([9, 2, 3, 4, 7, 10, 3]) == "2–4, 7, 9–10"
    assert row_ranges([5]) == "5" and row_ranges([]) == ""
    # with a limit: that many runs, then how many rows are left (a notice on every other line of 10,000)
    assert row_ranges([9, 2, 3, 4, 7, 10, 3], limit=2) == "2–4, 7 … und 2 weitere"
    assert row_ranges(range(2, 20_002, 2), limit=3) == "2, 4, 6 … und 9’997 weitere"
    assert row_ranges([9, 2, 3, 4, 7, 10], limit=3) == "2–4, 7, 9–10"
