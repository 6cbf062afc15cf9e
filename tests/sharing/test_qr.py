"""QR codes of links (``sharing/qr.py``): a scalable SVG whose dark modules are exactly
those of the link's QR code, with the quiet zone around them."""

from __future__ import annotations

import math
import re

import segno

from lrscope.sharing import qr_svg

BORDER = 4


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark squares segno draws as horizontal strokes ("M4 4.5h7m2 0h1m-25 1h1")."""
    lines = re.search(r'stroke="#000" d="([^"]+)"', svg)
    assert lines is not None, svg[:300]
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", lines.group(1)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(x) + i, math.floor(y)) for i in range(int(a))}
            x += float(a)
    return dark


def test_the_svg_holds_exactly_the_links_modules_and_scales() -> None:
    url = "http://192.168.1.20:8000/s/abcd234567"
    svg = qr_svg(url)
    head = svg.split(">", 1)[0]
    assert svg.startswith("<svg") and "viewBox" in head and "width=" not in head
    assert 'xmlns="http://www.w3.org/2000/svg"' in head  # else an <img> shows nothing
    code = segno.make(url, error="m", micro=False)
    size = len(code.matrix) + 2 * BORDER
    assert f'viewBox="0 0 {size} {size}"' in head
    expected = {
        (x + BORDER, y + BORDER)
        for y, row in enumerate(code.matrix)
        for x, v in enumerate(row)
        if v
    }
    assert dark_modules(svg) == expected and len(expected) > 200


def test_different_links_give_different_codes() -> None:
    assert dark_modules(qr_svg("http://10.0.0.5:8000/s/abcd234567")) != dark_modules(
        qr_svg("http://10.0.0.5:8000/s/abcd234568")
    )
