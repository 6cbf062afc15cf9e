"""A big answer goes out in slices (``web/sliced_response.py``) and gives back its memory
(``admission.Held``) only once it is all out, or its client has gone."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from lrscope.web import sliced_response
from lrscope.web.admission import Admission, Held
from lrscope.web.sliced_response import SlicedResponse


def send_all(response: SlicedResponse, fail_at: int | None = None) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        if len(sent) == fail_at:
            raise OSError("the client has gone")
        sent.append({**message, "reserved": admission.reserved_bytes})

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    scope = {"type": "http", "method": "POST", "path": "/api/schedule", "headers": []}
    # A thread of its own: a sync Playwright test earlier in the session leaves an event
    # loop set on this one, and asyncio.run refuses to start a second loop in it.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, response(scope, receive, send)).result()  # type: ignore[arg-type]
    return sent


admission = Admission(1, 0, 10**9, 30.0)


def held_answer(body: bytes) -> tuple[SlicedResponse, Held]:
    admission.reserved_bytes += 500
    held = Held(admission, 500)
    return SlicedResponse(body, "application/json", {"vary": "x"}, held.release), held


def test_a_big_body_goes_out_in_slices_and_its_memory_is_held_until_the_last() -> None:
    body = os.urandom(sliced_response.SLICE * 2 + 123)
    response, held = held_answer(body)
    sent = send_all(response)
    start, *pieces, end = sent
    assert start["type"] == "http.response.start" and start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"content-type"] == b"application/json" and headers[b"vary"] == b"x"
    assert [len(p["body"]) for p in pieces] == [sliced_response.SLICE] * 2 + [123]
    assert b"".join(p["body"] for p in pieces) == body
    assert all(p["more_body"] for p in pieces) and end == {
        "type": "http.response.body", "body": b"", "more_body": False, "reserved": 500
    }  # fmt: skip
    assert all(m["reserved"] == 500 for m in sent)  # held while any of it was being sent
    assert held.released and admission.reserved_bytes == 0


def test_a_small_body_is_one_message_and_gives_its_memory_back_too() -> None:
    response, held = held_answer(b'{"x": [0]}')
    start, body = send_all(response)
    assert start["status"] == 200
    assert body["body"] == b'{"x": [0]}' and not body.get("more_body", False)
    assert held.released and admission.reserved_bytes == 0


def test_a_client_gone_mid_body_still_gives_the_memory_back() -> None:
    response, held = held_answer(os.urandom(sliced_response.SLICE * 3))
    with pytest.raises(OSError):
        send_all(response, fail_at=2)
    assert held.released and admission.reserved_bytes == 0
    held.release()  # a second release changes nothing
    assert admission.reserved_bytes == 0
