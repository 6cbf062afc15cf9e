"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FUNCTION = re.compile(r"^\s*(async\s+)?(\([^)]*\)|\w+)\s*=>")


def _string_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal start is what matters
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) else ""
    return None


def test_wait_for_function_is_always_given_a_function() -> None:
    """Playwright evals a bare expression string while it polls, which the page's CSP
    (no 'unsafe-eval') forbids: the wait then times out. Pass "() => ..." instead."""
    bare = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "wait_for_function"
                and node.args
            ):
                text = _string_value(node.args[0])
                if text is None or not FUNCTION.match(text):
                    bare.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert not bare, f"wait_for_function with a bare expression (use '() => ...'): {bare}"


def test_the_convention_check_catches_a_bare_expression() -> None:
    assert FUNCTION.match("() => document.body")
    assert FUNCTION.match("(id) => id > 1")
    assert FUNCTION.match("async () => 1")
    assert not FUNCTION.match("document.getElementById('x').textContent === 'y'")


# JavaScript tests (node --test) are not Python packages.
OWN_LAYOUT = ("js",)


def _python_dirs() -> list[Path]:
    dirs = {p.parent for p in TESTS.rglob("*.py")}
    return sorted(
        d for d in dirs if d.relative_to(TESTS).parts[:1] not in [(o,) for o in OWN_LAYOUT]
    )


def test_every_test_folder_is_a_package() -> None:
    """Test modules are imported by their dotted path (``tests.web.routes.test_jobs``), so
    two folders may each hold a ``test_spec.py``; a folder without ``__init__.py`` would
    be imported by its basename and collide."""
    missing = [
        str(d.relative_to(TESTS)) for d in _python_dirs() if not (d / "__init__.py").exists()
    ]
    assert not missing, f"add an __init__.py to: {missing}"


def test_shared_code_is_imported_from_helpers_not_conftest() -> None:
    """Fixtures live in conftest.py; shared functions and classes in tests/helpers."""
    offenders = []
    for d in _python_dirs():
        for path in d.glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                if any(n.split(".")[-1] == "conftest" for n in names):
                    offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert not offenders, offenders
