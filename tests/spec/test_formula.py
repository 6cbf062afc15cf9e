"""The formula language: same results as Python, bit for bit, and nothing unsafe gets in."""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from types import CodeType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrscope.spec.formula import (
    ALLOWED_CONSTANTS,
    ALLOWED_FUNCTIONS,
    MAX_LENGTH,
    Expression,
    ExpressionError,
    compile_expression,
    used_math_names,
)

BUILTINS = {"min": min, "max": max, "abs": abs, "float": float, "int": int, "round": round}
BUILTINS["pow"] = pow
MATH_NAMES = [n for n in ALLOWED_FUNCTIONS + ALLOWED_CONSTANTS if n not in BUILTINS]
# The oracle: what the exported `lambda epoch: <source>` computes.
PY_GLOBALS: dict[str, object] = {"__builtins__": {}, **BUILTINS, "math": math}
PY_GLOBALS.update({name: getattr(math, name) for name in MATH_NAMES})
# Our deliberate limits: where we refuse, Python may hang, eat memory or return a huge int.
LIMIT_MESSAGES = ("too large", "too long", "too complex", "too deeply", "not a real number")
LIMIT_MESSAGES += ("ndigits must be",)  # round(x, 10**9) would compute 10**(10**9)

LR_LAMBDAS = [
    "0.95 ** epoch",
    "min(1, (epoch + 1) / 5)",
    "0.5 ** (epoch // 30)",
    "epoch / 10 if epoch < 10 else (10 / epoch) ** 0.5",
    "0.5 * (1 + cos(pi * epoch / 100))",
    "max(0.0, 1 - epoch / 1000) ** 0.9",
    "exp(-epoch / 50)",
    "1 / sqrt(max(epoch, 1))",
    "0.1 if 10 <= epoch < 20 else 1",
    "floor(epoch / 7) * 0.1",
    "ceil(epoch / 3)",
    "epoch % 7 == 0",
    "epoch < 5",
    "not epoch",
    "epoch and 1 / epoch",
    "epoch or 0.5",
    "-0.0 * epoch",
    "0.0 * -epoch",
    "2 ** epoch",
    "2 ** -epoch",
    "epoch ** 3 // 7",
    "(-1) ** epoch",
    "-epoch ** 0.5",
    "(-epoch) ** 0.5",
    "epoch ** epoch",
    "10.0 ** epoch",
    "1e308 * epoch",
    "exp(epoch)",
    "1 / epoch",
    "log(epoch)",
    "log(epoch, 2)",
    "log(8, epoch)",
    "log10(epoch + 1) + log2(epoch + 1)",
    "tan(epoch) + tanh(epoch / 100)",
    "sin(epoch) ** 2 + cos(epoch) ** 2",
    "abs(epoch - 500) / 500",
    "min(epoch, 3, 2.5, 10)",
    "e ** -epoch",
    "sqrt(epoch - 10)",
    "+epoch - -epoch * 1_000 % 0x11",
    "epoch // 0.3 + epoch % 0.3",
    "1 < epoch <= 2 == 2.0 != 3 > 0 >= -1",
    # as recipes write them (HuggingFace's schedules, the Transformer's)
    "float(epoch) / float(max(1, 500)) if epoch < 500 else max(0.0, float(10000 - epoch))",
    "0.5 * (1.0 + math.cos(math.pi * float(epoch) / 1000))",
    "math.exp(-epoch / 50) + math.e",
    "pow(0.5, epoch // 30) + pow(epoch, 2)",
    "round(epoch / 7) + round(epoch / 7, 2) + int(epoch / 3)",
    "512 ** -0.5 * min(max(epoch, 1) ** -0.5, max(epoch, 1) * 4000 ** -1.5)",
]
SCALE_FNS = [
    "1 / (2.0 ** (x - 1))",
    "0.99994 ** x",
    "1.0",
    "x / (x + 1)",
    "exp(-x) * cos(x)",
    "1 if x < 3 else 0.5",
]


