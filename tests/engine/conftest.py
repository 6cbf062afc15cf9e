"""Fixtures of the engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lrscope.engine import self_check


@pytest.fixture
def fresh_self_check() -> Iterator[None]:
    """The self-check's verdict forgotten before and after the test (it is cached)."""
    self_check.reset_self_check()
    yield
    self_check.reset_self_check()
