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