def python_eval(code: CodeType | str, variable: str, value: int | float) -> object:
    return eval(code, PY_GLOBALS, {variable: value})


def same(a: object, b: object) -> bool:
    """Bitwise equal and same type (so 1 != 1.0 != True, and 0.0 != -0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return a.hex() == b.hex()
    return a == b


def python_refuses(result: object) -> bool:
    """What Python returned is something we must reject: not a finite real number."""
    if isinstance(result, float):
        return not math.isfinite(result)
    return isinstance(result, complex) or (isinstance(result, int) and abs(result) >= 2**1024)


def check_against_python(source: str, variable: str, values: list[int] | list[float]) -> None:
    code = compile(source, "<formula>", "eval")
    try:
        expr: Expression | ExpressionError = compile_expression(source, variable)
    except ExpressionError as exc:  # a constant that always fails, or a limit
        expr = exc
    for value in values:
        try:
            if isinstance(expr, ExpressionError):
                raise expr
            ours: object = expr(value)
        except ExpressionError as exc:
            if any(m in str(exc) for m in LIMIT_MESSAGES):
                continue  # Python might hang here (9**9**9), so don't ask it
            try:  # safe: Python does what we did, up to where we stopped
                theirs = python_eval(code, variable, value)
            except (ArithmeticError, ValueError, TypeError):  # round(1.5, 0.5): TypeError
                continue
            assert python_refuses(theirs), (source, value, str(exc), theirs)
            continue
        theirs = python_eval(code, variable, value)
        assert same(ours, theirs), (source, value, ours, theirs)


@pytest.mark.parametrize("source", LR_LAMBDAS)
def test_lr_lambdas_match_python_bitwise(source: str) -> None:
    check_against_python(source, "epoch", list(range(1001)))


@pytest.mark.parametrize("source", SCALE_FNS)
def test_scale_fns_match_python_bitwise(source: str) -> None:
    values = [0, 1, 2, 7, 100, 0.0, 0.5, 1.5, 1e-9, 3.25, 1e3, -2.5]
    check_against_python(source, "x", values)


def test_exported_lambda_matches() -> None:
    """What the code exporter does: `from math import ...` plus `lambda epoch: <source>`."""
    for source in LR_LAMBDAS[:16]:
        expr = compile_expression(source, "epoch")
        names = sorted(used_math_names(expr))
        namespace: dict[str, object] = {}
        imports = f"from math import {', '.join(names)}\n" if names else ""
        exec(f"{imports}lr_lambda = lambda epoch: {expr.source}\n", namespace)
        lr_lambda: Callable[[int], object] = namespace["lr_lambda"]  # type: ignore[assignment]
        for epoch in range(1, 300):
            assert same(expr(epoch), lr_lambda(epoch)), (source, epoch)


PASTED_LAMBDAS = [
    # transformers' get_linear_schedule_with_warmup(warmup=500, total=10000), verbatim
    "lambda current_step: float(current_step) / float(max(1, 500)) if current_step < 500 else "
    "max(0.0, float(10000 - current_step) / float(max(1, 10000 - 500)))",
    # get_cosine_schedule_with_warmup, verbatim but for its inner constants
    "lambda current_step: float(current_step) / float(max(1, 500)) if current_step < 500 else "
    "max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(0.5) * 2.0 * "
    "(float(current_step - 500) / float(max(1, 10000 - 500))))))",
    "lambda step: 0.95 ** step",
    "lambda e: 0.95 ** e",  # the argument shadows the constant e, as in Python
    "lambda x : 1 / (2.0 ** (x - 1))",
]


@pytest.mark.parametrize("source", PASTED_LAMBDAS)
def test_a_pasted_lambda_names_its_variable_and_matches_python(source: str) -> None:
    expr = compile_expression(source, "epoch")
    fn = eval(source, PY_GLOBALS)
    assert expr.variable == source.split()[1].rstrip(":")
    values = range(0, 1001) if expr.variable == "x" else range(0, 10_001, 7)
    for value in values:
        assert same(expr(value), fn(value)), (source, value)
    # The exported code writes `lambda <variable>: <source>`: the same function.
    exported = eval(f"lambda {expr.variable}: {expr.source}", PY_GLOBALS)
    assert all(same(exported(v), fn(v)) for v in values)


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("lambda: 1", "one argument, not 0"),
        ("lambda a, b: a + b", "one argument, not 2"),
        ("lambda a=1: a", "one plain argument"),
        ("lambda *a: 1", "one plain argument"),
        ("lambda math: math", "cannot name"),
        ("lambda __class__: 1", "cannot name"),
        ("lambda step: epoch", "name 'epoch' is not allowed; use the variable 'step'"),
        ("lambda step: lambda: step", "a lambda is allowed only as the whole formula"),
        ("math.sin.__self__", "attribute access"),
        ("math.min(1, 2)", "attribute access"),
        ("os.cos(1)", "attribute access"),
        ("pow(2, 3, 5)", "pow() takes 2 arguments"),
        ("pow(9, 9 ** 9)", "too large"),
        ("round(1.5, 10 ** 9)", "ndigits must be"),
        ("lambda pi: lambda: pi", "a lambda is allowed only as the whole formula"),
        ("int(1e308 * 10)", "too large"),
    ],
)
def test_recipe_syntax_errors_are_readable(source: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, "epoch")(3)
    assert fragment in str(info.value)


def test_used_math_names() -> None:
    expr = compile_expression("min(1, 0.5 * (1 + cos(pi * epoch / 10))) + e + log(2, 3)", "epoch")
    assert used_math_names(expr) == {"cos", "pi", "e", "log"}
    assert used_math_names(compile_expression("max(abs(epoch), 2)", "epoch")) == set()
    assert set(ALLOWED_FUNCTIONS) >= {"min", "max", "abs", "exp", "log", "sqrt", "cos", "sin"}
    assert set(ALLOWED_FUNCTIONS) >= {"floor", "ceil"}
    assert ALLOWED_CONSTANTS == ("pi", "e")


def test_attributes_and_pickle() -> None:
    expr = compile_expression("  0.5 ** (epoch // 30) * exp(-epoch / 1e3)  ", "epoch", max_nodes=20)
    assert (expr.source, expr.variable) == ("0.5 ** (epoch // 30) * exp(-epoch / 1e3)", "epoch")
    clone = pickle.loads(pickle.dumps(expr))
    assert isinstance(clone, Expression)
    assert (clone.source, clone.variable) == (expr.source, expr.variable)
    assert used_math_names(clone) == {"exp"}
    assert all(same(clone(n), expr(n)) for n in range(200))
    assert "Expression" in repr(expr)


def test_int_results_stay_exact_ints() -> None:
    assert compile_expression("2 ** epoch", "epoch")(1000) == 2**1000
    assert type(compile_expression("epoch // 3", "epoch")(10)) is int
    assert type(compile_expression("floor(epoch / 3)", "epoch")(10)) is int
    assert compile_expression("epoch < 5", "epoch")(3) is True


def test_constant_branch_that_fails_is_only_an_error_when_taken() -> None:
    assert compile_expression("epoch if 1 else 1 / 0", "epoch")(7) == 7
    expr = compile_expression("1 / 0 if epoch else 2", "epoch")
    assert expr(0) == 2
    with pytest.raises(ExpressionError, match="division by zero"):
        expr(1)


@pytest.mark.parametrize(
    ("source", "value", "fragment"),
    [
        ("1 / epoch", 0, "division by zero"),
        ("epoch // 0", 3, "division by zero"),
        ("epoch % 0.0", 3, "division by zero"),
        ("log(epoch)", 0, "log(0)"),
        ("sqrt(epoch - 1)", 0, "sqrt(-1)"),
        ("exp(epoch)", 1000, "exp(1000) is too large"),
        ("0 ** -epoch", 1, "negative power"),
        ("(-epoch) ** 0.5", 2, "not a real number"),
        ("1e308 * epoch", 10, "infinite"),
        ("epoch ** 9 ** 9 ** 9", 2, "too large"),
        ("cos(1e308 * epoch)", 10, "cos(inf) is undefined"),
    ],
)
def test_runtime_errors_are_readable(source: str, value: int, fragment: str) -> None:
    expr = compile_expression(source, "epoch")
    with pytest.raises(ExpressionError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        expr(value)


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("sqrt(-1)", "sqrt(-1) is undefined"),
        ("exp(1000)", "too large"),
        ("1 / 0", "division by zero"),
        ("0.95 ** step", "name 'step' is not allowed; use the variable 'epoch'"),
        ("epoch.real", "attribute access"),
        ("exp", "'exp' is a function"),
        ("pi(2)", "not a function"),
        ("epoch(2)", "not a function"),
        ("epoch ^ 2", "for powers use **"),
        ("min(epoch)", "min() takes 2 or more arguments"),
        ("log(1, 2, 3)", "log() takes 1 or 2 arguments"),
        ("sqrt()", "sqrt() takes 1 arguments"),
        ("True", "only numbers"),
        ("1j * epoch", "complex numbers"),
        ("epoch is 1", "comparisons"),
        ("epoch in 1", "comparisons"),
        ("", "empty"),
        ("epoch +", "ends too early"),
        ("epoch # comment", "comments"),
        ("1if epoch else 2", ""),
        ("epoch\n+ 1", "character"),
        ("1 + \\\n 2", "character"),
    ],
)
def test_compile_errors_are_readable(source: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, "epoch")
    assert fragment in str(info.value)


ESCAPES = [
    "().__class__.__bases__[0].__subclasses__()",
    "().__class__.__base__.__subclasses__()[59]()._module.__builtins__['__import__']('os')",
    "__import__('os').system('id')",
    "__builtins__",
    "(lambda: 1)()",
    "(lambda: epoch)()",
    "[x for x in ()]",
    "[epoch for epoch in (1,)][0]",
    "{x: 1 for x in ()}",
    "sum(x for x in (1, 2))",
    "epoch.__class__",
    "epoch.__class__.__mro__[-1].__subclasses__()",
    "getattr(epoch, '__class__')",
    "open('/etc/passwd').read()",
    "f'{epoch}'",
    "f'{epoch.__class__}'",
    "'a' * 10**9",
    "b'a' * 10",
    "'{0.__class__}'.format(1)",
    "'%s' % epoch",
    "min.__self__",
    "abs.__self__.open('/etc/passwd')",
    "(y := 2)",
    "(epoch := 2)",
    "globals()",
    "locals()['x']",
    "vars()",
    "eval('1')",
    "exec('1')",
    "compile('1', '', 'eval')",
    "ｅｘｅｃ('1')",
    "ｅｐｏｃｈ + 1",
    "epoch\u00a0+ 1",
    "π * epoch",
    "type(epoch)",
    "epoch[0]",
    "(1, 2)",
    "*epoch",
    "min(*[1, 2])",
    "max(epoch, 1, key=abs)",
    "print(epoch)",
    "breakpoint()",
    "epoch if (yield) else 1",
    "await epoch",
    "...",
    "None",
    "epoch @ epoch",
    "epoch << 3",
    "~epoch",
    "exp(1)(2)",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escapes_rejected_at_compile_time(payload: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(payload, "epoch")


BOMBS = [
    "9**9**9**9",
    "3999999**3999999",
    "10**10**10",
    "2**1000000",
    "max(range(10**9))",
    "epoch ** 10 ** 10",
    "(epoch + 2) ** (epoch + 2) ** (epoch + 2) ** 9",
    "floor(1e308) * floor(1e308) * floor(1e308)",
    "(10 ** 300) ** 2",
    "-(10 ** 300) * 10 ** 300",
    "1" + "0" * 400,
    "1e999 * epoch",
    "(" * 1000 + "1" + ")" * 1000,
    "-" * 499 + "1",
    "1" + "+1" * 249,
    "epoch + " * 12_500 + "1",
]


@pytest.mark.parametrize("bomb", BOMBS)
def test_resource_bombs_rejected(bomb: str) -> None:
    with pytest.raises(ExpressionError):
        expr = compile_expression(bomb, "epoch")
        for epoch in (0, 1, 1000):
            expr(epoch)


def test_long_input_is_rejected_before_parsing() -> None:
    with pytest.raises(ExpressionError, match="too long"):
        compile_expression("1" * 100_000, "epoch")
    assert MAX_LENGTH == 500
    compile_expression("epoch + " * 70 + "1", "epoch", max_length=1000, max_nodes=1000)


@pytest.mark.parametrize(
    "source",
    ["(" * 1000 + "1" + ")" * 1000, "-" * 100_000 + "1", "not " * 10_000 + "1", "1+" * 50_000],
)
def test_parser_nesting_limits_become_expression_errors(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source, "epoch", max_length=10**6, max_nodes=10**6)


def test_nesting_depth_is_bounded() -> None:
    deep = "abs(" * 150 + "epoch" + ")" * 150
    with pytest.raises(ExpressionError, match="nested too deeply"):
        compile_expression(deep, "epoch", max_length=2000, max_nodes=2000)


def test_reasonable_nesting_is_fine() -> None:
    expr = compile_expression("abs(" * 15 + "-epoch" + ")" * 15, "epoch")
    assert expr(3) == 3


def test_bad_variable_name_is_a_programming_error() -> None:
    for variable in ("pi", "exp", "if", "__x", "1a", "ｘ"):
        with pytest.raises(ValueError, match="variable"):
            compile_expression("1", variable)


# --- random formulas from the grammar -------------------------------------------------------

ONE_ARG = [n for n in ALLOWED_FUNCTIONS if n not in ("min", "max", "pow")]
LEAVES = st.one_of(
    st.just("epoch"),
    st.integers(0, 1000).map(str),
    st.floats(0, 1000, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["pi", "e", "0", "1", "2", "0.5", "1e-3", "1e300"]),
)


def _extend(sub: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binop = st.sampled_from(["+", "-", "*", "/", "//", "%", "**"])
    cmp = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
    return st.one_of(
        st.tuples(st.sampled_from(["-", "+", "not "]), sub).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(sub, binop, sub).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(sub, cmp, sub, cmp, sub).map(lambda t: "({}) {} ({}) {} ({})".format(*t)),
        st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(
            lambda t: "({}) {} ({})".format(*t)
        ),
        st.tuples(sub, sub, sub).map(lambda t: "({}) if ({}) else ({})".format(*t)),
        st.tuples(st.sampled_from(ONE_ARG), sub).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max", "log", "pow", "round"]), sub, sub).map(
            lambda t: "{}({}, {})".format(*t)
        ),
        st.tuples(st.sampled_from(["min", "max"]), sub, sub, sub).map(
            lambda t: "{}({}, {}, {})".format(*t)
        ),
    )


FORMULAS = st.recursive(LEAVES, _extend, max_leaves=10)
VALUES = st.one_of(st.integers(0, 1000), st.floats(-1e3, 1e3, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(source=FORMULAS, value=VALUES)
def test_random_formulas_match_python_or_are_refused(source: str, value: int | float) -> None:
    check_against_python(source, "epoch", [value])
    # the same formula in `x` (CyclicLR's scale_fn) behaves identically
    check_against_python(source.replace("epoch", "x"), "x", [value])
