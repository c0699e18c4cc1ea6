"""The shape of the code, beyond what import-linter's contracts hold (pyproject.toml): no import
cycle between any two modules, an import inside a function only with its reason beside it, and
no application module past about 600 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 620  # "about 600": a module past it is two modules


def application_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def test_no_two_modules_import_each_other_even_through_others():
    graph = grimp.build_graph("shuren", exclude_type_checking_imports=True)
    for module in graph.modules:
        if ".tests" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if ".tests" in imported:
                continue
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            assert chain is None, f"import cycle: {module} -> {' -> '.join(chain or ())}"


def _explained(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line, or on the line above its block of imports."""
    if "#" in lines[lineno - 1]:
        return True
    above = lineno - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for path in application_modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and not _explained(
                    lines, inner.lineno
                ):
                    unexplained.append(f"{path.relative_to(ROOT.parent)}:{inner.lineno}")
    assert unexplained == []


def test_no_application_module_is_past_about_600_lines():
    long = {
        str(path.relative_to(ROOT.parent)): count
        for path in application_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
