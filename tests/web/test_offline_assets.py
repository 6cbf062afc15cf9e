"""The page and the API docs work with no network: every asset is served locally."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_load_swagger_from_this_server(client: TestClient) -> None:
    html = client.get("/docs").text
    sources = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    sources += re.findall(r"""url: ["']([^"']+)""", html)
    assert sources
    for source in sources:
        assert source.startswith("/"), f"/docs loads {source} from another host"
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_plotly_comes_from_the_wheel(client: TestClient) -> None:
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert b"plotly" in response.content[:2000].lower()


def test_the_page_names_no_other_host(client: TestClient) -> None:
    html = client.get("/").text
    sources = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    assert any(source.startswith("vendor/plotly-") for source in sources)  # the shipped bundle
    for source in sources:
        assert "//" not in source, f"the page loads {source} from another host"
        assert client.get("/" + source.lstrip("/")).status_code == 200, source
