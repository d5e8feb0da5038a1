"""The web layer's shape: small modules named by role, and every page answering errors as a German page."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from litestar.routes import HTTPRoute

from services.common.page_guard import LoginRequired
from shared.config import load_settings

ROOT = Path(__file__).resolve().parents[3]
WEB = [p for folder in ("common", "reporting", "supervision") for p in sorted((ROOT / "services" / folder).glob("*.py"))]
NOT_PAGES = ("/api/", "/schema", "/health", "/static", "/favicon.ico")


@pytest.mark.parametrize("path", WEB, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_web_module_is_small_and_says_in_one_line_what_it_is(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    if path.name != "__init__.py":
        doc = ast.get_docstring(ast.parse(text), clean=False)
        assert doc and "\n" not in doc.strip(), doc
    assert path.stem not in ("utils", "helpers", "misc")


@pytest.mark.parametrize("service", ["reporting", "supervision"])
def test_every_page_sends_a_visitor_to_the_login_and_answers_errors_as_german_pages(service, tmp_path):
    from importlib import import_module

    app = import_module(f"services.{service}.app").create_app(load_settings({"AMI_DATA_DIR": str(tmp_path)}))
    pages = [(route.path, handler) for route in app.routes if isinstance(route, HTTPRoute)
             and not route.path.startswith(NOT_PAGES) for handler in route.route_handlers]
    assert len(pages) >= (8 if service == "reporting" else 20)
    for path, handler in pages:
        handlers = handler.resolve_exception_handlers()
        assert LoginRequired in handlers, path
        assert handlers[LoginRequired].__module__ == "services.common.page_errors", path
