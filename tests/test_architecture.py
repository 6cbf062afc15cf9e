"""The layout's rules, checked on the source: imports point down only, no cycles, no web
framework below ``web``, no import hidden inside a function, small modules and functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "backend" / "lrscope"
# Each top-level part of the package, lowest first: a part may import its own modules and
# those of parts below it, never above (so ``web`` uses everything and nothing uses it).
LAYERS = {
    "errors": 0,
    "messages": 0,
    "file_messages": 0,
    "settings": 0,
    "sqlite_wal": 0,
    "version": 0,
    "catalog": 1,
    "spec": 1,
    "recipes": 1,
    "validation": 2,
    "engine": 3,
    "importing": 3,
    "codegen": 4,
    "training": 4,
    "logs": 4,
    "sharing": 4,
    "web": 5,
    "cli": 6,
    "__init__": 6,
    "__main__": 7,
}
WEB_FRAMEWORKS = ("fastapi", "starlette", "uvicorn", "websockets", "anyio", "httpx")
# Entry points import their heavy parts lazily, so `lrscope --help` does not import torch.
LAZY_IMPORTS_ALLOWED = {"lrscope.cli", "lrscope"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# The replicas mirror torch's lr_scheduler.py line by line (so a reviewer can diff them
# against it); their constructors stay as long as torch's.
LONG_FUNCTIONS_ALLOWED = ("lrscope.engine.replicas.",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, whether the import sits inside a function) for each import."""
    tree = ast.parse(path.read_text(), str(path))
    nested = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
        for n in ast.walk(f)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, id(node) in nested) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from pkg import module` imports the module
                sub = f"{node.module}.{alias.name}"
                found.append((sub if sub in MODULES else node.module, id(node) in nested))
    return found


def _layer(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    return LAYERS[top]


def _graph() -> dict[str, set[str]]:
    return {
        name: {m for m, _ in _imports(path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def test_every_part_of_the_package_has_a_layer() -> None:
    tops = {m.split(".")[1] if "." in m else "__init__" for m in MODULES}
    assert tops <= set(LAYERS), tops - set(LAYERS)


def test_imports_point_down_only() -> None:
    upward = [
        f"{name} -> {target}"
        for name, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(name)
    ]
    assert not upward, upward


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles


def test_no_web_framework_below_the_web_layer() -> None:
    leaks = [
        f"{name} imports {m}"
        for name, path in MODULES.items()
        if _layer(name) < LAYERS["web"]
        for m, _ in _imports(path)
        if m.split(".")[0] in WEB_FRAMEWORKS
    ]
    assert not leaks, leaks


def test_no_import_hidden_inside_a_function() -> None:
    hidden = [
        f"{name} imports {m} inside a function"
        for name, path in MODULES.items()
        if name not in LAZY_IMPORTS_ALLOWED
        for m, inside in _imports(path)
        if inside
    ]
    assert not hidden, hidden


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for name, path in MODULES.items():
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and not name.startswith(LONG_FUNCTIONS_ALLOWED):
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert not too_long, too_long


def test_the_checks_see_the_whole_package() -> None:
    assert {"lrscope.web.app", "lrscope.engine.evaluate", "lrscope.validation.run"} <= set(MODULES)
    graph = _graph()
    assert "lrscope.engine" in graph["lrscope.web.schedule_answer"]
    assert "lrscope.engine.torch_stepper" in graph["lrscope.training.loop"]
    assert "lrscope.validation.resolved" in graph["lrscope.validation.context"]
