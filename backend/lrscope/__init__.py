"""lrscope: see what PyTorch learning-rate schedules really do.

>>> from lrscope import evaluate
>>> evaluate({"scheduler": {"type": "ExponentialLR", "gamma": 0.5}, "epochs": 3})["groups"][0]["lr"]
[0.1, 0.05, 0.025]
"""

from __future__ import annotations

from typing import Any

from lrscope.version import __version__

__all__ = ["SpecError", "__version__", "evaluate"]


def __getattr__(name: str) -> Any:
    # Lazy, so `lrscope --help` does not pay for importing torch.
    if name == "evaluate":
        from lrscope.engine import evaluate

        return evaluate
    if name == "SpecError":
        from lrscope.errors import SpecError

        return SpecError
    raise AttributeError(name)
