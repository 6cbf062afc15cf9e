"""A class of thirty from one machine, in the browser: the teacher's page (opened on
127.0.0.1 of a server listening on all interfaces) makes a short link and a QR code on
the machine's LAN address (Copy link too); a student's page opens the short link there
and gets the same view; the QR code, decoded back from a screenshot, holds exactly the
link shown beneath it, in English and Chinese. On a loopback-only server the dialog says
how to serve a class. Screenshots go to /tmp/shots-classroom/."""

from __future__ import annotations

import io
import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from tests.helpers.browser import (
    PROJECTOR,
    Server,
    Watch,
    guard,
    link_state,
    open_app,
    wait_idle,
)
from tests.helpers.servers import serve_subprocess

SHOTS = Path("/tmp/shots-classroom")


@pytest.fixture(scope="module")
def class_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``lrscope serve --host 0.0.0.0``: the page is opened on 127.0.0.1, as a teacher would."""
    env = {**os.environ, "LRSCOPE_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serve_subprocess(log, env=env, args=("--host", "0.0.0.0")) as served:
        yield Server(served.url, served.process)


def reachable(server: Server) -> list[str]:
    with urllib.request.urlopen(server.url + "/api/addresses", timeout=30) as response:
        urls: list[str] = json.loads(response.read())["urls"]
    return urls


def allow_lan(page: Any, urls: list[str]) -> None:
    """Let a page reach this machine by its LAN address (the guard stops other hosts)."""
    for url in urls:
        page.route(f"{url.rstrip('/')}/**", lambda route: route.continue_())


def decoded_qr(page: Any, name: str) -> str:
    """Open (or re-render) the QR dialog's code, screenshot it and decode it back."""
    page.wait_for_function("() => document.getElementById('qr-image').dataset.ready === 'true'")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    png = page.locator("#qr-image").screenshot()
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    return str(found.text)


def test_a_short_link_opens_the_same_view_on_a_students_page(
    new_page: Any, context: Any, class_server: Server
) -> None:
    urls = reachable(class_server)
    if not urls:
        pytest.skip("this machine has no address other machines can reach")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    teacher = new_page(PROJECTOR)
    open_app(teacher, class_server.url)
    teacher.select_option("#preset-select", "warmup-cosine")
    wait_idle(teacher)
    state = link_state(teacher)
    teacher.bring_to_front()
    teacher.click("#copy-link")  # the full link, on the LAN address instead of 127.0.0.1
    teacher.wait_for_function(
        "() => document.getElementById('copy-link').textContent === 'Link copied'"
    )
    here = urlsplit(teacher.url)
    full = f"{urls[0].rstrip('/')}{here.path}#{here.fragment}"
    assert teacher.evaluate("navigator.clipboard.readText()") == full
    # The Train panel's run and comparison links go through the same step.
    moved = teacher.evaluate(
        "async () => (await import('/js/net/share-api.js')).reachableHref(location.href)"
    )
    assert moved == full
    teacher.click("#short-link")
    teacher.wait_for_function("() => document.documentElement.dataset.shortLink")
    short = teacher.evaluate("document.documentElement.dataset.shortLink")
    assert short.startswith(f"{urls[0]}s/") and len(urlsplit(short).path) == len("/s/") + 10
    assert teacher.evaluate("navigator.clipboard.readText()") == short
    assert short in teacher.locator("#notice-text").inner_text()
    SHOTS.mkdir(exist_ok=True)
    teacher.screenshot(path=str(SHOTS / "short-link-notice.png"))

    student = new_page()
    allow_lan(student, urls)
    student.goto(short)  # the LAN address, as a student's phone would open it
    wait_idle(student)
    assert urlsplit(student.url).netloc == urlsplit(urls[0]).netloc
    assert link_state(student) == state
    assert (
        student.locator(".curve-name").first.input_value()
        == teacher.locator(".curve-name").first.input_value()
    )


def test_the_qr_code_holds_the_link_beneath_it_in_both_languages(
    new_page: Any, class_server: Server
) -> None:
    urls = reachable(class_server)
    if not urls:
        pytest.skip("this machine has no address other machines can reach")
    page = new_page(PROJECTOR)
    open_app(page, class_server.url)
    page.click("#qr-open")
    text = decoded_qr(page, "qr-en-short")
    assert page.locator("#qr-short").is_checked()  # the whole view is too long to scan well
    assert (
        text == page.locator("#qr-url").inner_text() == page.get_attribute("#qr-image", "data-text")
    )
    assert text.startswith(f"{urls[0]}s/")
    assert page.locator("#qr-title").inner_text() == "Scan to open this view"
    assert page.locator("#qr-note").is_hidden()
    assert page.locator("#qr-address-field").is_visible() == (len(urls) > 1)
    # The short link's state is the page's own.
    student = new_page()
    allow_lan(student, urls)
    student.goto(text)
    wait_idle(student)
    assert link_state(student) == link_state(page)

    page.uncheck("#qr-short")  # the full link, moved to the LAN address
    full = decoded_qr(page, "qr-en-full")
    assert full == page.locator("#qr-url").inner_text()
    assert full == urls[0].rstrip("/") + urlsplit(page.url).path + "#" + urlsplit(page.url).fragment
    page.click("#qr-dialog button[value=close]")

    page.select_option("#lang-select", "zh")
    wait_idle(page)
    page.click("#qr-open")
    zh = decoded_qr(page, "qr-zh-short")
    assert zh.startswith(f"{urls[0]}s/") and zh == page.locator("#qr-url").inner_text()
    assert page.locator("#qr-title").inner_text() == "扫码打开当前视图"
    assert page.locator("label:has(#qr-short)").inner_text() == "使用短链接"
    assert page.locator("#short-link").inner_text() == "短链接"
    assert page.locator("#qr-open").inner_text() == "二维码"


def test_a_loopback_server_says_students_cannot_open_its_address(
    new_page: Any, server: Server
) -> None:
    page = new_page(PROJECTOR)
    open_app(page, server.url)
    page.click("#qr-open")
    text = decoded_qr(page, "qr-loopback-en")
    assert urlsplit(text).hostname == "127.0.0.1"
    assert "--host 0.0.0.0" in page.locator("#qr-note").inner_text()
    assert page.locator("#qr-address-field").is_hidden()  # no address to choose
    page.click("#qr-dialog button[value=close]")
    page.select_option("#lang-select", "zh")
    wait_idle(page)
    page.click("#qr-open")
    decoded_qr(page, "qr-loopback-zh")
    assert "只有这台电脑能打开" in page.locator("#qr-note").inner_text()


def test_a_mistyped_short_link_opens_the_page_saying_so_in_both_languages(
    browser: Any, class_server: Server
) -> None:
    for locale, words in (
        ("en-US", "no short link “nope2222x”"),
        ("zh-CN", "没有短链接“nope2222x”"),
    ):
        context = browser.new_context(locale=locale)
        watch = Watch()
        try:
            student = context.new_page()
            guard(student, watch)
            student.goto(f"{class_server.url}/s/nope2222x")  # what a mistyped code opens
            wait_idle(student)
            assert words in student.locator("#notice-text").inner_text()
            # Said once: the address a student would share from here no longer carries it.
            assert "missing_link" not in student.url and urlsplit(student.url).path == "/"
        finally:
            context.close()
        assert watch.external == [] and watch.unexpected_errors() == [], watch.errors
