"""Reading the API's answers: every error comes in one shape."""

from __future__ import annotations

from typing import Any

JSON = {"content-type": "application/json"}


def detail_of(response: Any, status: int = 422) -> list[dict[str, Any]]:
    """The ``detail`` list of an error response, each item checked for the one shape:
    ``loc`` rooted at ``"body"``, a plain ``msg``, a ``type``."""
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    for item in detail:
        assert {"loc", "msg", "type"} <= set(item)
        assert item["loc"][0] == "body"
        assert isinstance(item["msg"], str) and item["msg"]
    return detail  # type: ignore[no-any-return]
