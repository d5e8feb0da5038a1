"""The house rules the tree promises (docs/architecture.md), checked on the source itself: short modules, a
domain without interface code, and no import cycle."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "services")
MAX_LINES = 300
INTERFACE_ONLY = ("litestar", "rich", "argparse", "uvicorn")  # what shared/ must not import (web, terminal, CLI)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """Every module of the project this module imports, at the top or inside a function (`from pkg import
    submodule` imports the submodule; `from pkg import name` imports the package's __init__)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                out.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    return {i for i in out if i.split(".")[0] in PACKAGES}


def test_no_module_is_longer_than_300_lines():
    """The code's modules and the tests' own (test files, their cases and helpers, the benchmarks)."""
    paths = [*modules().values(), *(ROOT / "tests").rglob("*.py")]
    long = {str(p.relative_to(ROOT)): n for p in paths if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split by role: {long}"


def test_the_domain_imports_no_interface_code_and_never_prints():
    offenders = []
    for name, path in modules().items():
        if not name.startswith("shared"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [f"{name} imports {n}" for n in names if n.split(".")[0] in INTERFACE_ONLY]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{name} prints (line {node.lineno})")
    assert offenders == []


def test_no_import_cycle():
    mods = modules()
    graph = {name: {i for i in imports(path, name, mods) if i in mods and i != name} for name, path in mods.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "\n".join(" → ".join(c) for c in cycles)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_folder_says_what_it_is(package):
    missing = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py")
               if p.stat().st_size and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == [], "a one-line module docstring says what each module is for"
