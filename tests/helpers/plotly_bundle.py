"""The partial plotly.js bundle the page ships, by the URL its loader names."""

from __future__ import annotations

import re
from pathlib import Path

LOADER = (
    Path(__file__).resolve().parents[2] / "backend/lrscope/web/static/js/chart/plotly-loader.js"
)


def bundle_url() -> str:
    """The bundle's URL path ("/vendor/plotly-cartesian-X.Y.Z.min.js")."""
    match = re.search(r'PLOTLY_BUNDLE = "([^"]+)"', LOADER.read_text())
    assert match, "plotly-loader.js names no PLOTLY_BUNDLE"
    return "/" + match.group(1)
