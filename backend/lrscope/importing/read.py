"""Text -> (format, RunSpec dict): which kind of text it is, then its reader. The text is
parsed (Python ``ast``, ``yaml.safe_load``, ``json``) and never executed."""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from lrscope.catalog import Catalog
from lrscope.errors import Loc, SpecError, error, got
from lrscope.importing.configs import (
    has_targets,
    hydra_spec,
    lightning_cli_spec,
    looks_like_lightning_cli,
)
from lrscope.importing.hf_args import hf_args_spec, looks_like_hf, parse_flags
from lrscope.importing.lightning import lightning_spec
from lrscope.importing.problems import (
    MAX_LINES,
    MAX_NESTING,
    MAX_TEXT_CHARS,
    MAX_VALUES,
    ImportRefused,
    Report,
    Where,
    unreadable,
)
from lrscope.importing.python_code import CodeReader
from lrscope.importing.pytorch import no_scheduler, pytorch_spec
from lrscope.spec.formula import parse_module

_PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.)( |$)")
_TRAINING_ARGUMENTS = ("TrainingArguments", "Seq2SeqTrainingArguments", "SFTConfig")


@dataclass
class Imported:
    spec: dict[str, Any]
    format: str
    warnings: list[dict[str, Any]] = field(default_factory=list)
    origins: dict[Loc, tuple[Where, str | None]] = field(default_factory=dict)


def _refuse(code: str, **params: str) -> SpecError:
    return SpecError([error(("text",), code, "value_error", **params)])


def check_text(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise _refuse("import_too_large", size=str(len(text)), maximum=str(MAX_TEXT_CHARS))
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise _refuse("import_too_many_lines", count=str(len(lines)), maximum=str(MAX_LINES))
    depth = 0
    for ch in text:
        depth += (ch in "([{") - (ch in ")]}")
        if depth > MAX_NESTING:
            raise _refuse("import_too_deep", maximum=str(MAX_NESTING))
    if not text.strip():
        raise _refuse("import_empty")
    return "\n".join(_PROMPT.sub(r"\1", line) for line in lines) if _is_doctest(lines) else text


def _is_doctest(lines: list[str]) -> bool:
    return any(line.lstrip().startswith(">>> ") for line in lines)


def check_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors = []
    if len(values) > MAX_VALUES:
        raise SpecError(
            [error(("values",), "too_many_items", count=str(len(values)), maximum=str(MAX_VALUES))]
        )
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if not isinstance(value, int | float | str | bool) or len(name) > 200:
            errors.append(error(("values", name), "import_value_kind", **got(value)))
            continue
        clean[_normal_name(name)] = value
    if errors:
        raise SpecError(errors)
    return clean


def _normal_name(name: str) -> str:
    """``len( loader )`` and ``len(loader)`` are one name: the source as ``ast`` writes it."""
    try:
        return ast.unparse(ast.parse(name, mode="eval").body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return name


def _glued_number(text: str) -> Where | None:
    """Where a number runs into a name (``1if``): Python accepts it with a SyntaxWarning, or
    refuses it under ``-W error``; refused here, so acceptance never depends on the filters
    (and the parser never warns)."""
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if (
                previous is not None
                and previous.type == tokenize.NUMBER
                and token.type == tokenize.NAME
                and previous.end == token.start
            ):
                return Where(token.start[0], token.start[1] + 1)
            previous = token
    except (tokenize.TokenError, SyntaxError):
        return None
    return None


def _python(text: str) -> ast.Module | None:
    glued = _glued_number(text)
    if glued is not None:
        raise unreadable(glued, "put a space between the number and the name before it")
    try:
        tree = parse_module(text)
    except SyntaxError:
        return None
    except (ValueError, RecursionError, MemoryError):
        raise _refuse("import_too_deep", maximum=str(MAX_NESTING)) from None
    calls = any(isinstance(n, ast.Call) for n in ast.walk(tree))
    return tree if calls else None


def _code(
    text: str, tree: ast.Module, catalog: Catalog, given: dict[str, Any], report: Report
) -> tuple[str, dict[str, Any]]:
    reader = CodeReader(text, catalog, given, report)
    reader.read(tree)
    configured = [r for r in reader.returns if r.function == "configure_optimizers"]
    if configured:
        return "lightning", lightning_spec(reader, configured[-1], report)
    if not any(b.kind == "scheduler" for b in reader.built):
        for call in reader.keyword_calls:
            if ast.unparse(call.func).rsplit(".", 1)[-1] in _TRAINING_ARGUMENTS:
                args = {k.arg: reader.values.of(k.value) for k in call.keywords if k.arg}
                return "hf_code", hf_args_spec(args, given, report)
        raise no_scheduler()
    spec = pytorch_spec(reader, report)
    hf = any(b.hf for b in reader.built)
    return ("hf_code" if hf else "pytorch"), spec


def _mapping(text: str) -> tuple[str, Any] | None:
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            return "json", json.loads(text)
        except ValueError:
            pass
    try:
        return "yaml", yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and ":" in text:
            where = Where(mark.line + 1, mark.column + 1)
            raise unreadable(where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
        return None
    except (RecursionError, MemoryError):
        raise _refuse("import_too_deep", maximum=str(MAX_NESTING)) from None


def _config(
    kind: str, root: Any, catalog: Catalog, given: dict[str, Any], report: Report
) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(root, dict):
        return None
    if looks_like_lightning_cli(root):
        return "lightning_cli", lightning_cli_spec(root, catalog, given, report)
    if has_targets(root):
        return "hydra", hydra_spec(root, catalog, given, report)
    if looks_like_hf(root):
        return f"hf_{kind}", hf_args_spec(root, given, report)
    return None


def read_text(text: str, values: Mapping[str, Any], catalog: Catalog) -> Imported:
    """What ``text`` builds, as a RunSpec dict (not yet validated), or a SpecError."""
    text = check_text(text)
    given = check_values(values)
    report = Report()
    try:
        found = _dispatch(text, catalog, given, report)
    except ImportRefused as exc:
        raise SpecError([exc.item]) from None
    except RecursionError:
        raise _refuse("import_too_deep", maximum=str(MAX_NESTING)) from None
    report.raise_errors()
    kind, spec = found
    return Imported(spec, kind, report.warnings, report.origins)


def _dispatch(
    text: str, catalog: Catalog, given: dict[str, Any], report: Report
) -> tuple[str, dict[str, Any]]:
    tree = _python(text)
    if tree is not None:
        return _code(text, tree, catalog, given, report)
    flags = parse_flags(text) if "--" in text else None
    if flags is not None:
        return "hf_args", hf_args_spec(flags, given, report)
    mapping = _mapping(text)
    if mapping is not None:
        found = _config(mapping[0], mapping[1], catalog, given, report)
        if found is not None:
            return found
    raise _syntax_or_unknown(text)


def _syntax_or_unknown(text: str) -> SpecError | ImportRefused:
    try:
        parse_module(text)
    except SyntaxError as exc:
        if re.search(r"^\s*(import|from|def|class|for|optimizer|scheduler)\b", text, re.M):
            return unreadable(
                Where(exc.lineno or 1, exc.offset or 1), f"not valid Python: {exc.msg}"
            )
    except (ValueError, RecursionError, MemoryError):
        pass
    return _refuse("import_unknown_format")
