"""Page weight: gzip when asked (and only then), validators and 304s, a year of caching only
for URLs that carry a version, and the partial plotly.js bundle the page loads."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import plotly
import pytest
from fastapi.testclient import TestClient

from lrscope.settings import Settings
from lrscope.web.app import create_app
from tests.helpers.plotly_bundle import bundle_url

STATIC = Path(__file__).resolve().parents[2] / "backend" / "lrscope" / "web" / "static"
WHEEL_PLOTLY = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# Big enough to be worth compressing: a JS module, the style sheet, the catalog's JSON.
COMPRESSIBLE = ["/js/main.js", "/styles.css", "/api/schedulers", "/", "/vendor/plotly.min.js"]


@pytest.fixture
def bare(tmp_path: Path) -> TestClient:
    """A client that sends no Accept-Encoding (httpx sends "gzip, deflate" by default)."""
    client = TestClient(create_app(Settings(data_dir=tmp_path)))
    del client.headers["accept-encoding"]
    return client


def raw_get(client: TestClient, url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body as sent (httpx would decompress it)."""
    with client.stream("GET", url, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize("url", [*COMPRESSIBLE, "bundle"])
def test_gzip_when_asked_and_the_bytes_decompress_to_the_identity_body(
    client: TestClient, bare: TestClient, url: str
) -> None:
    url = bundle_url() if url == "bundle" else url
    status, plain_headers, plain = raw_get(bare, url)
    assert status == 200 and "content-encoding" not in plain_headers
    assert len(plain) >= 500
    status, headers, body = raw_get(client, url, **{"accept-encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    assert int(headers["content-length"]) == len(body) < len(plain)
    assert gzip.decompress(body) == plain


def test_json_answers_are_compressed_too(client: TestClient) -> None:
    spec = {"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 200}
    with client.stream("POST", "/api/schedule", json=spec) as response:
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["content-type"].startswith("application/json")
        raw = b"".join(response.iter_raw())
    assert gzip.decompress(raw).startswith(b"{")


def test_no_gzip_when_not_named(client: TestClient) -> None:
    for refusal in ("identity", "br", "deflate", ""):
        status, headers, _ = raw_get(client, "/js/main.js", **{"accept-encoding": refusal})
        assert status == 200 and "content-encoding" not in headers, refusal


def test_small_bodies_are_not_compressed(client: TestClient) -> None:
    for url in ("/favicon.svg", "/api/health"):
        status, headers, body = raw_get(client, url, **{"accept-encoding": "gzip"})
        assert status == 200 and "content-encoding" not in headers, url
        assert len(body) < 500, url


@pytest.mark.parametrize(
    "url", ["/", "/js/main.js", "/styles.css", "/vendor/plotly.min.js", "bundle"]
)
def test_an_unchanged_file_is_a_304_for_its_etag_gzip_or_not(client: TestClient, url: str) -> None:
    url = bundle_url() if url == "bundle" else url
    for encoding in ("gzip", "identity"):
        first = client.get(url, headers={"accept-encoding": encoding})
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(url, headers={"if-none-match": etag, "accept-encoding": encoding})
        assert again.status_code == 304 and again.content == b"", (url, encoding)
        assert again.headers["cache-control"] == first.headers["cache-control"]
        since = client.get(url, headers={"if-modified-since": modified})
        assert since.status_code == 304, url
    other = client.get(url, headers={"if-none-match": '"not-this-one"'})
    assert other.status_code == 200 and other.content


def test_a_year_of_caching_only_where_the_url_names_a_version(client: TestClient) -> None:
    versioned = client.get(bundle_url())
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    for url in ("/", "/index.html", "/js/main.js", "/styles.css", "/vendor/plotly.min.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "no-cache", url
        assert response.headers["etag"] and response.headers["last-modified"], url


def test_the_page_loads_the_partial_bundle_it_ships(client: TestClient) -> None:
    url = bundle_url()
    version = re.search(r"-(\d+\.\d+\.\d+)\.min\.js$", url)
    assert version, url
    index = client.get("/").text
    assert f'<link rel="preload" href="{url[1:]}" as="script">' in index
    assert "plotly.min.js" not in index
    bundle = client.get(url)
    assert bundle.status_code == 200
    header = bundle.text[:300]
    assert f"plotly.js (cartesian - minified) v{version.group(1)}" in header
    for trace in ("scatter", "heatmap"):  # heatmap: the decision-boundary chart
        assert f'name:"{trace}"' in bundle.text, trace
    assert len(bundle.content) < WHEEL_PLOTLY.stat().st_size / 2
    assert (STATIC / "vendor" / "plotly.js-LICENSE.txt").read_text().startswith("MIT License")
