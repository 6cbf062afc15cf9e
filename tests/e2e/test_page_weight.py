"""The page runs on the partial plotly.js bundle it ships, compressed, never the full one."""

from __future__ import annotations

from typing import Any

from tests.helpers.browser import Server, open_app, traces
from tests.helpers.plotly_bundle import bundle_url

RESOURCES = """() => performance.getEntriesByType('resource').map((r) => ({
  name: new URL(r.name).pathname, encoded: r.encodedBodySize, decoded: r.decodedBodySize}))"""

HEATMAP = """async () => {
  const div = document.createElement('div');
  div.style.width = '400px';
  div.style.height = '300px';
  document.body.append(div);
  await Plotly.newPlot(div, [{type: 'heatmap', z: [[0, 1, 2], [2, 1, 0]]}]);
  const drawn = div.querySelectorAll('.hm image').length;
  Plotly.purge(div);
  div.remove();
  return drawn;
}"""


def test_the_page_loads_the_partial_bundle_compressed(page: Any, server: Server) -> None:
    open_app(page, server.url)
    assert traces(page), "the schedule chart is drawn"
    loaded = {r["name"]: r for r in page.evaluate(RESOURCES)}
    bundle = loaded[bundle_url()]
    assert "/vendor/plotly.min.js" not in loaded
    # Received gzipped: fewer bytes on the wire than the file has.
    assert 0 < bundle["encoded"] < bundle["decoded"] / 2
    assert page.evaluate("() => typeof Plotly.newPlot") == "function"


def test_the_bundle_draws_a_heatmap(page: Any, server: Server) -> None:
    # The decision-boundary chart is a heatmap: the bundle must have that trace type.
    open_app(page, server.url)
    assert page.evaluate(HEATMAP) == 1
