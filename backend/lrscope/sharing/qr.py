"""A link as a QR code (segno): an SVG that scales to any size, for a projector."""

from __future__ import annotations

import io

import segno

MAX_QR_TEXT = 2_000  # bytes (UTF-8): a QR code at error level M holds up to 2,331


def qr_svg(text: str) -> str:
    """``text`` as a standalone QR code SVG (with its namespace, so an ``<img>`` shows it),
    dark on white with the standard quiet zone of 4 modules; no width or height, so the
    page sizes it (its viewBox keeps the squares square)."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out, kind="svg", scale=1, border=4, dark="#000", light="#fff",
        xmldecl=False, svgns=True, omitsize=True, nl=False,
    )  # fmt: skip
    return out.getvalue().decode()
