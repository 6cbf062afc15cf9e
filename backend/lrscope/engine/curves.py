"""Every scheduler value of a run, and what "equal" means for two of them: bit for bit."""

from __future__ import annotations

from array import array
from dataclasses import dataclass


@dataclass
class Curves:
    """Every scheduler value of a run: ``lr[g][k]`` after k scheduler steps."""

    lr: list[list[float]]
    momentum: list[list[float]] | None


def curves_equal(a: Curves, b: Curves) -> bool:
    """Same doubles bit for bit (so -0.0 differs from 0.0), momentum included."""
    if (a.momentum is None) != (b.momentum is None):
        return False
    return _same_bits(a.lr, b.lr) and _same_bits(a.momentum or [], b.momentum or [])


def _same_bits(a: list[list[float]], b: list[list[float]]) -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and array("d", x).tobytes() == array("d", y).tobytes()
        for x, y in zip(a, b, strict=True)
    )
