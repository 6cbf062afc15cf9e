"""RunSpec -> a PyTorch snippet that reproduces the curve exactly."""

from __future__ import annotations

from lrscope.specs import RunSpec
from lrscope.validation import ResolvedRun


def render(run: RunSpec, resolved: ResolvedRun) -> str:
    raise NotImplementedError
