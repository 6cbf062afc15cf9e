"""Every message a test meets keeps the message contract (``lrscope/messages.py``).

Each error item (``{"loc", "msg", "type", "code", "params"}``) and each warning detail a
test sees has a code of the registry, string params, and ``msg`` equal to the code's
template filled with its params; every ``warnings`` list comes with ``warning_details``
of the same messages, in the same order. Checked on every SpecError raised, every JSON
response a test's HTTP client receives and every message a test's WebSocket reads.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from starlette.testclient import WebSocketTestSession

import lrscope.errors
from lrscope.messages import MESSAGES


def check_message(item: dict[str, Any]) -> None:
    """``item``'s code is registered, its params are strings, and they word its msg."""
    assert item["code"] in MESSAGES, f"unregistered code {item['code']!r}: {item}"
    params = item["params"]
    assert isinstance(params, dict), item
    for value in params.values():
        assert isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ), item
    assert MESSAGES[item["code"]].format(**params) == item["msg"], item


def check_payload(data: Any) -> None:
    """Check every error item and every warnings list anywhere inside ``data``."""
    if isinstance(data, list):
        for value in data:
            check_payload(value)
        return
    if not isinstance(data, dict):
        return
    if {"loc", "msg", "type"} <= set(data) and isinstance(data["msg"], str):
        check_message(data)
    warnings = data.get("warnings")
    if isinstance(warnings, list) and all(isinstance(w, str) for w in warnings):
        details = data.get("warning_details")
        assert isinstance(details, list), f"warnings without warning_details: {data.keys()}"
        assert [d["msg"] for d in details] == warnings
        for detail in details:
            check_message(detail)
    for value in data.values():
        check_payload(value)


def _check_response(response: httpx.Response) -> None:
    if "json" not in response.headers.get("content-type", "") or not response.is_closed:
        return
    try:
        data = json.loads(response.content)
    except ValueError:
        return
    check_payload(data)


def install() -> None:
    """Check every message from now on (tests/conftest.py calls this once)."""
    spec_error_init = lrscope.errors.SpecError.__init__

    def checked_init(self: lrscope.errors.SpecError, errors: list[dict[str, Any]]) -> None:
        for item in errors:
            check_message(item)
        spec_error_init(self, errors)

    sync_send = httpx.Client.send
    async_send = httpx.AsyncClient.send

    def send(self: httpx.Client, *args: Any, **kwargs: Any) -> httpx.Response:
        response = sync_send(self, *args, **kwargs)
        _check_response(response)
        return response

    async def asend(self: httpx.AsyncClient, *args: Any, **kwargs: Any) -> httpx.Response:
        response = await async_send(self, *args, **kwargs)
        _check_response(response)
        return response

    receive = WebSocketTestSession.receive

    def checked_receive(self: WebSocketTestSession) -> Any:
        message = receive(self)
        if isinstance(message.get("text"), str):
            try:
                data = json.loads(message["text"])
            except ValueError:
                data = None
            check_payload(data)
        return message

    lrscope.errors.SpecError.__init__ = checked_init  # type: ignore[method-assign]
    httpx.Client.send = send  # type: ignore[method-assign]
    httpx.AsyncClient.send = asend  # type: ignore[method-assign]
    WebSocketTestSession.receive = checked_receive  # type: ignore[method-assign]
